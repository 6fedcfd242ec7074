"""S* vs baselines with the embedded model: zero-shot, majority vote, self-debug, S* side by side.

Same problems, same first-round samples (majority vote and S* share the N samples; zero-shot and
self-debug share the greedy one), graded on hidden tests only:

- HumanEval+ (all 164), MBPP+ (a fixed-seed sample, default 100), CodeContests (the first
  problems that have private tests, default 40): at the defaults, the dev split
  (`codesieve.problems.subsets`; bench/sstar_heldout.py runs the test split).

Resumable: everything goes to a run store (default runs/sstar_accuracy.sqlite); started again
with the same options it skips finished problems and the completion store serves finished
samples. Results are rewritten every few minutes and at the end (each finished problem's record
is read and graded once per process), so partial results are always on disk:
bench/results/sstar_accuracy.json ({"<benchmark>": {"n_problems": k, "<strategy>": accuracy}})
and sstar_accuracy.md. Prints one line per problem, so it runs well under nohup:

    nohup .venv/bin/python bench/sstar_accuracy.py > runs/sstar_accuracy.log 2>&1 &

Round-0 samples use make_pools.py's settings (temperature 1.0, top_p 0.95, seed 0) and its
completion store, so on HumanEval+ and MBPP+ (the same seeded 100) the first N pool samples of a
problem are S*'s and majority vote's candidates: generated once, used by both benchmarks. The
Markdown also says whether S* beats each baseline (sign test on the problems only one side
solved) and splits S*'s failures into "no correct candidate" and "picked wrong".

The stores are local files, but the model's answers are what took hours: `--report` also saves
the answers added since the last save to bench/data/sstar_completions/NNN.jsonl.gz (committed
with the results), and every run first imports those files, so on a fresh machine the run
replays what was committed instead of generating it again. The report itself (grading, verdicts,
explanations) is built by codesieve.report.sstar; this script chooses the settings.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path

import _results
from codesieve.execution import Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import DEFAULT_MODEL, LLM
from codesieve.llm.store import sync_increments
from codesieve.pipeline import RunConfig
from codesieve.problems import load_benchmark
from codesieve.problems.subsets import DEV_COUNTS, SPLIT_SEED, subset_ids
from codesieve.report import sstar as sstar_report
from codesieve.report.files import command_line
from codesieve.runs import Model, Run, RunFiles
from codesieve.stages import SelectConfig
from codesieve.store import RunStore
from codesieve.types import Problem

NAME = "sstar_accuracy"
RESULTS = Path(__file__).resolve().parent / "results"
# S* again on the same stored samples with a larger judge model (`--reruns`): only selection answers are new.
# Each rerun: its strategy, the judge model, and the selection settings (`SelectConfig`) it changes.
RERUNS = {sstar_report.Rerun("sstar-predict, 1.5B judge", "sstar-predict"): ("qwen2.5-coder-1.5b", {}),
          sstar_report.Rerun("sstar, 1.5B predicting judge", "sstar"): ("qwen2.5-coder-1.5b", {"judge": "predict"}),
          sstar_report.Rerun("sstar-predict, 1.5B judge, 32 mutants", "sstar-predict"):
              ("qwen2.5-coder-1.5b", {"n_mutants": 32})}
RERUN_BENCHMARKS = ("humaneval+", "mbpp+")
# the paper's selection; ours with mutated public inputs added; and that with a judge that predicts outputs
DESIGN = sstar_report.Design(baselines=("zero-shot", "majority-vote", "self-debug"),
                             ours=("sstar", "sstar-mutants", "sstar-predict"), reruns=tuple(RERUNS))
MAIN_STRATEGIES = DESIGN.baselines + DESIGN.ours  # the reruns are runs of their own (`rerun`)
ABOUT = ("`sstar` selects as the paper does; `sstar-mutants` also groups and compares candidates on mutations of "
         "the public inputs (empty, shortened, reversed, sorted values, neighbouring numbers), since the small "
         "model's own inputs mostly repeat the examples. `sstar-predict` is `sstar-mutants` whose judge, instead "
         "of choosing between programs A and B, predicts the output of each input they differ on without seeing "
         "them; the side whose output it predicted wins. All three use the same candidates. "
         "`sstar-predict, 1.5B judge` is `sstar-predict` run again on the same stored samples, inputs and "
         "outputs with Qwen2.5-Coder-1.5B as the judge (`--reruns`): only its predictions are new. "
         "`sstar, 1.5B predicting judge` is `sstar` (no mutants) run again the same way, its duels judged by "
         "the 1.5B's predictions. `sstar-predict, 1.5B judge, 32 mutants` is the first rerun with 32 mutated "
         "inputs instead of 8 (the library's default since; docs/sstar.md says how the count was chosen).")
# The run spans sessions; how the embedded server decoded is part of its record (greedy answers
# are the model's either way, up to near-ties: bench/results/ngram_draft.md).
SERVER_HISTORY = ("plain llama.cpp decoding for the first 129 HumanEval+ problems, n-gram drafting "
                  "(`--ngram-draft`) for the model answers generated since (2026-12-01 20:12 UTC)")
WRITE_EVERY_S = 300
SAVED = Path(__file__).resolve().parent / "data" / "sstar_completions"


def restore_completions(path: Path, save: bool) -> None:
    """Import the committed increments of model answers into the completion store at `path`; with
    `save`, write the answers created since the newest increment as the next one."""
    saved, count = sync_increments(path, SAVED, save)
    if save:
        print(f"saved {count} new model answers to {saved.relative_to(SAVED.parent.parent.parent)}"
              if saved else "no new model answers to save", flush=True)


def header(args: argparse.Namespace, model_id: str) -> list[str]:
    """The report's lines under its title: what ran, and how."""
    return [f"Command: `{command_line(drop=('--report', '--reruns'))}`  ",
            f"Model: {model_id}, N={args.n}, R={args.rounds}, temperature {args.temperature}, top_p 0.95, "
            f"seed {args.seed}  ",
            f"Date: {dt.date.today().isoformat()}, {os.cpu_count()} cores  ", f"Server: {SERVER_HISTORY}  ",
            "Reruns with a 1.5B judge (" + ", ".join(f"`{r.label}`" for r in RERUNS) + f"): "
            f"`python bench/sstar_accuracy.py --benchmarks {','.join(RERUN_BENCHMARKS)} --reruns`"]


