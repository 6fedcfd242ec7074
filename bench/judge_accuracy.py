"""Judge accuracy: each S* judge variant, with the 0.5B and the 1.5B model, on the committed run's duels.

The committed S* run (bench/sstar_accuracy.py; its run store, rebuilt from the committed
increments) holds every duel with its two programs, separating inputs and real outputs. Where
one program passes the hidden tests and the other fails, the duel has a right answer. Each
variant judges every such duel that reached the judge, showing what S* showed, and is scored:
decided (one side got more points), right (the passing side won), wrong, undecided, accuracy on
decided duels with its exact 95% interval, and the judge's completion tokens per duel. No program
is sampled; only judge answers are new.

Judge answers go to a completion store (default runs/judge_accuracy.sqlite) and are saved as
increments in bench/data/judge_accuracy/ (committed), so a run resumes on a fresh machine from
what was committed and the numbers repeat. `--report` rebuilds the results from stored answers
only. Jobs run cheapest first and results are rewritten after each one:

    nohup nice -n 19 .venv/bin/python bench/judge_accuracy.py > runs/judge_accuracy.log 2>&1 &
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import time
from dataclasses import replace
from pathlib import Path

from sstar_accuracy import DESIGN, SAVED as SSTAR_SAVED, main_run, parser as sstar_parser

from codesieve.errors import StoreError
from codesieve.execution import Executor
from codesieve.llm.store import sync_increments
from codesieve.problems import problem_subset
from codesieve.report.files import command_line
from codesieve.report.oracle import correct_candidates
from codesieve.report.duels import decisive_duels
from codesieve.select.rejudge import Judged, StoredDuel, rejudge, tally
from codesieve.stages import SelectConfig, Toolbox
from codesieve.stats import proportion
from codesieve.runs import Model, Run, RunFiles
from codesieve.store import RunStore
from codesieve.types import Problem

NAME = "judge_accuracy"
ROOT = Path(__file__).resolve().parent
SAVED = ROOT / "data" / NAME
RESULTS = ROOT / "results"
# cheapest first: one token per order; stored answers (0.5B); short verdicts; then reasoning
JOBS = (("logprob", "qwen2.5-coder-0.5b"), ("verdict-first", "qwen2.5-coder-0.5b"), ("predict", "qwen2.5-coder-0.5b"),
        ("logprob", "qwen2.5-coder-1.5b"), ("verdict-first", "qwen2.5-coder-1.5b"), ("reason", "qwen2.5-coder-1.5b"),
        ("reason", "qwen2.5-coder-0.5b"), ("predict", "qwen2.5-coder-1.5b"))
THRESHOLDS = (0.0, 0.25, 0.5, 1.0, 2.0)  # logprob judge: what other margins would have decided


def load_duels(args: argparse.Namespace, executor: Executor) -> tuple[dict[str, list[StoredDuel]], dict, dict]:
    """Per benchmark: the split duels that reached the judge, the problems, how S* settled each split duel."""
    sstar_args = sstar_parser().parse_args([])
    duels, problems, settled = {}, {}, {}
    with RunStore(args.store) as store:
        for benchmark in args.benchmarks.split(","):
            count = {"humaneval+": sstar_args.humaneval, "mbpp+": sstar_args.mbpp}[benchmark]
            problems[benchmark] = {p.id: p for p in problem_subset(benchmark, count, sstar_args.seed, executor)}
            records = list(store.problems(committed_run(args, benchmark).key))
            passing = correct_candidates(records, problems[benchmark], executor)
            duels[benchmark], settled[benchmark] = decisive_duels(records, passing, DESIGN.ours)
            settled[benchmark]["problems"] = len(records)
            print(f"[{benchmark}] {len(records)} problems stored, {len(duels[benchmark])} split duels reached the "
                  f"judge; how S* settled the split duels: {settled[benchmark]}", flush=True)
    return duels, problems, settled


def committed_run(args: argparse.Namespace, benchmark: str) -> Run:
    """The committed S* run on `benchmark` (bench/sstar_accuracy.py's defaults), in the store asked for."""
    return replace(main_run(sstar_parser().parse_args([]), benchmark), files=RunFiles.beside(args.store))


async def judge_all(duels: list[StoredDuel], problems: dict[str, Problem], variant: str, tools: Toolbox,
                    concurrency: int) -> list[Judged]:
    gate = asyncio.Semaphore(concurrency)

    async def one(duel: StoredDuel) -> Judged:
        async with gate:
            return await rejudge(problems[duel.problem_id], duel, variant, tools)

    return list(await asyncio.gather(*(one(d) for d in duels)))


def entry(judged: list[Judged]) -> dict:
    t = tally(judged)
    accuracy = proportion(t.right, t.decided)
    out = {"duels": t.duels, "decided": t.decided, "right": t.right, "wrong": t.wrong, "undecided": t.undecided,
           "accuracy": accuracy.value if t.decided else None, "ci95": [accuracy.low, accuracy.high],
           "tokens_per_duel": round(t.tokens_per_duel, 1)}
    margins = [j.record.margin for j in judged if j.record.margin is not None]
    if margins:
        sweep = {}
        for threshold in THRESHOLDS:
            decided = [j for j in judged if j.record.margin is not None and abs(j.record.margin) >= threshold
                       and j.record.margin != 0]
            right = sum((j.record.margin > 0) == (j.duel.right == "A") for j in decided)
            sweep[str(threshold)] = {"decided": len(decided), "right": right}
        out["threshold_sweep"] = sweep
    return out


def write_results(results: dict, settled: dict, args: argparse.Namespace, pending: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{NAME}.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    lines = [f"# {NAME}", "",
             f"Command: `{command_line(drop=('--report',))}`  ",
             f"Date: {dt.date.today()}, {os.cpu_count()} cores; judge answers in bench/data/{NAME}/  ",
             "Duels: those of the committed S* run (`sstar`, `sstar-mutants`, `sstar-predict`) between a program "
             "that passes the hidden tests and one that fails them, which reached the judge (inputs separate the "
             "two and execution alone did not decide); each distinct duel counted once. How S* settled every "
             "split duel: " + "; ".join(f"{b}: {s}" for b, s in settled.items()), "",
             f"Settings: `SelectConfig()` defaults (reasoning answers at most {args.reason_tokens} tokens, logprob "
             f"threshold {SelectConfig.logprob_threshold} nats, chosen before measuring: a mean odds ratio of about "
             "1.65 to 1 over the two orders), greedy, seed 0.", "",
             "| benchmark | variant@judge | duels | decided | right | wrong | undecided | accuracy on decided "
             "(95% CI) | tokens/duel |", "|---|---|---|---|---|---|---|---|---|"]
    for benchmark, variants in results.items():
        for name, e in variants.items():
            acc = "-" if e["accuracy"] is None else f"{e['accuracy']:.3f} ({e['ci95'][0]:.3f}-{e['ci95'][1]:.3f})"
            lines.append(f"| {benchmark} | {name} | {e['duels']} | {e['decided']} | {e['right']} | {e['wrong']} | "
                         f"{e['undecided']} | {acc} | {e['tokens_per_duel']:g} |")
    sweeps = [(b, n, e["threshold_sweep"]) for b, v in results.items() for n, e in v.items() if "threshold_sweep" in e]
    if sweeps:
        lines += ["", "The logprob judge at other thresholds (decided / right), from the same recorded margins; "
                  "for information, the threshold was not chosen from these:", "",
                  "| benchmark | variant@judge | " + " | ".join(f"|margin| >= {t:g}" for t in THRESHOLDS) + " |",
                  "|---|---|" + "---|" * len(THRESHOLDS)]
        for b, n, sweep in sweeps:
            cells = " | ".join(f"{s['decided']} / {s['right']}" for s in sweep.values())
            lines.append(f"| {b} | {n} | {cells} |")
    if pending:
        lines += ["", f"Not measured yet (the run resumes where it stopped): {', '.join(pending)}."]
    (RESULTS / f"{NAME}.md").write_text("\n".join(lines) + "\n")


async def main_async(args: argparse.Namespace) -> None:
    config = SelectConfig(reason_tokens=args.reason_tokens)
    sync_increments(args.completions, SAVED, imports=[SSTAR_SAVED])
    results: dict[str, dict] = {}
    jobs = [(v, m) for v, m in JOBS if v in args.variants.split(",") and m in args.models.split(",")]
    with committed_run(args, args.benchmarks.split(",")[0]).open_executor() as executor:  # its cached executions
        duels, problems, settled = load_duels(args, executor)
        for done, (variant, model) in enumerate(jobs):
            start = time.monotonic()
            try:
                async with Model(model, parallel=args.parallel).open(args.completions, replay=args.report) as llm:
                    tools = Toolbox(judge=llm, executor=executor, config=config)
                    for benchmark, found in duels.items():
                        judged = await judge_all(found, problems[benchmark], variant, tools, args.parallel)
                        results.setdefault(benchmark, {})[f"{variant}@{model}"] = entry(judged)
            except StoreError as exc:  # --report: this job's answers are not all stored yet
                print(f"{variant}@{model}: not complete in the store ({exc})", flush=True)
                continue
            print(f"{variant}@{model}: {({b: results[b][f'{variant}@{model}'] for b in duels})} "
                  f"({time.monotonic() - start:.0f} s)", flush=True)
            write_results(results, settled, args, [f"{v}@{m}" for v, m in jobs[done + 1:]])
            if not args.report:
                path, count = sync_increments(args.completions, SAVED, save=True, imports=[SSTAR_SAVED])
                print(f"saved {count} new judge answers to {path.name}" if path else "no new answers", flush=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+")
    p.add_argument("--variants", default="logprob,verdict-first,predict,reason")
    p.add_argument("--models", default="qwen2.5-coder-0.5b,qwen2.5-coder-1.5b")
    p.add_argument("--reason-tokens", type=int, default=SelectConfig.reason_tokens,
                   help=f"bound on a reasoning answer (default {SelectConfig.reason_tokens}, S*'s default)")
    p.add_argument("--parallel", type=int, default=2, help="embedded server slots, and duels in flight")
    p.add_argument("--store", type=Path, default=Path("runs") / "sstar_accuracy.sqlite",
                   help="the committed S* run's store (bench/sstar_accuracy.py rebuilds it)")
    p.add_argument("--completions", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    p.add_argument("--report", action="store_true", help="only rebuild the results from stored judge answers")
    return p


if __name__ == "__main__":
    asyncio.run(main_async(parser().parse_args()))
