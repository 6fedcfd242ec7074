"""The held-out benchmark: what `codesieve run` ships, S* against majority vote and zero-shot on the test split.

The test split (`codesieve.problems.subsets`): the 278 MBPP+ problems outside dev and the
CodeContests problems with private tests after dev's 40. It is run once per change of default and
never used to choose anything; every default was chosen on dev (bench/sstar_accuracy.py).

The configuration is `codesieve.runs.SHIPPED` with the strategies zero-shot, majority vote and S*
(same samples: majority vote and S* share the N sampled candidates), so the run is keyed as
`codesieve run` keys it. Results go to bench/results/sstar_heldout.json and .md: per benchmark the
accuracies over the problems finished so far (`n_problems` of `target`), the problems only S* and
only majority vote solved, and the exact two-sided sign test on those (`p`), and `sstar_diagnosis`:
the share with a correct candidate (`oracle`), whether S*'s inputs separated its candidates
(`separation`, as bench/results/sstar_accuracy.md counts it) and why it picked wrong where it did
(`wrong_picks`, `codesieve.report.wrong_picks`); `pooled` the same counts over both benchmarks.
`is_default` compares the run's configuration with `SHIPPED`.

- `--zero-shot-model qwen2.5-coder-1.5b`: first, the larger model's greedy zero-shot on the same
  problems, reported as the column `zero-shot@1.5b` (the paper's claim: small model + S* against
  a larger one without it).
- `--judge-model qwen2.5-coder-1.5b`: after the main run, the same run with the 1.5B judging (and
  writing the inputs), keyed as `codesieve run --judge-model` keys it; the generator's answers come
  from the completion store the main run filled, so only selection answers are new. Reported under
  `judge_1.5b` with the same keys.

Resumable: everything goes to a run store (default runs/sstar_heldout.sqlite); started again it
skips finished problems. Results are rewritten every few minutes and at the end, and one line is
printed per problem, so it runs well under nohup:

    nohup .venv/bin/python bench/sstar_heldout.py > runs/sstar_heldout.log 2>&1 &

`--report` only rewrites the results from the store and saves the model answers added since the
last save to bench/data/sstar_heldout/NNN.jsonl.gz (committed with the results); every run first
imports those, so a fresh machine replays what was committed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Collection, Mapping, Sequence

import _results
from codesieve.llm import DEFAULT_MODEL, LLM
from codesieve.llm.store import sync_increments
from codesieve.pipeline import RunConfig
from codesieve.problems.subsets import split_problems
from codesieve.execution.interface import JobRunner
from codesieve.report import decisions, sstar as sstar_report, wrong_picks
from codesieve.report.files import command_line, markdown_table, write_results
from codesieve.report.versus import comparison
from codesieve.runs import SHIPPED, Model, Run, RunFiles, config_identity
from codesieve.stats import sign_test
from codesieve.store import RunStore
from codesieve.types import Problem

NAME = "sstar_heldout"
RESULTS = Path(__file__).resolve().parent / "results"
SAVED = Path(__file__).resolve().parent / "data" / NAME
SPLIT = "test"
BENCHMARKS = {"mbpp+test": "mbpp+", "codecontests-test": "codecontests"}  # result name -> benchmark
STRATEGIES = ("zero-shot", "majority-vote", "sstar")
CONFIG = replace(SHIPPED, strategies=STRATEGIES)
WRITE_EVERY_S = 300


def is_default(config: RunConfig) -> bool:
    """Whether `config` is what `codesieve run` ships: the same options that change results (which
    strategies run and how many problems are in flight change none)."""
    return config_identity(config) == config_identity(SHIPPED)


def size(model: str) -> str:
    """`1.5b` for qwen2.5-coder-1.5b: how a model's results are labelled."""
    return Path(model).name.removesuffix(".gguf").rsplit("-", 1)[-1].lower()


def served(name: str) -> Model:
    """`name` served as `codesieve run` serves it: the embedded server's slots, with n-gram drafts."""
    return Model(name, ngram_draft=True)


def main_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """The shipped configuration on `benchmark`: the generator also judges."""
    return Run(CONFIG, benchmark=benchmark, model=model or served(args.model), files=RunFiles.beside(args.store))


def judge_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None,
              judge: Model | LLM | None = None) -> Run:
    """The main run with `--judge-model` judging and writing the inputs, as `codesieve run --judge-model` runs it."""
    return replace(main_run(args, benchmark, model), judge_model=judge or served(args.judge_model))


