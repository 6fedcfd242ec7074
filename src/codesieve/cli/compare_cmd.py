"""`codesieve compare RUN_A RUN_B`: two runs (or two strategies of one run) paired on the problems
both finished, with the exact sign test; see `codesieve.report.compare`."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="paired comparison of two runs or strategies (sign test, 95%% intervals)",
                       description="Compare two runs on the problems both finished: accuracies with exact 95% "
                                   "intervals, problems only one solved, the exact sign test, and B's loss "
                                   "against A in points and relative to A.")
    p.add_argument("run_a", metavar="RUN_A", help="STORE[#RUN_KEY][:STRATEGY], e.g. runs/codesieve.sqlite:sstar")
    p.add_argument("run_b", metavar="RUN_B",
                   help="as RUN_A; ':STRATEGY' alone means another strategy of RUN_A's run")
    p.add_argument("--problems", action="store_true", help="list the problems only one of them solved")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the comparison as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from codesieve.report.compare import compare, load
    from codesieve.report.files import write_json

    a = load(args.run_a)
    result = compare(a, load(args.run_b, default=a))
    print("\n".join(result.lines(problems=args.problems)))
    if args.json:
        write_json(args.json, result.to_json())
    return 0
