"""S* vs baselines with the embedded model, on dev: what `codesieve run` ships, and the variants measured before.

Same problems, same first-round samples within a run (majority vote, MBR-exec and S* share the N
samples; zero-shot and self-debug share the greedy one), graded on hidden tests only:

- HumanEval+ (all 164), MBPP+ (a fixed-seed sample, default 100), CodeContests (the first
  problems that have private tests, default 40): at the defaults, the dev split
  (`codesieve.problems.subsets`; bench/sstar_heldout.py runs the test split).

Two studies, each its own results file:

- `sstar_accuracy` (`--run shipped`, the default): `codesieve.runs.SHIPPED`, read there as the CLI
  reads it (a test fails if they drift apart), with zero-shot, majority vote, MBR-exec and
  self-debug beside S*: its `sstar` column is exactly what `codesieve run` ships, N included.
  `--zero-shot-model qwen2.5-coder-1.5b` first runs that model's greedy zero-shot on the same
  problems, a baseline column `zero-shot@1.5b` (the paper's claim: a small model with S* against a
  larger one without it), as bench/sstar_heldout.py does on test.
- `sstar_variants` (`--run committed`, then `--run reruns`): the run committed from 1 to 6
  December, keyed as it ran: round-0 samples at make_pools.py's settings (temperature 1.0, top_p
  0.95, seed 0; with the shared completion store the first N pool samples of a problem are its
  candidates), the verdict-first judge and the model's inputs alone (`SelectConfig.verdict_first`),
  every debug round; S* beside `sstar-mutants` and `sstar-predict`; and S* again on the same stored
  samples with a 1.5B judge (`RERUNS`: only the judge's answers are new).

Resumable: everything goes to a run store (default runs/sstar_accuracy.sqlite); started again
with the same options it skips finished problems and the completion store serves finished
samples. Results are rewritten every few minutes and at the end, so partial results are always on
disk: bench/results/<study>.json ({"<benchmark>": {"n_problems": k, "<strategy>": accuracy, ...}})
and .md. A study none of whose runs has a finished problem in the store is left as committed.
Prints one line per problem, so it runs well under nohup:

    nohup .venv/bin/python bench/sstar_accuracy.py > runs/sstar_accuracy.log 2>&1 &

The stores are local files, but the model's answers are what took hours: `--report` also saves
the answers added since the last save to bench/data/sstar_completions/NNN.jsonl.gz (committed
with the results), and every run first imports those files, so on a fresh machine the run
replays what was committed instead of generating it again (`--run committed` and `--run reruns`
rebuild the variants study's store that way). The report itself (grading, verdicts,
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
from sstar_heldout import size
from codesieve.execution import Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import DEFAULT_MODEL, LLM
from codesieve.llm.store import sync_increments
from codesieve.pipeline import RunConfig
from codesieve.problems import load_benchmark
from codesieve.problems.subsets import DEV_COUNTS, SPLIT_SEED, subset_ids
from codesieve.report import sstar as sstar_report
from codesieve.report.files import command_line
from codesieve.runs import SHIPPED, Model, Run, RunFiles
from codesieve.stages import SelectConfig
from codesieve.store import RunStore
from codesieve.types import Problem

NAME = "sstar_accuracy"  # the shipped configuration's study; the run store is named for it too
VARIANTS_NAME = "sstar_variants"
RESULTS = Path(__file__).resolve().parent / "results"
# The shipped study: S* as `codesieve run` ships it, beside the baselines it has to beat.
SHIPPED_DESIGN = sstar_report.Design(baselines=("zero-shot", "majority-vote", "mbr-exec", "self-debug"),
                                     ours=("sstar",))
SHIPPED_ABOUT = ("`sstar` is `codesieve run`'s shipped configuration (`codesieve.runs.SHIPPED`): N samples at "
                 "temperature 0.7, greedy debug rounds that stop at a repeated program, the predicting judge, the "
                 "model's inputs plus mutants and edge cases, copied predictions discarded. `majority-vote` and "
                 "`mbr-exec` pick from the same samples and inputs: the largest group of identical outputs, and "
                 "the candidate whose outputs agree most with the others' input by input. `zero-shot` is the "
                 "greedy answer; `self-debug` its debugged revision.")
# Each rerun of the variants study: its strategy, the judge model, and the selection settings it changes.
RERUNS = {sstar_report.Rerun("sstar-predict, 1.5B judge", "sstar-predict"): ("qwen2.5-coder-1.5b", {}),
          sstar_report.Rerun("sstar, 1.5B predicting judge", "sstar"): ("qwen2.5-coder-1.5b", {"judge": "predict"}),
          sstar_report.Rerun("sstar-predict, 1.5B judge, 32 mutants", "sstar-predict"):
              ("qwen2.5-coder-1.5b", {"n_mutants": 32})}
RERUN_BENCHMARKS = ("humaneval+", "mbpp+")
# the paper's selection; ours with mutated public inputs added; and that with a judge that predicts outputs
DESIGN = sstar_report.Design(baselines=("zero-shot", "majority-vote", "self-debug"),
                             ours=("sstar", "sstar-mutants", "sstar-predict"), reruns=tuple(RERUNS))
COMMITTED_STRATEGIES = DESIGN.baselines + DESIGN.ours  # the reruns are runs of their own (`rerun`)
ABOUT = ("This is the run committed from 1 to 6 December, before the shipped defaults (bench/results/sstar_accuracy.md "
         "measures those): samples at temperature 1.0, every debug round, the model's own inputs. `sstar` selects as "
         "the paper does, with the verdict-first judge; `sstar-mutants` also groups and compares candidates on "
         "mutations of the public inputs (empty, shortened, reversed, sorted values, neighbouring numbers), since the "
         "small model's own inputs mostly repeat the examples. `sstar-predict` is `sstar-mutants` whose judge, "
         "instead of choosing between programs A and B, predicts the output of each input they differ on without "
         "seeing them; the side whose output it predicted wins. All three use the same candidates. "
         "`sstar-predict, 1.5B judge` is `sstar-predict` run again on the same stored samples, inputs and "
         "outputs with Qwen2.5-Coder-1.5B as the judge (`--run reruns`): only its predictions are new. "
         "`sstar, 1.5B predicting judge` is `sstar` (no mutants) run again the same way, its duels judged by "
         "the 1.5B's predictions. `sstar-predict, 1.5B judge, 32 mutants` is the first rerun with 32 mutated "
         "inputs instead of 8 (docs/sstar.md says how the count was chosen).")
# The committed run spans sessions; how the embedded server decoded is part of its record (greedy
# answers are the model's either way, up to near-ties: bench/results/ngram_draft.md).
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


def describe(config: RunConfig) -> str:
    sample = config.sample
    return (f"N={sample.n}, R={config.rounds}, temperature {sample.temperature}, top_p {sample.top_p}, "
            f"seed {sample.seed}")


def shipped_header(model_id: str) -> list[str]:
    return [f"Command: `{command_line(drop=('--report',))}`  ",
            "Split: dev (`codesieve.problems.subsets`)  ",
            f"Model: {model_id} (generator and judge), {describe(SHIPPED)}: `codesieve run`'s shipped configuration, "
            "served as it serves it (n-gram drafting)  ",
            f"Date: {dt.date.today().isoformat()}, {os.cpu_count()} cores"]


def variants_header(model_id: str) -> list[str]:
    """The variants report's lines under its title: what ran, and how."""
    return [f"Command: `{command_line(drop=('--report', '--run'))} --run committed`  ",
            "Split: dev (`codesieve.problems.subsets`)  ",
            f"Model: {model_id}, {describe(committed_config())}  ",
            f"Date: {dt.date.today().isoformat()}, {os.cpu_count()} cores  ", f"Server: {SERVER_HISTORY}  ",
            "Reruns with a 1.5B judge (" + ", ".join(f"`{r.label}`" for r in RERUNS) + f"): "
            f"`python bench/sstar_accuracy.py --benchmarks {','.join(RERUN_BENCHMARKS)} --run reruns`"]


