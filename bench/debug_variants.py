"""Debug-request variants with the embedded model, side by side on the same problems.

The S* benchmark found that a greedy debug request mostly gets back the program it asked to fix
(bench/results/sstar_variants.md, "What debugging did"). This runs the benchmark's pipeline on
the problems where at least one of S*'s samples failed a public test, once per arm:

- `greedy`: as the benchmark did (greedy answers, earlier answers as assistant turns);
- `sampled T`: the same requests, answers sampled at `RunConfig.debug_temperature` T;
- `quoted`: greedy, but each earlier program and its feedback quoted in one user turn
  (`RunConfig.debug_prompt="quoted"`), so there is no assistant turn to repeat.

Everything else is the benchmark's settings, so with its completion store shared the greedy arm
replays stored answers and only the other arms' debug answers (and the selection questions that
follow from them) are new. It reports, per arm, what debugging did (as the benchmark counts it)
and the hidden-test accuracy of `self-debug` and `sstar`, with a sign test of each arm against
`greedy` on the problems only one of the two solved.

    python bench/debug_variants.py [--benchmark humaneval+] [--problems 20] [--debug-temperature 0.7]

Run it after bench/sstar_accuracy.py (it picks problems from that run's store) and on an idle
machine. Resumable: each arm's finished problems are kept in its own run store. Its model answers
go to the completion store it shares with the benchmark, so `bench/sstar_accuracy.py --report`
saves them with the benchmark's increments and a fresh machine replays them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

import _results
import sstar_accuracy

from codesieve.llm import DEFAULT_MODEL
from codesieve.report import arms
from codesieve.runs import Model, Run, RunFiles
from codesieve.store import RunStore

NAME = "debug_variants"
BASELINE = "greedy"
STRATEGIES = ("self-debug", "sstar")
DEFAULTS = sstar_accuracy.parser().parse_args([])  # the benchmark's options, as it ran
BENCHMARK = sstar_accuracy.committed_config()


async def run_arms(args: argparse.Namespace) -> None:
    model = Model(args.model, parallel=args.parallel, ngram_draft=args.ngram_draft)
    model_id = model.model_id
    benchmark = replace(sstar_accuracy.committed_run(DEFAULTS, args.benchmark, model),
                        files=RunFiles.beside(args.benchmark_store))  # the committed run, in the store asked for
    sstar_accuracy.restore_completions(args.completions, save=False)
    greedy = replace(BENCHMARK, strategies=STRATEGIES)  # same identity: strategies share the stored work
    variants = {BASELINE: greedy, f"sampled {args.debug_temperature:g}": replace(
        greedy, debug_temperature=args.debug_temperature), "quoted": replace(greedy, debug_prompt="quoted")}
    # the arms' own run store; the benchmark's executions are cached beside its store
    files = RunFiles(args.store, args.completions, benchmark.files.exec_cache)
    arm_runs = {arm: Run(config, benchmark=args.benchmark, model=model, files=files)
                for arm, config in variants.items()}
    with RunStore(benchmark.files.store) as benchmark_store:
        candidates = arms.debugged_problems(benchmark_store, benchmark.key)
    if not candidates:
        sys.exit(f"no finished {args.benchmark} problems with a failing sample in {args.benchmark_store}: "
                 "run bench/sstar_accuracy.py first")
    first = arm_runs[BASELINE]
    with RunStore(files.store) as store, first.open_executor() as executor:
        problems = [p for p in sstar_accuracy.benchmark_problems(DEFAULTS, args.benchmark, executor)
                    if p.id in candidates][:args.problems]
        keys, generated = {}, {}
        async with first.opened() as live:
            llm = live.model
            for arm, run in arm_runs.items():
                print(f"[{arm}] {len(problems)} problems", flush=True)
                before = llm.usage.generated
                keys[arm] = (await replace(run, model=llm).execute(problems, store=store, executor=executor)).key
                generated[arm] = llm.usage.generated - before  # the greedy arm's answers are the benchmark's
                print(f"[{arm}] done, {generated[arm]} answers generated (the rest from the store)", flush=True)
        done = {p.id for p in problems}
        summaries = {arm: {**arms.arm_summary(store, key, done, STRATEGIES),
                           "answers_generated_now": generated[arm]} for arm, key in keys.items()}
    write(args, summaries, len(done), model_id)


def write(args: argparse.Namespace, summaries: dict[str, dict], n_problems: int, model_id: str) -> None:
    against = arms.versus(summaries, BASELINE, STRATEGIES)
    notes = (f"{n_problems} {args.benchmark} problems where a sample failed a public test in "
             f"bench/sstar_accuracy.py's run; model {model_id}, N={BENCHMARK.sample.n}, R={BENCHMARK.rounds}, the "
             f"benchmark's sampling settings; the arms differ only in the debug requests (sampled: with top_p "
             f"{BENCHMARK.sample.top_p}). Accuracy is on hidden tests, with its exact 95% interval. Problems only one of two arms solved, each arm vs "
             f"greedy (two-sided sign test): {arms.sentence(against, BASELINE)}.")
    _results.write(NAME, {"benchmark": args.benchmark, "model": model_id, "n_problems": n_problems,
                          "arms": summaries, "versus_greedy": against}, *arms.table(summaries, STRATEGIES, n_problems),
                   notes)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmark", default="humaneval+", choices=("humaneval+", "mbpp+", "codecontests"))
    p.add_argument("--problems", type=int, default=20, help="first K problems with a failing sample")
    p.add_argument("--debug-temperature", type=float, default=0.7)
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--parallel", type=int, default=8, help="embedded server slots")
    p.add_argument("--ngram-draft", action="store_true", help="as in bench/sstar_accuracy.py")
    p.add_argument("--store", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    p.add_argument("--benchmark-store", type=Path, default=Path("runs") / "sstar_accuracy.sqlite",
                   help="bench/sstar_accuracy.py's run store (problems are picked from it)")
    p.add_argument("--completions", type=Path, default=Path("runs") / "pools.sqlite",
                   help="completion store shared with bench/sstar_accuracy.py")
    args = p.parse_args()
    if args.debug_temperature <= 0 or args.problems < 1:
        p.error("--debug-temperature must be above 0 and --problems at least 1")
    asyncio.run(run_arms(args))


if __name__ == "__main__":
    main()
