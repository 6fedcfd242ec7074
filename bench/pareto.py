"""Benchmark: the accuracy-throughput frontier of verifiers and cascades on a labelled pool.

    .venv/bin/python bench/pareto.py POOL [--name NAME] [--confirm 3] [--max-loss 2] [--k K] [--limit N]
                                              [--exclude PROBLEM_ID ...]

Measures every configuration of the default grid once, with the trained ORM cross-fitted on the
pool (5 folds by problem, so every problem is scored by a model that never saw it); picks the
fastest configuration within --max-loss Best-of-k points of `full`; then measures `full` and that
configuration again --confirm times, interleaved, and reports their medians. Writes into
bench/results/:

    pareto_NAME.json   {"full": {"bok", "pps"}, "best": {"spec", "bok", "pps"}, "ratio",
                        "loss_points", "k", ...every point with its per-stage costs}
    pareto_NAME.md     the table, with the command that produced it
    pareto_NAME.png / .svg   the frontier plot

"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import replace
from pathlib import Path

from codesieve.execution import ExecutionCache, Executor
from codesieve.pareto.evaluate import DEFAULT_GRID, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, choose
from codesieve.pareto.report import write_report
from codesieve.select.base import Toolbox
from codesieve.verify.pool import load_problems, read_pool

RESULTS = Path(__file__).parent / "results"


def show(point: Point) -> None:
    print(f"{point.spec:60s} {100 * point.bok:6.2f}% {point.pps:9.1f}/s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", type=Path)
    parser.add_argument("--name", default=None, help="result name (default: the pool file's stem)")
    parser.add_argument("--confirm", type=int, default=3, help="re-measure full and the pick this often")
    parser.add_argument("--max-loss", type=float, default=2.0)
    parser.add_argument("--k", type=int, default=None, help="Best-of-k (default: candidates per problem)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="only the pool's first N problems (quicker)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PROBLEM_ID",
                        help="leave a problem out (say why in the results); repeatable")
    args = parser.parse_args()
    name = args.name or args.pool.name.split(".")[0]
    pool = read_pool(args.pool)
    ids = [i for i in pool.by_problem() if i not in args.exclude][: args.limit]
    pool = pool.only(ids)
    with Executor(cache=ExecutionCache(max_memory_items=0)) as executor:
        groups, labels = pool_groups(pool, load_problems(pool, executor))
        orms = {"trained": cross_fitted_orm(groups, labels, args.folds)}
        k = args.k or max(map(len, labels))
        tools = Toolbox(executor=executor, orms=orms)
        ev = evaluate(groups, labels, DEFAULT_GRID, tools, k=k, benchmark=pool.benchmark, progress=show)
        chosen = choose(ev.points, ev.reference, max_loss_points=args.max_loss)
        notes = ""
        if chosen is not None and args.confirm > 0:
            print(f"confirming full and {chosen.spec} ({args.confirm} interleaved runs)", flush=True)
            again = {p.spec: p for p in evaluate(groups, labels, [chosen.spec], tools, k=k, repeats=args.confirm,
                                                 benchmark=pool.benchmark, progress=show).points}
            ev = replace(ev, points=tuple(again.get(p.spec, p) for p in ev.points))
            chosen = again[chosen.spec]
            notes = (f"The grid ran once; `full` and the chosen configuration were then measured {args.confirm} "
                     "more times, interleaved, and their rows show the median of those runs.")
    command = "python bench/pareto.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    paths = write_report(RESULTS, f"pareto_{name}", ev, chosen, f"at most {args.max_loss:g} points below full",
                         command, args.pool.name, notes)
    print("wrote", ", ".join(map(str, paths)))
    if chosen is not None:
        ref = ev.reference
        print(f"full: {100 * ref.bok:.2f}% at {ref.pps:.1f}/s; best: {chosen.spec}: {100 * chosen.bok:.2f}% at "
              f"{chosen.pps:.1f}/s = {chosen.pps / ref.pps:.2f}x, {100 * (ref.bok - chosen.bok):.2f} points lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
