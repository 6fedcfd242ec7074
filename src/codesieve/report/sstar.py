"""The results of an S*-against-baselines run store: per benchmark, every strategy's accuracy with
its 95% interval and cost, whether each S* variant beats each baseline (exact sign test), why S*
fails where it does (no correct candidate, or picked wrong), how its picks were made, whether its
inputs separated the candidates, why it picked wrong where it did (`wrong_picks`), and what
debugging did; as a JSON entry and as Markdown made from the JSON alone.

`bench/sstar_accuracy.py` chooses the benchmarks and strategies and calls `write`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Collection, Mapping, Sequence

from codesieve.execution import Executor
from codesieve.report import debugging, decisions, wrong_picks
from codesieve.report.files import markdown_table, write_json
from codesieve.report.oracle import correct_candidates
from codesieve.report.versus import comparison
from codesieve.stats import proportion
from codesieve.select.evidence import NO_DIFFERENCE, SStarEvidence
from codesieve.store import ProblemRecord, RunStore, StrategyTotals
from codesieve.types import Problem


@dataclass(frozen=True)
class Rerun:
    """A variant of ours from another run on the same stored samples (another judge or judge model),
    reported as `label`: that run's `strategy`. Only its selection calls are new, so it is compared
    with the main run's strategies problem by problem."""

    label: str
    strategy: str


@dataclass(frozen=True)
class Design:
    """What a report compares: every variant of ours (the main run's, then the reruns') against every
    baseline and every earlier variant. `others`: baselines from other runs on the same problems (a
    larger model's zero-shot), shown beside the main run's once they have results."""

    baselines: tuple[str, ...]
    ours: tuple[str, ...]
    reruns: tuple[Rerun, ...] = ()
    others: tuple[Rerun, ...] = ()

    @property
    def strategies(self) -> tuple[str, ...]:
        return self.baselines + tuple(o.label for o in self.others) + self.ours + tuple(r.label for r in self.reruns)


@dataclass
class Finished:
    """What the report needs of one benchmark's finished problems, read once per process: a stored
    record never changes, and re-reading them all (parsing every record, re-encoding every hidden
    test to look its executions up) cost over ten seconds per rewrite once a hundred were stored,
    beside the model, every five minutes."""

    correct: dict[str, set[str]] = field(default_factory=dict)  # see oracle.correct_candidates
    # variant of ours -> problem -> its S* evidence (None: the variant has no S* record there)
    evidence: dict[str, dict[str, SStarEvidence | None]] = field(default_factory=dict)
    debugging: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # pool -> problem -> counts

    def update(self, store: RunStore, key: str, problems: Mapping[str, Problem], executor: Executor,
               ours: Sequence[str], reruns: Mapping[Rerun, str] | None = None) -> None:
        records = list(store.problems(key, exclude=self.correct))
        self.correct.update(correct_candidates(records, problems, executor))
        for record in records:
            self.correct.setdefault(record.problem_id, set())
            for variant in ours:
                self.evidence.setdefault(variant, {})[record.problem_id] = _sstar_evidence(record, variant)
            pools = record.pools.named()
            for pool in debugging.POOLS:
                if pool in pools:
                    self.debugging.setdefault(pool, {})[record.problem_id] = debugging.outcomes(pools[pool])
        for rerun, rerun_key in (reruns or {}).items():
            evidence = self.evidence.setdefault(rerun.label, {})
            for record in store.problems(rerun_key, exclude=evidence):
                evidence[record.problem_id] = _sstar_evidence(record, rerun.strategy)


def _sstar_evidence(record: ProblemRecord, strategy: str) -> SStarEvidence | None:
    selection = record.strategies.get(strategy)
    evidence = None if selection is None else selection.evidence
    return evidence if isinstance(evidence, SStarEvidence) else None