def run_config(args: argparse.Namespace) -> RunConfig:
    sample = SampleConfig(n=args.n, temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed)
    return RunConfig(strategies=MAIN_STRATEGIES, sample=sample, rounds=args.rounds, stop_repeated=False,
                     select=SelectConfig.verdict_first(seed=args.seed),
                     concurrency=args.concurrency)


def rerun_config(config: RunConfig, rerun: sstar_report.Rerun) -> RunConfig:
    """The main run's settings with only the rerun's strategy and the selection settings it changes."""
    return replace(config, strategies=(rerun.strategy,), select=replace(config.select, **RERUNS[rerun][1]))


def run_files(args: argparse.Namespace) -> RunFiles:
    """The run store and its execution cache; model answers in the completion store make_pools.py fills."""
    return replace(RunFiles.beside(args.store), completions=args.completions)


def main_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """The main run on `benchmark`: the generator also judges."""
    model = model or Model(args.model, parallel=args.parallel, ngram_draft=args.ngram_draft)
    return Run(run_config(args), benchmark=benchmark, model=model, files=run_files(args))


def rerun(args: argparse.Namespace, which: sstar_report.Rerun, benchmark: str, model: Model | LLM | None = None,
          judge: Model | LLM | None = None) -> Run:
    """A rerun on `benchmark`: a larger model judges; the generator writes the inputs (answered from its store)."""
    model = model or Model(args.model, parallel=1)
    judge = judge or Model(RERUNS[which][0], parallel=args.parallel)
    return Run(rerun_config(run_config(args), which), benchmark=benchmark, model=model, judge_model=judge,
               inputs_model=model, files=run_files(args))


def benchmark_ids(args: argparse.Namespace, benchmark: str) -> list[str]:
    """The ids of the problems run on `benchmark`: at the default options, its dev split (a test checks it)."""
    counts = {"humaneval+": args.humaneval, "mbpp+": args.mbpp, "codecontests": args.codecontests}
    return subset_ids(benchmark, counts[benchmark], args.seed)