def shipped_config() -> RunConfig:
    """What `codesieve run` ships, with the baselines beside S*."""
    return replace(SHIPPED, strategies=SHIPPED_DESIGN.strategies)


def committed_config() -> RunConfig:
    """The committed variants run's settings (as it was keyed; `SelectConfig.verdict_first`)."""
    sample = SampleConfig(n=8, temperature=1.0, max_tokens=512, seed=0)
    return RunConfig(strategies=COMMITTED_STRATEGIES, sample=sample, rounds=2, stop_repeated=False,
                     select=SelectConfig.verdict_first(seed=0), concurrency=3)


def rerun_config(config: RunConfig, rerun: sstar_report.Rerun) -> RunConfig:
    """The committed run's settings with only the rerun's strategy and the selection settings it changes."""
    return replace(config, strategies=(rerun.strategy,), select=replace(config.select, **RERUNS[rerun][1]))


def run_files(args: argparse.Namespace) -> RunFiles:
    """The run store and its execution cache; model answers in the completion store make_pools.py fills."""
    return replace(RunFiles.beside(args.store), completions=args.completions)


def shipped_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """The shipped configuration on `benchmark`, its model served as `codesieve run` serves it."""
    return Run(shipped_config(), benchmark=benchmark, model=model or Model(args.model, ngram_draft=True),
               files=run_files(args))


