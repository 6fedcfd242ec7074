"""`codesieve pareto POOL`: measure verifiers and cascades on a labelled pool, write the
accuracy-throughput frontier (Markdown, JSON, PNG, SVG) and print the configuration to use."""

from __future__ import annotations

import argparse
import asyncio
import shlex
import time
from pathlib import Path

from codesieve.cli._executor import add_executor_options
from codesieve.cli._options import non_negative, positive, positive_int

DEFAULT_OUTPUT = Path("runs") / "pareto"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pareto", help="accuracy-throughput frontier of verifiers and cascades on a pool")
    p.add_argument("pool", type=Path, help="candidate pool (.jsonl.gz, see docs/verification.md)")
    p.add_argument("--k", type=positive_int, default=None,
                   help="Best-of-k (default: candidates per problem, i.e. top-1)")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--budget", type=positive, default=None, metavar="PPS",
                        help="pick the most accurate configuration verifying at least PPS programs/s")
    budget.add_argument("--max-loss", type=non_negative, default=None, metavar="POINTS",
                        help="pick the fastest configuration losing at most POINTS Best-of-k points to `full` "
                             "(default: 2)")
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                   help=f"directory for the report (default: {DEFAULT_OUTPUT})")
    p.add_argument("--spec", action="append", default=None, metavar="CASCADE",
                   help="a configuration to measure, stages joined by '>', e.g. 'syntax > orm:trained > full@2' "
                        "(repeatable; default: the built-in grid). Stages (verifiers): syntax, lint, tests:K, sample:K, "
                        "public, full, majority[:K], orm:logprob, orm:trained, orm:http; checks take @M (try the "
                        "top M) and /Ts (CPU seconds per test). `full` is always measured as the reference")
    p.add_argument("--orm", type=Path, default=None, metavar="ARTEFACT",
                   help="use this trained ORM for orm:trained (default: train on the pool, k-fold by problem)")
    p.add_argument("--orm-url", default=None, metavar="URL",
                   help="score orm:http with the reward model served here (vLLM pooling API, see docs)")
    p.add_argument("--orm-model", default="", metavar="NAME", help="model name to send to --orm-url")
    p.add_argument("--folds", type=positive_int, default=5, help="folds for the pool-trained ORM (default 5)")
    p.add_argument("--repeats", type=positive_int, default=1,
                   help="time each configuration this often, keep the median (default 1)")
    add_executor_options(p)
    p.add_argument("--data", type=Path, default=None, help="use this copy of the benchmark's data file")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from codesieve.execution import ExecutionCache, Executor
    from codesieve.pareto import DEFAULT_GRID, Search, search
    from codesieve.report.pareto import write_report
    from codesieve.verify.pool import load_problems, read_pool

    console = Console(stderr=True)
    grid = list(DEFAULT_GRID)
    if args.orm_url:  # the trained ORM's cascades again, with the served model in its place
        grid += [s.replace("orm:trained", "orm:http") for s in DEFAULT_GRID if "orm:trained" in s]
    how = Search(specs=tuple(args.spec or grid), k=args.k, repeats=args.repeats, budget_pps=args.budget,
                 max_loss_points=args.max_loss, folds=args.folds)  # bad specs fail before any work
    pool = read_pool(args.pool)
    with Executor(args.workers, cache=ExecutionCache(max_memory_items=0), backend=args.executor) as executor:
        with console.status(f"loading {pool.benchmark} problems"):
            problems = load_problems(pool, executor, args.data)
        k = args.k or max(map(len, pool.by_problem().values()))
        found = asyncio.run(search(pool, problems, executor, how, _orms(args),
                                   progress=GridProgress(console, how.specs, k)))
    if found.skipped:
        console.print(f"[yellow]{found.skipped}[/yellow]")
    stem = "pareto_" + args.pool.name.split(".")[0]
    paths = write_report(args.output, stem, found, _command_line(args), args.pool.name)
    console.print("report: " + ", ".join(map(str, paths)))
    chosen, ref = found.chosen, found.evaluation.reference
    if chosen is None:
        print(f"no configuration qualifies ({found.criterion})")
        return 1
    print(verdict(chosen, ref, k))
    return 0


def verdict(chosen, ref, k: int) -> str:
    """The chosen configuration against the reference, in words: accuracy lost (or gained) in points
    and relative to the reference, and the speed-up."""
    points = 100 * (ref.bok - chosen.bok)
    relative = f" ({points / (100 * ref.bok):.1%} of it)" if ref.bok and points else ""
    change = (f"{abs(points):.2f} points {'below' if points > 0 else 'above'} {ref.spec}'s "
              f"{100 * ref.bok:.2f}%{relative}" if abs(points) >= 0.005 else f"as accurate as {ref.spec}")
    return (f"chosen: {chosen.spec}: Best-of-{k} {100 * chosen.bok:.2f}%, {change}; "
            f"{chosen.pps:.1f} programs/s, {chosen.pps / ref.pps:.2f}x {ref.spec}")


class GridProgress:
    """One line per measured configuration: its place in the grid, its result, and the time left
    (the mean time per configuration so far, times those remaining)."""

    def __init__(self, console, specs, k: int) -> None:
        from codesieve.verify.spec import parse_cascade

        self.console, self.k = console, k
        # the reference is measured too when missing; a skipped orm:trained ends the grid early
        self.total = len(specs) + ("full" not in {str(parse_cascade(s)) for s in specs})
        self.done, self.start = 0, time.monotonic()

    def __call__(self, point) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        self.console.print(f"{self.done:>3} of {self.total}  {point.spec:48s} Best-of-{self.k} "
                           f"{100 * point.bok:6.2f}%  {point.pps:9.1f} programs/s  "
                           f"{_clock(elapsed)} elapsed, ~{_clock(left)} left", highlight=False)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run, for the report (rebuilt from the parsed options)."""
    words = ["codesieve", "pareto", str(args.pool)]
    for flag, value, default in (("--k", args.k, None), ("--budget", args.budget, None),
                                 ("--max-loss", args.max_loss, None), ("-o", args.output, DEFAULT_OUTPUT),
                                 ("--orm", args.orm, None), ("--orm-url", args.orm_url, None),
                                 ("--orm-model", args.orm_model, ""), ("--folds", args.folds, 5),
                                 ("--repeats", args.repeats, 1), ("--workers", args.workers, None),
                                 ("--executor", args.executor, "local"),
                                 ("--data", args.data, None)):
        if value != default:
            words += [flag, str(value)]
    for spec in args.spec or ():
        words += ["--spec", spec]
    return " ".join(shlex.quote(w) for w in words)


def _orms(args: argparse.Namespace) -> dict:
    """ORMs given on the command line; without --orm, `search` trains orm:trained on the pool."""
    from codesieve.verify.http_orm import HttpOrm
    from codesieve.verify.orm import TrainedOrm, load_model

    orms: dict = {"http": HttpOrm(args.orm_url, args.orm_model)} if args.orm_url else {}
    if args.orm is not None:
        orms["trained"] = TrainedOrm(load_model(args.orm))
    return orms
