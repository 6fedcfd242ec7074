"""Judge accuracy: each S* judge variant, with the 0.5B and the 1.5B model, on the committed run's duels.

The committed S* run (bench/sstar_accuracy.py; its run store, rebuilt from the committed
increments) holds every duel with its two programs, separating inputs and real outputs. Where
one program passes the hidden tests and the other fails, the duel has a right answer. Each
variant judges every such duel that reached the judge, showing what S* showed, and is scored:
decided (one side got more points), right (the passing side won), wrong, undecided, accuracy on
decided duels with its exact 95% interval, and the judge's completion tokens per duel. No program
is sampled; only judge answers are new.

Two more measures per variant: how often a pairwise judge named the same position in both orders
(`same_position`; above 90% of the duels pooled over the benchmarks it is `position_bound`, and
its votes cancel), and, for `predict`, what the rule against copied predictions changed
(`copy_rule`: predictions equal to a statement example's output for another input cast no vote).
The judge without the rule is the same judge shown the problem without its examples: its requests
never quote them (the statement does), so its answers come from the store and only the rule differs.
All these duels are dev (docs/sstar.md, Dev and test protocol).

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

from sstar_accuracy import DESIGN, SAVED as SSTAR_SAVED, committed_run as sstar_committed_run, parser as sstar_parser

from codesieve.errors import StoreError
from codesieve.execution import Executor
from codesieve.llm.store import sync_increments
from codesieve.problems import problem_subset
from codesieve.report.files import command_line
from codesieve.report.oracle import correct_candidates
from codesieve.report.duels import decisive_duels
from codesieve.select.judges.orders import same_position, shown_position
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
POSITION_BOUND = 0.9  # share of duels with the same position named in both orders
BOOLEANS = ("True", "False")  # a predicate's examples hold both: copies of them are counted apart


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
    """The committed S* run on `benchmark` (bench/sstar_accuracy.py --run committed), in the store asked for."""
    return replace(sstar_committed_run(sstar_parser().parse_args([]), benchmark), files=RunFiles.beside(args.store))


async def judge_all(duels: list[StoredDuel], problems: dict[str, Problem], variant: str, tools: Toolbox,
                    concurrency: int) -> list[Judged]:
    gate = asyncio.Semaphore(concurrency)

    async def one(duel: StoredDuel) -> Judged:
        async with gate:
            return await rejudge(problems[duel.problem_id], duel, variant, tools)

    return list(await asyncio.gather(*(one(d) for d in duels)))


def counts(judged: list[Judged]) -> dict:
    t = tally(judged)
    return {"decided": t.decided, "right": t.right, "wrong": t.wrong}


def positions(judged: list[Judged]) -> dict | None:
    """Duels whose two answers named the same position, by position, and the answers naming each
    position as shown; None for a judge without answers."""
    if not any(j.record.answers for j in judged):
        return None
    named = [same_position(j.record.answers) for j in judged]
    shown = [shown_position(a) for j in judged for a in j.record.answers]
    return {"duels": len(judged), "A": named.count("A"), "B": named.count("B"),
            "share": round((named.count("A") + named.count("B")) / len(judged), 3),
            "answers": len(shown), "answers_A": shown.count("A"), "answers_B": shown.count("B")}


def copy_rule(judged: list[Judged], without: list[Judged]) -> dict:
    """What the rule against copied predictions changed: the predictions shown in the duels (each
    duel's own), those read, those copied, the votes they would have cast (for the passing side or
    not) and the duels' outcomes without the rule (`without`: the same duels, judged without it)."""
    pairs = [(p, q, j.duel.right) for j, w in zip(judged, without)
             for p, q in zip(j.record.predictions, w.record.predictions)]
    dropped = [(q.vote, right, p.predicted in BOOLEANS) for p, q, right in pairs if p.copied and q.vote is not None]
    return {"predictions": len(pairs), "readable": sum(p.predicted is not None for p, _, _ in pairs),
            "copied": sum(p.copied for p, _, _ in pairs),
            "copied_booleans": sum(p.copied and p.predicted in BOOLEANS for p, _, _ in pairs),
            "votes_discarded": len(dropped), "discarded_for_passing_side": sum(v == r for v, r, _ in dropped),
            "booleans_discarded": sum(b for _, _, b in dropped),
            "booleans_discarded_for_passing_side": sum(b and v == r for v, r, b in dropped),
            "without_rule": counts(without), "with_rule": counts(judged)}