def zero_shot_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """`--zero-shot-model`'s greedy answer alone, as bench/sstar_heldout.py runs it; a problem per slot."""
    config = replace(shipped_config(), strategies=("zero-shot",), concurrency=Model.parallel)
    return Run(config, benchmark=benchmark, model=model or Model(args.zero_shot_model, ngram_draft=True),
               files=run_files(args))


def committed_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """The committed variants run on `benchmark`: the generator also judges."""
    model = model or Model(args.model, parallel=8, ngram_draft=True)
    return Run(committed_config(), benchmark=benchmark, model=model, files=run_files(args))


def rerun(args: argparse.Namespace, which: sstar_report.Rerun, benchmark: str, model: Model | LLM | None = None,
          judge: Model | LLM | None = None) -> Run:
    """A rerun on `benchmark`: a larger model judges; the generator writes the inputs (answered from its store)."""
    model = model or Model(args.model, parallel=1)
    judge = judge or Model(RERUNS[which][0], parallel=8)
    return Run(rerun_config(committed_config(), which), benchmark=benchmark, model=model, judge_model=judge,
               inputs_model=model, files=run_files(args))


def benchmark_ids(args: argparse.Namespace, benchmark: str) -> list[str]:
    """The ids of the problems run on `benchmark`: at the default options, its dev split (a test checks it)."""
    counts = {"humaneval+": args.humaneval, "mbpp+": args.mbpp, "codecontests": args.codecontests}
    return subset_ids(benchmark, counts[benchmark], args.seed)


def benchmark_problems(args: argparse.Namespace, benchmark: str, executor: Executor) -> list[Problem]:
    return load_benchmark(benchmark, ids=benchmark_ids(args, benchmark), executor=executor)