def zero_shot_run(args: argparse.Namespace, benchmark: str, model: Model | LLM | None = None) -> Run:
    """`--zero-shot-model`'s greedy answer alone; a problem per server slot (in flight is not keyed)."""
    config = replace(CONFIG, strategies=("zero-shot",), concurrency=Model.parallel)
    return Run(config, benchmark=benchmark, model=model or served(args.zero_shot_model),
               files=RunFiles.beside(args.store))


@dataclass
class Diagnosis:
    """Why S* won or lost where it did, read from the stored evidence: what each run's finished
    problems hold is read once per process (`codesieve.report.sstar.Finished`), then kept."""

    executor: JobRunner
    problems: Mapping[str, Mapping[str, Problem]]  # result name -> problem id -> problem
    finished: dict[str, sstar_report.Finished] = field(default_factory=dict)  # run key -> what was read

    def __call__(self, store: RunStore, name: str, key: str, done: Collection[str],
                 solved: Mapping[str, bool]) -> dict[str, Any]:
        """Over `done`: the share with a generated program that passes the hidden tests (`oracle`),
        how S* reached its picks and whether its duels went to the correct program (`decisions`),
        whether its inputs separated its candidates, and why it picked wrong where it did."""
        seen = self.finished.setdefault(key, sstar_report.Finished())
        seen.update(store, key, self.problems[name], self.executor, ("sstar",))
        evidence = seen.evidence.get("sstar", {})
        solvable = [p for p in done if seen.correct.get(p)]
        return {"oracle": len(solvable) / len(done),
                "decisions": decisions.decisions(evidence, done, seen.correct, self.problems[name]),
                "separation": sstar_report.separation(evidence, done, seen.correct),
                "wrong_picks": wrong_picks.wrong_picks(evidence, [p for p in solvable if not solved[p]], seen.correct,
                                                       self.problems[name])}


def benchmark_entry(results: Mapping[str, Mapping[str, bool]], columns: Sequence[str], target: int,
                    diagnose: Callable[[set[str]], dict[str, Any]] | None = None) -> dict[str, Any]:
    """One benchmark's entry from `results` (column -> problem -> solved): each column's accuracy on
    the problems every column finished (`n_problems` of `target`; None before any), S* against
    majority vote there, and `diagnose(done)` as `sstar_diagnosis` once any is done."""
    done = set.intersection(*(set(results.get(c, {})) for c in columns))
    entry: dict[str, Any] = {"n_problems": len(done), "target": target}
    for column in columns:
        entry[column] = sum(results[column][p] for p in done) / len(done) if done else None
    entry["ci95"] = {c: sstar_report.interval(sum(results[c][p] for p in done), len(done)) for c in columns} \
        if done else {}
    counts = comparison(results, done, "sstar", "majority-vote", {})[1]
    entry.update(only_sstar=counts["ours_only"], only_majority=counts["baseline_only"],
                 p=sign_test(counts["ours_only"], counts["baseline_only"]))
    for column in columns[len(STRATEGIES):]:  # a larger model's zero-shot: does S* reach it?
        counts = comparison(results, done, "sstar", column, {})[1]
        entry[f"sstar_vs_{column}"] = versus(counts["ours_only"], counts["baseline_only"])
    if diagnose is not None and done:
        entry["sstar_diagnosis"] = diagnose(done)
    return entry


def versus(only_sstar: int, only_other: int) -> dict[str, Any]:
    return {"only_sstar": only_sstar, "only_other": only_other, "p": sign_test(only_sstar, only_other)}


def section(store: RunStore, keys: Mapping[str, str], targets: Mapping[str, int], diagnosis: Diagnosis,
            larger: tuple[str, Mapping[str, str]] | None = None) -> dict[str, Any]:
    """"benchmarks" and "pooled" for the runs stored under `keys` (result name -> run key); `larger`:
    a column label and, per result name, the run key of a larger model's zero-shot on the same problems."""
    benchmarks = {}
    for name, key in keys.items():
        results, columns = store.results(key), STRATEGIES
        if larger is not None:
            label, zero_shot_keys = larger
            results[label] = store.results(zero_shot_keys[name]).get("zero-shot", {})
            columns += (label,)
        benchmarks[name] = benchmark_entry(
            results, columns, targets[name],
            lambda done, name=name, key=key, solved=results.get("sstar", {}): diagnosis(store, name, key, done, solved))
    only_sstar = sum(e["only_sstar"] for e in benchmarks.values())
    only_majority = sum(e["only_majority"] for e in benchmarks.values())
    pooled: dict[str, Any] = {"only_sstar": only_sstar, "only_majority": only_majority,
                              "p": sign_test(only_sstar, only_majority)}
    if larger is not None:
        against = [e[f"sstar_vs_{larger[0]}"] for e in benchmarks.values()]
        pooled[f"sstar_vs_{larger[0]}"] = versus(sum(a["only_sstar"] for a in against),
                                                 sum(a["only_other"] for a in against))
    return {"benchmarks": benchmarks, "pooled": pooled}


