"""Benchmark: the accuracy-throughput frontier of verifiers and cascades on a labelled pool.

    .venv/bin/python bench/pareto.py POOL [--name NAME] [--confirm 3] [--finalists 3] [--max-loss 2] [--k K]
                                              [--limit N] [--exclude PROBLEM_ID ...]

The settings of the committed results: every configuration of the default grid measured once,
the trained ORM cross-fitted on the pool (5 folds by problem, so every problem is scored by a
model that never saw it); then `full` and the --finalists fastest configurations of that run within
--max-loss Best-of-k points of `full`, and the --finalists fastest within 2% and within 8.26% (the
Pareto paper's loss) of `full`'s Best-of-k relative to it, measured again --confirm times,
interleaved, their medians reported, and the fastest of them on those medians chosen (one run's
throughput is noisy). The search is `codesieve.pareto.search` (as `codesieve pareto` runs it), the
files `codesieve.report.pareto`, written into bench/results/:

    pareto_NAME.json   {"full": {"bok", "pps"}, "best": {"spec", "bok", "pps"}, "ratio",
                        "loss_points", "loss_relative", "k",
                        "best_at_2pct" and "best_at_paper_loss": {"spec", "bok", "pps", "speedup",
                        "loss_relative", "measured"}, ...every point with its per-stage costs}
    pareto_NAME.md     the table, with the command that produced it
    pareto_NAME.png / .svg   the frontier plot
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from pathlib import Path

from codesieve.execution import ExecutionCache, Executor
from codesieve.pareto import Point, Search, search
from codesieve.pareto.search import RELATIVE_LOSSES
from codesieve.report.pareto import best_at, write_report
from codesieve.stats import loss
from codesieve.verify.pool import load_problems, read_pool

RESULTS = Path(__file__).parent / "results"


def show(point: Point) -> None:
    print(f"{point.spec:60s} {100 * point.bok:6.2f}% {point.pps:9.1f}/s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pool", type=Path)
    parser.add_argument("--name", default=None, help="result name (default: the pool file's stem)")
    parser.add_argument("--confirm", type=int, default=3, help="re-measure full and the finalists this often")
    parser.add_argument("--finalists", type=int, default=3,
                        help="configurations re-measured; the pick is the best of them on the re-measurement")
    parser.add_argument("--max-loss", type=float, default=2.0)
    parser.add_argument("--k", type=int, default=None, help="Best-of-k (default: candidates per problem)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None, help="only the pool's first N problems (quicker)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PROBLEM_ID",
                        help="leave a problem out (say why in the results); repeatable")
    args = parser.parse_args()
    name = args.name or args.pool.name.split(".")[0]
    pool = read_pool(args.pool)
    pool = pool.only([i for i in pool.by_problem() if i not in args.exclude][: args.limit])
    how = Search(k=args.k, confirm=args.confirm, finalists=args.finalists, max_loss_points=args.max_loss,
                 folds=args.folds)
    with Executor(cache=ExecutionCache(max_memory_items=0)) as executor:
        found = asyncio.run(search(pool, load_problems(pool, executor), executor, how, progress=show))
    command = "python bench/pareto.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    paths = write_report(RESULTS, f"pareto_{name}", found, command, args.pool.name)
    print("wrote", ", ".join(map(str, paths)))
    if found.chosen is not None:
        ref, chosen = found.evaluation.reference, found.chosen
        print(f"full: {100 * ref.bok:.2f}% at {ref.pps:.1f}/s; best: {chosen.spec}: {100 * chosen.bok:.2f}% at "
              f"{chosen.pps:.1f}/s = {chosen.pps / ref.pps:.2f}x, {loss(ref.bok, chosen.bok)} lost")
    for name, relative in RELATIVE_LOSSES:
        best = best_at(found, relative)
        print(f"best_at_{name} (at most {100 * relative:g}% relative loss): {best['spec']}: "
              f"{best['speedup']:.2f}x, {100 * best['loss_relative']:.2f}% lost ({best['measured']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
