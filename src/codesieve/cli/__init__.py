"""The `codesieve` command. Each subcommand lives in its own module with `add_parser` and `run`.

Subcommand modules parse arguments and call the library; they hold no pipeline logic.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from codesieve.errors import CodesieveError

# name -> module defining `add_parser(subparsers)` and `run(args) -> int`; imported lazily so
# `codesieve eval` does not pay for the model backends.
SUBCOMMANDS = {
    "compare": "codesieve.cli.compare_cmd",
    "eval": "codesieve.cli.eval_cmd",
    "generate": "codesieve.cli.generate_cmd",
    "orm": "codesieve.cli.orm_cmd",
    "pareto": "codesieve.cli.pareto_cmd",
    "pool": "codesieve.cli.pool_cmd",
    "report": "codesieve.cli.report_cmd",
    "run": "codesieve.cli.run_cmd",
    "serve": "codesieve.cli.serve_cmd",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codesieve", description="Test-time scaling for code generation: sample, run safely, debug, "
                                      "verify, rank and select programs.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (argparse printed it) or --help: return its status
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CodesieveError as exc:
        print(f"codesieve: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("codesieve: interrupted; finished work is kept in the store", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