def results(store: RunStore, runs: Mapping[str, Mapping[str, Run]], targets: Mapping[str, int],
            diagnosis: Diagnosis, args: argparse.Namespace) -> dict[str, Any]:
    """The JSON: the main run's configuration and numbers, and those of the runs the options asked for
    (`runs`: "main", "judge", "zero-shot" -> result name -> run)."""
    main = runs["main"]
    first = next(iter(main.values()))
    config, larger = first.config, None
    if "zero-shot" in runs:
        larger = (f"zero-shot@{size(args.zero_shot_model)}", {n: r.key for n, r in runs["zero-shot"].items()})
    data: dict[str, Any] = {
        "split": SPLIT, "config": {"identity": config_identity(config), "strategies": list(config.strategies)},
        "is_default": is_default(config),
        "models": {"generator": first.model.model_id, "judge": (first.judge_model or first.model).model_id},
        **section(store, {n: r.key for n, r in main.items()}, targets, diagnosis, larger)}
    if "judge" in runs:
        judged = next(iter(runs["judge"].values()))
        data[f"judge_{size(args.judge_model)}"] = {
            "judge": judged.judge_model.model_id,
            **section(store, {n: r.key for n, r in runs["judge"].items()}, targets, diagnosis, larger)}
    return data


def markdown(data: Mapping[str, Any]) -> tuple[list[str], list[list[Any]], str]:
    """The Markdown table (header, rows) and the notes under it, from the JSON alone."""
    sections = {"main": data, **{k: v for k, v in data.items() if k.startswith("judge_")}}
    columns = [c for c in next(iter(data["benchmarks"].values())) if c in STRATEGIES or c.startswith("zero-shot@")]
    larger = [c for c in columns if c not in STRATEGIES]
    rows, partial, how, separated, wrong = [], [], [], [], []
    for label, found in sections.items():
        for name, entry in found["benchmarks"].items():
            if "sstar_diagnosis" in entry:
                why = entry["sstar_diagnosis"]
                apart = why["separation"]
                separated.append([label, name, f"{why['oracle']:.3f}", apart["duels"], apart["no_difference"],
                                  f"{apart['no_difference_share']:.0%}", apart["one_group"], apart["one_group_split"],
                                  apart["inputs_dropped"]])
                wrong.append([label, name, *wrong_picks.row(why["wrong_picks"])])
                if "decisions" in why:  # results written before it have none
                    how.append([label, name, *decisions.row(why["decisions"])])
            rows.append([label, name, f"{entry['n_problems']}/{entry['target']}",
                         *[sstar_report.with_interval(entry, c) for c in columns],
                         entry["only_sstar"], entry["only_majority"], entry["p"],
                         *[won_lost(entry.get(f"sstar_vs_{c}")) for c in larger]])
            if entry["n_problems"] < entry["target"]:
                partial.append(f"{label} {name} {entry['n_problems']} of {entry['target']}")
        pooled = found["pooled"]
        rows.append([label, "pooled", "", *["" for _ in columns], pooled["only_sstar"], pooled["only_majority"],
                     pooled["p"], *[won_lost(pooled.get(f"sstar_vs_{c}")) for c in larger]])
    header = ["run", "benchmark", "problems", *columns, "only sstar", "only majority-vote", "p",
              *[f"sstar vs {c} (won-lost, p)" for c in larger]]
    notes = [f"Split: **{data['split']}** (`codesieve.problems.subsets`): problems never used to choose a default or "
             "a threshold (docs/sstar.md). Accuracy on the hidden tests over the problems every column finished, "
             "with its exact 95% interval; `only sstar` / `only majority-vote`: problems only one of the two "
             "solved; `p`: exact two-sided sign test on those"
             + "".join(f"; `sstar vs {c}`: the same count and test against {c}" for c in larger)
             + ". `pooled`: both benchmarks together.",
             f"Configuration: `codesieve run`'s shipped one (is_default: {str(data['is_default']).lower()}), "
             f"strategies {', '.join(data['config']['strategies'])}: `{json.dumps(data['config']['identity'])}`. "
             f"Generator {data['models']['generator']}, judge {data['models']['judge']}"
             + "".join(f"; `{k}`: the same run judged by {v['judge']}" for k, v in sections.items() if k != "main")
             + "."]
    if partial:
        notes.append("**Partial**: the run continues and resumes from its store; finished so far: "
                     + ", ".join(partial) + ".")
    if separated:
        notes += ["Did S*'s inputs separate its candidates? `oracle`: the share of problems where a program S* "
                  "generated passes the hidden tests; duels that found no input on which the two programs differ; "
                  "problems where every kept candidate fell in one group, and of those the ones the hidden tests split; "
                  "inputs dropped because no kept candidate ran to completion on them (as in "
                  "bench/results/sstar_accuracy.md).",
                  "\n".join(markdown_table(["run", "benchmark", "oracle", "duels", "no differing input", "share",
                                             "one group", "one group, split by the hidden tests", "dropped"],
                                            separated)),
                  *([decisions.ABOUT, "\n".join(markdown_table(["run", "benchmark", *decisions.COLUMNS], how))]
                    if how else []),
                  wrong_picks.ABOUT,
                  "\n".join(markdown_table(["run", "benchmark", "picked wrong", *wrong_picks.COLUMNS], wrong))]
    return header, rows, "\n\n".join(notes)


