"""`codesieve report [RUN ...] -o report.html`: one self-contained HTML file showing stored runs
side by side (and Pareto evaluations), with the evidence behind every pick.

A RUN is a run store (every run in it), `STORE:KEY` (the runs whose key starts with KEY), or a
Pareto evaluation's JSON (`codesieve pareto` writes one). Every candidate is graded on the hidden
tests so a wrong pick shows; results are cached next to the store, so a second report is quick.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from codesieve._paths import DEFAULT_STORE
from codesieve.errors import ConfigError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="one self-contained HTML file: runs side by side, every pick's evidence")
    p.add_argument("runs", nargs="*", metavar="RUN", default=[str(DEFAULT_STORE)],
                   help=f"run store, STORE:KEY (runs whose key starts with KEY) or a Pareto JSON "
                        f"(default {DEFAULT_STORE})")
    p.add_argument("-o", "--output", type=Path, default=Path("report.html"), help="the HTML file (default report.html)")
    p.add_argument("--title", default="", help="the page's title (default: the runs' names)")
    p.add_argument("--no-grade", action="store_true",
                   help="do not grade every candidate on the hidden tests (faster; the oracle split is then unknown)")
    p.add_argument("--workers", type=int, default=None, help="sandbox workers for grading (default: one per core)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.report.html import write_html
    from codesieve.report.html_data import store_reports
    from codesieve.runs import RunFiles

    console = Console(stderr=True)
    stores: list[tuple[Path, str]] = []
    pareto: list[dict[str, Any]] = []
    for value in args.runs:
        if value.endswith(".json"):
            pareto.append(_read_pareto(Path(value)))
        else:
            stores.append(_split(value))
    reports = [r for path, prefix in stores
               for r in store_reports(path, prefix, grade=not args.no_grade, workers=args.workers,
                                      cache=RunFiles.beside(path).exec_cache, status=_status(console), warn=_warn(console))]
    out = write_html(args.output, reports, pareto, args.title)
    console.print(f"report: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


def _split(value: str) -> tuple[Path, str]:
    """'STORE' or 'STORE:KEY' (the colon splits only if the whole is not a file)."""
    path, sep, key = value.rpartition(":")
    if sep and not Path(value).exists() and Path(path).exists():
        return Path(path), key
    return Path(value), ""


def _read_pareto(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the Pareto evaluation {path}: {exc}") from exc
    if not isinstance(data, dict) or "points" not in data:
        raise ConfigError(f"{path} is not a Pareto evaluation (no 'points'; `codesieve pareto` writes one)")
    return data


def _status(console: Any) -> Any:
    return lambda text: console.status(text)


def _warn(console: Any) -> Any:
    return lambda text: console.print(f"[yellow]{text}[/yellow]")