def benchmark_problems(args: argparse.Namespace, benchmark: str, executor: Executor) -> list[Problem]:
    return load_benchmark(benchmark, ids=benchmark_ids(args, benchmark), executor=executor)


async def main_async(args: argparse.Namespace) -> None:
    runs = {b: main_run(args, b) for b in args.benchmarks.split(",")}
    reruns = {which: {b: rerun(args, which, b) for b in runs if b in RERUN_BENCHMARKS} for which in RERUNS}
    first = next(iter(runs.values()))
    restore_completions(first.files.completions, save=args.report)
    with RunStore(first.files.store) as store, first.open_executor() as executor:
        chosen = {b: benchmark_problems(args, b, executor) for b in runs}
        targets = {b: len(ps) for b, ps in chosen.items()}
        by_id = {b: {p.id: p for p in ps} for b, ps in chosen.items()}
        keys = {b: run.key for b, run in runs.items()}
        rerun_keys = {b: {which.label: reruns[which][b].key for which in RERUNS} for b in runs if b in RERUN_BENCHMARKS}
        for run in [*runs.values(), *(r for by_benchmark in reruns.values() for r in by_benchmark.values())]:
            store.open_run(run.key, run.identity)
        model_id = first.model.model_id

        written, finished = [0.0], {}

        def write(now: bool = True) -> None:
            if now or time.monotonic() - written[0] >= WRITE_EVERY_S:
                sstar_report.write(RESULTS, NAME, store, keys, targets, by_id, executor, DESIGN, header(args, model_id),
                                   ABOUT, finished, rerun_keys)
                written[0] = time.monotonic()

        async def execute(run: Run) -> None:
            await _results.run_logged(run, run.benchmark, chosen[run.benchmark], store, executor,
                                      lambda: write(now=False))

        write()
        if args.report:
            return
        if not args.reruns:
            async with first.opened() as live:  # one model for every benchmark
                for benchmark in runs:
                    await execute(main_run(args, benchmark, live.model))
        else:  # the samples and inputs are the main run's (the generator answers from its store): only judging is new
            for which, by_benchmark in reruns.items():
                if not by_benchmark:
                    continue
                async with next(iter(by_benchmark.values())).opened() as live:
                    for benchmark in by_benchmark:
                        await execute(rerun(args, which, benchmark, live.model, live.judge_model))
        write()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--humaneval", type=int, default=DEV_COUNTS["humaneval+"],
                   help="HumanEval+ problems (default all 164: its dev split)")
    p.add_argument("--mbpp", type=int, default=DEV_COUNTS["mbpp+"],
                   help=f"MBPP+ problems, sampled with --seed (default {DEV_COUNTS['mbpp+']}: with seed "
                        f"{SPLIT_SEED}, its dev split)")
    p.add_argument("--codecontests", type=int, default=DEV_COUNTS["codecontests"],
                   help=f"the first CodeContests problems with private tests (default {DEV_COUNTS['codecontests']}: "
                        "its dev split)")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("-n", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--temperature", type=float, default=1.0,
                   help="1.0 with top_p 0.95 and seed 0 are make_pools.py's settings: with --completions "
                        "shared, the first N pool samples of a problem are its round-0 candidates here")
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--parallel", type=int, default=8, help="embedded server slots")
    p.add_argument("--ngram-draft", action="store_true",
                   help="embedded server drafts tokens by n-gram lookup (codesieve.llm.ServerConfig.ngram_draft)")
    p.add_argument("--concurrency", type=int, default=3, help="problems in flight")
    p.add_argument("--store", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    p.add_argument("--completions", type=Path, default=Path("runs") / "pools.sqlite",
                   help="completion store (default: the one bench/make_pools.py fills)")
    p.add_argument("--reruns", action="store_true",
                   help="run S* again with each larger judge model on the main run's stored samples (RERUNS; only "
                        "judge answers are generated) instead of the main run")
    p.add_argument("--report", action="store_true",
                   help="only rewrite the results from the run store (no model) and save the new model answers "
                        "to bench/data/sstar_completions: for committing partial runs")
    return p


def main() -> None:
    asyncio.run(main_async(parser().parse_args()))


if __name__ == "__main__":
    main()