def won_lost(counts: Mapping[str, Any] | None) -> str:
    return "" if counts is None else f"{counts['only_sstar']}-{counts['only_other']}, p = {counts['p']:.2g}"


def write(store: RunStore, runs: Mapping[str, Mapping[str, Run]], targets: Mapping[str, int],
          diagnosis: Diagnosis, args: argparse.Namespace) -> dict[str, Any] | None:
    """Rewrite bench/results/sstar_heldout.{json,md} from the run store; a store with no finished
    problem (a fresh machine before the replay) leaves the committed results as they are."""
    if not any(store.results(run.key) for by_name in runs.values() for run in by_name.values()):
        print("no finished problem in the run store: the results are left as committed", flush=True)
        return None
    data = results(store, runs, targets, diagnosis, args)
    header, rows, notes = markdown(data)
    write_results(RESULTS, NAME, data, header, rows, notes, command=command_line(drop=("--report",)))
    return data


async def main_async(args: argparse.Namespace) -> None:
    makers = {"zero-shot": zero_shot_run} if args.zero_shot_model else {}  # cheapest first: a column of every row
    makers["main"] = main_run
    if args.judge_model:
        makers["judge"] = judge_run
    runs = {which: {name: make(args, b) for name, b in BENCHMARKS.items()} for which, make in makers.items()}
    first = runs["main"]["mbpp+test"]
    saved, count = sync_increments(first.files.completions, SAVED, save=args.report)
    if args.report:
        print(f"saved {count} new model answers to {saved}" if saved else "no new model answers to save", flush=True)
    with RunStore(first.files.store) as store, first.open_executor() as executor:
        chosen = {name: split_problems(b, SPLIT, executor) for name, b in BENCHMARKS.items()}
        targets = {name: len(ps) for name, ps in chosen.items()}
        diagnosis = Diagnosis(executor, {name: {p.id: p for p in ps} for name, ps in chosen.items()})
        for by_name in runs.values():
            for run in by_name.values():
                store.open_run(run.key, run.identity)
        written = [time.monotonic()]

        def write_now(now: bool = True) -> None:
            if now or time.monotonic() - written[0] >= WRITE_EVERY_S:
                write(store, runs, targets, diagnosis, args)
                written[0] = time.monotonic()

        write_now()
        if args.report:
            return
        for which, by_name in runs.items():
            async with next(iter(by_name.values())).opened() as live:  # its models, once for both benchmarks
                for name, run in by_name.items():
                    await _results.run_logged(replace(run, model=live.model, judge_model=live.judge_model),
                                              f"{which} {name}", chosen[name], store, executor,
                                              lambda: write_now(now=False))
        write_now()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"generator, and judge unless --judge-model (default "
                                                          f"{DEFAULT_MODEL}, as `codesieve run`)")
    p.add_argument("--judge-model", default=None,
                   help="also run the same configuration with this judge (e.g. qwen2.5-coder-1.5b), reported as "
                        "judge_<size>; the generator's answers are read from the completion store")
    p.add_argument("--zero-shot-model", default=None,
                   help="also report this model's greedy zero-shot on the same problems (e.g. qwen2.5-coder-1.5b), "
                        "as zero-shot@<size>")
    p.add_argument("--store", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    p.add_argument("--report", action="store_true",
                   help="only rewrite the results from the run store (no model) and save the new model answers to "
                        f"bench/data/{NAME}: for committing partial runs")
    return p


def main() -> None:
    asyncio.run(main_async(parser().parse_args()))


if __name__ == "__main__":
    main()
