"""`codesieve eval SAMPLES.jsonl --benchmark NAME`: grade samples on hidden tests, print pass@k."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from codesieve.cli._executor import add_executor_options
from codesieve.cli._options import BENCHMARK_CHOICES, benchmark, benchmark_help, check_data
from codesieve.errors import ConfigError

if TYPE_CHECKING:
    from codesieve.grade import GradedSample


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="grade samples (human-eval / EvalPlus JSONL) on hidden tests")
    p.add_argument("samples", type=Path, help='JSONL rows {"task_id", "completion"} or {"task_id", "solution"}')
    p.add_argument("--benchmark", type=benchmark, choices=BENCHMARK_CHOICES, default=None, metavar="NAME",
                   help=benchmark_help())
    p.add_argument("--problems", type=Path, default=None, help="native problems JSONL instead of a benchmark")
    p.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="per-sample results JSONL (default: SAMPLES_results.jsonl)")
    p.add_argument("--summary-json", type=Path, default=None, help='write {"pass@1", "n_samples", "n_tasks"}')
    add_executor_options(p)
    p.set_defaults(handler=run)


def read_samples(path: Path) -> list[dict]:
    from codesieve.jsonl import read_objects

    expected = "JSONL with task_id and completion/solution"
    if not path.is_file():
        raise ConfigError(f"samples file not found: {path} (expected {expected})")
    rows = []
    for n, row in read_objects(path, expected=expected):
        if "task_id" not in row:
            raise ConfigError(f"{path}, line {n}: each row needs a 'task_id' and a 'completion' or 'solution'")
        rows.append(row)
    if not rows:
        raise ConfigError(f"{path} holds no samples")
    return rows


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from codesieve.execution import Executor
    from codesieve.grade import grade_samples, pass_at_k_summary
    from codesieve.jsonl import write_objects
    from codesieve.problems import load_benchmark

    if (args.benchmark is None) == (args.problems is None):
        raise ConfigError("give exactly one of --benchmark NAME or --problems FILE")
    if args.benchmark is not None:
        check_data(args.benchmark, args.data)
    samples = read_samples(args.samples)
    console = Console(stderr=True)
    ids = list(dict.fromkeys(str(s["task_id"]) for s in samples))  # only these load (expected outputs and all)
    with Executor(args.workers, backend=args.executor) as executor:
        if args.problems is not None:
            problems = load_benchmark("jsonl", data=args.problems, ids=ids, executor=executor)
        else:
            with console.status(f"loading {args.benchmark}"):
                problems = load_benchmark(args.benchmark, data=args.data, ids=ids, executor=executor)
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            task = progress.add_task("grading", total=len(samples))
            graded = grade_samples(problems, samples, executor,
                                   on_result=lambda i, r: progress.advance(task))
    out_path = args.output or args.samples.with_name(args.samples.stem + "_results.jsonl")
    write_objects(out_path, (_result_row(sample, g) for sample, g in zip(samples, graded)))
    summary = pass_at_k_summary(graded)
    table = Table(title=f"codesieve eval: {args.benchmark or args.problems}")
    for key in ("n_tasks", "n_samples", "n_passed", *[k for k in summary if k.startswith("pass@")]):
        table.add_column(key, justify="right")
    table.add_row(*[f"{summary[c.header]:.4f}" if str(c.header).startswith("pass@") else str(summary[c.header])
                    for c in table.columns])
    Console().print(table)
    console.print(f"per-sample results: {out_path}")
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


def _result_row(sample: dict, graded: GradedSample) -> dict:
    """A sample's line in the per-sample results: the sample, its verdict, and the first error."""
    first_bad = next((o for o in graded.result.outcomes if o.verdict.value not in ("passed", "ok", "not_run")), None)
    row = {**sample, "passed": graded.passed, "verdict": graded.result.verdict.value,
           "n_tests_passed": graded.result.n_passed, "n_tests": len(graded.result.outcomes)}
    if first_bad is not None and first_bad.error is not None:
        row["error"] = f"{first_bad.error.type}: {first_bad.error.message}"
    return row