async def main_async(args: argparse.Namespace) -> None:
    benchmarks = args.benchmarks.split(",")
    shipped = {b: shipped_run(args, b) for b in benchmarks}
    committed = {b: committed_run(args, b) for b in benchmarks}
    reruns = {which: {b: rerun(args, which, b) for b in benchmarks if b in RERUN_BENCHMARKS} for which in RERUNS}
    zero_shot = {b: zero_shot_run(args, b) for b in benchmarks} if args.zero_shot_model else {}
    larger = sstar_report.Rerun(f"zero-shot@{size(args.zero_shot_model)}", "zero-shot") if zero_shot else None
    first = shipped[benchmarks[0]]
    restore_completions(first.files.completions, save=args.report)
    with RunStore(first.files.store) as store, first.open_executor() as executor:
        chosen = {b: benchmark_problems(args, b, executor) for b in benchmarks}
        targets = {b: len(ps) for b, ps in chosen.items()}
        by_id = {b: {p.id: p for p in ps} for b, ps in chosen.items()}
        every = [*shipped.values(), *zero_shot.values(), *committed.values(),
                 *(r for by_b in reruns.values() for r in by_b.values())]
        for run in every:
            store.open_run(run.key, run.identity)
        model_id = first.model.model_id
        shipped_design = replace(SHIPPED_DESIGN, others=(larger,) if larger else ())
        shipped_keys = {b: {larger.label: run.key} for b, run in zero_shot.items()} if larger else {}
        studies = {NAME: (shipped, shipped_design, shipped_header(model_id), SHIPPED_ABOUT, shipped_keys),
                   VARIANTS_NAME: (committed, DESIGN, variants_header(model_id), ABOUT,
                                   {b: {w.label: reruns[w][b].key for w in RERUNS} for b in benchmarks
                                    if b in RERUN_BENCHMARKS})}
        written, finished = [0.0], {name: {} for name in studies}

        def write(now: bool = True) -> None:
            if not now and time.monotonic() - written[0] < WRITE_EVERY_S:
                return
            for name, (runs, design, head, about, rerun_keys) in studies.items():
                if any(store.results(run.key) for run in runs.values()):  # else left as committed
                    sstar_report.write(RESULTS, name, store, {b: r.key for b, r in runs.items()}, targets, by_id,
                                       executor, design, head, about, finished[name], rerun_keys)
            written[0] = time.monotonic()

        async def execute(run: Run) -> None:
            await _results.run_logged(run, f"{args.run} {run.benchmark}", chosen[run.benchmark], store, executor,
                                      lambda: write(now=False))

        write()
        if args.report:
            return
        if args.run in ("shipped", "committed"):
            runs = shipped if args.run == "shipped" else committed
            for group in ([zero_shot, runs] if args.run == "shipped" and zero_shot else [runs]):  # the cheap one first
                async with group[benchmarks[0]].opened() as live:  # one model for every benchmark
                    for run in group.values():
                        await execute(replace(run, model=live.model))
        else:  # the samples and inputs are the committed run's (the generator answers from its store): only judging is new
            for which, by_benchmark in reruns.items():
                if not by_benchmark:
                    continue
                async with next(iter(by_benchmark.values())).opened() as live:
                    for benchmark in by_benchmark:
                        await execute(rerun(args, which, benchmark, live.model, live.judge_model))
        write()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run", choices=("shipped", "committed", "reruns"), default="shipped",
                   help="which runs to run or resume: the shipped configuration (default), the committed variants "
                        "run, or its reruns with a 1.5B judge (only judge answers are generated)")
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--humaneval", type=int, default=DEV_COUNTS["humaneval+"],
                   help="HumanEval+ problems (default all 164: its dev split)")
    p.add_argument("--mbpp", type=int, default=DEV_COUNTS["mbpp+"],
                   help=f"MBPP+ problems, sampled with --seed (default {DEV_COUNTS['mbpp+']}: with seed "
                        f"{SPLIT_SEED}, its dev split)")
    p.add_argument("--codecontests", type=int, default=DEV_COUNTS["codecontests"],
                   help=f"the first CodeContests problems with private tests (default {DEV_COUNTS['codecontests']}: "
                        "its dev split)")
    p.add_argument("--seed", type=int, default=SPLIT_SEED, help="the MBPP+ sample's seed")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--zero-shot-model", default=None,
                   help="with --run shipped: first, this model's greedy zero-shot on the same problems (e.g. "
                        "qwen2.5-coder-1.5b), a baseline column zero-shot@<size> of the shipped study")
    p.add_argument("--store", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    p.add_argument("--completions", type=Path, default=Path("runs") / "pools.sqlite",
                   help="completion store (default: the one bench/make_pools.py fills)")
    p.add_argument("--report", action="store_true",
                   help="only rewrite the results from the run store (no model) and save the new model answers "
                        "to bench/data/sstar_completions: for committing partial runs")
    return p


def main() -> None:
    asyncio.run(main_async(parser().parse_args()))


if __name__ == "__main__":
    main()