def entry(judged: list[Judged], without: list[Judged] | None = None) -> dict:
    t = tally(judged)
    accuracy = proportion(t.right, t.decided)
    out = {"duels": t.duels, "decided": t.decided, "right": t.right, "wrong": t.wrong, "undecided": t.undecided,
           "accuracy": accuracy.value if t.decided else None, "ci95": [accuracy.low, accuracy.high],
           "tokens_per_duel": round(t.tokens_per_duel, 1), "same_position": positions(judged)}
    if without is not None:
        out["copy_rule"] = copy_rule(judged, without)
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


def position_bound(results: dict) -> dict:
    """Per variant@judge, pooled over the benchmarks (all dev): duels with the same position named in
    both orders, and whether that is above `POSITION_BOUND` of them."""
    pooled: dict[str, dict] = {}
    for variants in results.values():
        for name, e in variants.items():
            if e["same_position"] is not None:
                p = pooled.setdefault(name, dict.fromkeys(("duels", "A", "B", "answers", "answers_A", "answers_B"), 0))
                for k in p:
                    p[k] += e["same_position"][k]
    for p in pooled.values():
        p["share"] = round((p["A"] + p["B"]) / p["duels"], 3)
        p["position_bound"] = p["share"] > POSITION_BOUND
    return pooled


def write_results(results: dict, settled: dict, args: argparse.Namespace, pending: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    bound = position_bound(results)
    (RESULTS / f"{NAME}.json").write_text(json.dumps({"split": "dev", "benchmarks": results, "position": bound},
                                                     indent=2, sort_keys=True) + "\n")
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
    if bound:
        lines += ["", "Position (dev: both benchmarks' duels): duels in which the pairwise judge named the same "
                  "position in both orders, so that its votes cancel; above "
                  f"{POSITION_BOUND:.0%} it is position-bound:",
                  "", "| variant@judge | duels | same position | of which A | of which B | share | position-bound | "
                  "answers naming A / B (as shown) |", "|---|---|---|---|---|---|---|---|"]
        for name, p in bound.items():
            lines.append(f"| {name} | {p['duels']} | {p['A'] + p['B']} | {p['A']} | {p['B']} | {p['share']:.2f} | "
                         f"{'yes' if p['position_bound'] else 'no'} | {p['answers_A']} / {p['answers_B']} of "
                         f"{p['answers']} |")
    rules = [(b, n, e["copy_rule"]) for b, v in results.items() for n, e in v.items() if "copy_rule" in e]
    if rules:
        lines += ["", "Copied predictions (`predict`, dev): a prediction equal to a statement example's output for "
                  "another input casts no vote. Per benchmark: predictions shown in the duels, read, copied (of "
                  "which True or False), the votes the rule discarded (for the passing side; of those True or "
                  "False, for the passing side), and decided / right / wrong without and with the rule:", "",
                  "| benchmark | variant@judge | predictions | read | copied (booleans) | votes discarded (for passing "
                  "side) | booleans discarded (for passing side) | without rule | with rule |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for b, n, r in rules:
            was, now = r["without_rule"], r["with_rule"]
            lines.append(f"| {b} | {n} | {r['predictions']} | {r['readable']} | {r['copied']} "
                         f"({r['copied_booleans']}) | {r['votes_discarded']} ({r['discarded_for_passing_side']}) | "
                         f"{r['booleans_discarded']} ({r['booleans_discarded_for_passing_side']}) | "
                         f"{was['decided']} / {was['right']} / {was['wrong']} | "
                         f"{now['decided']} / {now['right']} / {now['wrong']} |")
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
                        without = None
                        if variant == "predict":  # the same answers, shown no example to count copies of
                            bare = {i: replace(p, public_tests=()) for i, p in problems[benchmark].items()}
                            without = await judge_all(found, bare, variant, tools, args.parallel)
                        results.setdefault(benchmark, {})[f"{variant}@{model}"] = entry(judged, without)
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