def cost_per_problem(totals: Sequence[StrategyTotals], strategies: Sequence[str]) -> dict[str, dict[str, float]]:
    """Mean model calls, tokens and executions per finished problem, for each of `strategies`."""
    return {t.strategy: {"model_calls": t.model_calls / t.problems, "tokens": t.tokens / t.problems,
                         "executions": t.executions / t.problems}
            for t in totals if t.strategy in strategies and t.problems}


def benchmark_entry(store: RunStore, key: str, problems: Mapping[str, Problem], executor: Executor, design: Design,
                    seen: Finished, rerun_keys: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One benchmark's JSON entry: accuracy per strategy on the problems every strategy finished
    (with its exact 95% interval under "ci95"), cost, and for each variant of ours its comparisons,
    failures and decisions, and what debugging did. `rerun_keys`: the run key of each of
    `design.reruns` and `design.others` (by label) that ran on this benchmark; the others are left
    out of its entry, and so is one of `design.others` with no result yet."""
    rerun_keys = rerun_keys or {}
    reruns = {r: rerun_keys[r.label] for r in design.reruns if r.label in rerun_keys}
    others = {o: rerun_keys[o.label] for o in design.others
              if o.label in rerun_keys and store.results(rerun_keys[o.label]).get(o.strategy)}
    results, totals = dict(store.results(key)), list(store.totals(key))
    for column, column_key in {**others, **reruns}.items():
        results[column.label] = store.results(column_key).get(column.strategy, {})
        totals += [replace(t, strategy=column.label) for t in store.totals(column_key) if t.strategy == column.strategy]
    baselines = design.baselines + tuple(o.label for o in others)
    ours_all = design.ours + tuple(r.label for r in reruns)
    strategies = baselines + ours_all
    done = set.intersection(*(set(results.get(s, {})) for s in strategies))
    entry: dict[str, Any] = {"n_problems": len(done)}
    for s in strategies:
        entry[s] = sum(results[s][p] for p in done) / len(done) if done else 0.0
    entry["ci95"] = {s: interval(sum(results[s][p] for p in done), len(done)) for s in strategies}
    entry["cost_per_problem"] = cost_per_problem(totals, strategies)
    if not done:
        return entry
    seen.update(store, key, problems, executor, design.ours, reruns)
    solvable = {p: bool(ids) for p, ids in seen.correct.items()}
    entry["oracle"] = sum(solvable.get(p, False) for p in done) / len(done)
    entry["ci95"]["oracle"] = interval(sum(solvable.get(p, False) for p in done), len(done))
    for n, ours in enumerate(ours_all):
        entry[f"{ours}_vs"] = {baseline: comparison(results, done, ours, baseline, solvable)[1]
                               for baseline in baselines + ours_all[:n]}
        failed = [p for p in done if not results[ours][p]]
        entry[f"{ours}_failures"] = {"no_correct_candidate": sum(not solvable.get(p, False) for p in failed),
                                     "picked_wrong": sum(solvable.get(p, False) for p in failed)}
        entry[f"{ours}_decisions"] = decisions.decisions(seen.evidence.get(ours, {}), done, seen.correct, problems)
        entry[f"{ours}_separation"] = separation(seen.evidence.get(ours, {}), done, seen.correct)
        entry[f"{ours}_wrong_picks"] = wrong_picks.wrong_picks(
            seen.evidence.get(ours, {}), [p for p in failed if solvable.get(p, False)], seen.correct, problems)
    entry["debugging"] = {pool: debugging.totals(o for p, o in seen.debugging.get(pool, {}).items() if p in done)
                          for pool in debugging.POOLS}
    return entry


def separation(evidence: Mapping[str, SStarEvidence | None], done: Collection[str],
               correct: Mapping[str, Collection[str]]) -> dict[str, Any]:
    """Whether a variant's inputs told its candidates apart, over the problems in `done`: its duels
    and those that found no input on which the two programs differ (with their share), the problems
    where every kept candidate fell in one group, and of those the ones the hidden tests split
    (`correct`: the passing candidate ids per problem), listed: there only better inputs could have
    helped. The inputs no candidate ran to completion on are counted as dropped."""
    duels = no_difference = one_group = dropped = 0
    split: list[str] = []
    for problem_id, found in evidence.items():
        if problem_id not in done or found is None:
            continue
        duels += len(found.duels)
        no_difference += sum(d.decided_by == NO_DIFFERENCE for d in found.duels)
        dropped += found.inputs_rejected
        if len(found.kept) > 1 and len(found.groups) <= 1:
            one_group += 1
            passing = sum(k in correct.get(problem_id, ()) for k in found.kept)
            if 0 < passing < len(found.kept):
                split.append(problem_id)
    return {"duels": duels, "no_difference": no_difference,
            "no_difference_share": no_difference / duels if duels else 0.0, "one_group": one_group,
            "one_group_split": len(split), "one_group_split_problems": sorted(split), "inputs_dropped": dropped}


def interval(solved: int, n: int) -> dict[str, float]:
    """The exact 95% interval of `solved` of `n`, as results store it under "ci95"."""
    estimate = proportion(solved, n)
    return {"low": estimate.low, "high": estimate.high}


def with_interval(entry: Mapping[str, Any], name: str) -> str:
    """`0.665 [0.587, 0.736]`: the value and its 95% interval (the value alone in entries written
    before intervals were; `-` for a rerun that did not run on the benchmark, or a column with no
    finished problem yet)."""
    if entry.get(name) is None:
        return "-"
    low_high = entry.get("ci95", {}).get(name)
    return f"{entry[name]:.3f}" + (f" [{low_high['low']:.3f}, {low_high['high']:.3f}]" if low_high else "")


def write(directory: Path, name: str, store: RunStore, keys: Mapping[str, str], targets: Mapping[str, int],
          problems: Mapping[str, Mapping[str, Problem]], executor: Executor, design: Design,
          header: Sequence[str], about: str, finished: dict[str, Finished],
          rerun_keys: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, dict]:
    """Rewrite `directory`/`name`.json (atomically) and its Markdown from the run store, one entry
    per benchmark (`keys`: benchmark -> run key; `targets`: how many problems each will have;
    `rerun_keys`: benchmark -> rerun label -> run key). `header`: the Markdown's lines under its
    title (command, model, settings); `about`: a paragraph on the strategies. `finished` carries
    what was read between calls (see `Finished`)."""
    data = {benchmark: benchmark_entry(store, key, problems[benchmark], executor, design,
                                       finished.setdefault(benchmark, Finished()), (rerun_keys or {}).get(benchmark))
            for benchmark, key in keys.items()}
    write_json(directory / f"{name}.json", data)
    (directory / f"{name}.md").write_text("\n".join(markdown(name, data, targets, design, header, about)) + "\n")
    return data


def markdown(name: str, data: Mapping[str, Mapping[str, Any]], targets: Mapping[str, int], design: Design,
             header: Sequence[str], about: str) -> list[str]:
    """The Markdown report's lines, made from the JSON entries alone."""
    rows, costs, versus, why, how, separated, wrong, debugged, plainly = [], [], [], [], [], [], [], [], []
    for benchmark, entry in data.items():
        rows.append([benchmark, f"{entry['n_problems']}/{targets[benchmark]}",
                     *[with_interval(entry, s) for s in design.strategies]])
        costs += [[benchmark, s, with_interval(entry, s), f"{c['model_calls']:.1f}", f"{c['tokens']:,.0f}",
                   f"{c['executions']:.1f}"] for s, c in entry["cost_per_problem"].items()]
        if not entry["n_problems"]:
            continue
        for ours in design.ours + tuple(r.label for r in design.reruns if f"{r.label}_vs" in entry):
            versus += [[benchmark, ours, baseline, n["ours_only"], n["baseline_only"],
                        n["baseline_only_no_correct_candidate"], f"{n['p_value']:.2g}", n["verdict"]]
                       for baseline, n in entry[f"{ours}_vs"].items()]
            failures = entry[f"{ours}_failures"]
            why.append([benchmark, ours, entry["n_problems"], with_interval(entry, "oracle"), sum(failures.values()),
                        *failures.values()])
            how.append([benchmark, ours, *decisions.row(entry[f"{ours}_decisions"])])
            if f"{ours}_separation" in entry:  # entries written before it have none
                apart = entry[f"{ours}_separation"]
                separated.append([benchmark, ours, apart["duels"], apart["no_difference"],
                                  f"{apart['no_difference_share']:.0%}", apart["one_group"], apart["one_group_split"],
                                  apart["inputs_dropped"]])
            if f"{ours}_wrong_picks" in entry:  # nor this
                wrong.append([benchmark, ours, *wrong_picks.row(entry[f"{ours}_wrong_picks"])])
            plainly.append(f"- {benchmark}: " + decisions.explain(ours, failures, entry[f"{ours}_decisions"],
                                                                   entry[f"{ours}_vs"]))
        debugged += [[benchmark, whose, *entry["debugging"][pool].values()] for pool, whose in debugging.POOLS.items()]
        plainly.append(f"- {benchmark}: " + debugging.explain(entry["debugging"]))
    complete = all(entry["n_problems"] == targets[b] for b, entry in data.items())
    return [f"# {name}", "", *header, "",
            "Accuracy on hidden tests (problems finished by every strategy"
            + ("" if complete else "; the run continues and resumes from its store, so the counts grow")
            + "), with its exact 95% interval (Clopper-Pearson) in brackets:", "",
            *markdown_table(["benchmark", "problems", *design.strategies], rows),
            "", "What each strategy cost per problem, as if it ran alone (samples and inputs shared in this run "
            "are charged to every strategy that uses them): calls to the model, tokens (prompt and completion) "
            "and program executions. Wall times are left out: several problems run at once on two cores.", "",
            *markdown_table(["benchmark", "strategy", "accuracy", "model calls", "tokens", "executions"], costs),
            "", about, "",
            "Does S* beat each baseline? Problems only S* solved vs only the baseline solved, two-sided "
            "exact sign test:", "",
            *markdown_table(["benchmark", "S*", "baseline", "only S*", "only baseline",
                             "of which no correct S* candidate", "p", "verdict"], versus),
            "", "Why S* fails where it does: `oracle` is the share of problems where at least one program "
            "S* generated (any sample, any debug round) passes the hidden tests; a failure with no correct "
            "candidate is the generator's, one with a correct candidate is the selection's.", "",
            *markdown_table(["benchmark", "S*", "problems", "oracle", "failures", "no correct candidate",
                             "picked wrong"], why),
            "", decisions.ABOUT, "",
            *markdown_table(["benchmark", "S*", *decisions.COLUMNS], how),
            "", "Did the inputs separate the candidates? Duels that found no input on which the two programs "
            "differ (a draw), and problems where every kept candidate fell in one group, of which the hidden tests "
            "split some (one kept candidate passes them, another fails): there only inputs that separate could have "
            "helped. `dropped`: inputs on which no kept candidate ran to completion.", "",
            *markdown_table(["benchmark", "S*", "duels", "no differing input", "share", "one group",
                             "one group, split by the hidden tests", "dropped"], separated),
            "", wrong_picks.ABOUT, "",
            *markdown_table(["benchmark", "S*", "picked wrong", *wrong_picks.COLUMNS], wrong),
            "", "What debugging did: candidates that failed a public test in round 0 (problems without "
            "public tests are not debugged), how many of them a debug round made pass every public test, and "
            "how many debug answers returned the very program they were asked to fix.", "",
            *markdown_table(["benchmark", "which", "candidates", "failed a public test", "fixed by debugging",
                             "debug answers", "same program returned"], debugged),
            "", "Why S* does not do better, from the numbers above:", "", *plainly]
