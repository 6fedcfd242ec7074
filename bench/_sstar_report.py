"""The S* benchmark's report: grading what S* generated, how its picks were made, whether it beats
each baseline (a sign test), what debugging did, and the results files built from all that.

Everything here reads the run store and runs programs in the sandbox; nothing calls the model, so
the report can be rebuilt at any time (`bench/sstar_accuracy.py --report`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from typing import Iterable

import _results

from codesieve.execution import Executor, Job
from codesieve.stats import sign_test
from codesieve.store import RunStore, StrategyTotals
from codesieve.types import Problem

BASELINES = ("zero-shot", "majority-vote", "self-debug")
# the paper's selection; ours with mutated public inputs added; and that with a judge that predicts outputs
SSTARS = ("sstar", "sstar-mutants", "sstar-predict")
STRATEGIES = BASELINES + SSTARS
NAME = "sstar_accuracy"
# The run spans sessions; how the embedded server decoded is part of its record (greedy answers
# are the model's either way, up to near-ties: bench/results/ngram_draft.md).
SERVER_HISTORY = ("plain llama.cpp decoding for the first 129 HumanEval+ problems, n-gram drafting "
                  "(`--ngram-draft`) for the model answers generated since (2026-12-01 20:12 UTC)")


def correct_candidates(records: list[dict], problems: dict[str, Problem], executor: Executor) -> dict[str, set[str]]:
    """Per finished problem: the ids of the programs S* generated (any sample, any debug round)
    that pass the hidden tests. Where there is none, no selection rule could have solved it."""
    out = {}
    for record in records:
        problem, lineages = problems.get(record["problem_id"]), record["pools"].get("sampled")
        if problem is None or lineages is None:
            continue
        ids: dict[str, list[str]] = {}
        for lineage in lineages:
            for attempt in lineage:
                ids.setdefault(attempt["candidate"]["program"], []).append(attempt["candidate"]["id"])
        programs = sorted(ids)
        graded = executor.run([Job.for_problem(problem, p, problem.hidden_tests) for p in programs])
        out[problem.id] = {i for program, r in zip(programs, graded) if r.passed for i in ids[program]}
    return out


DEBUG_POOLS = {"sampled": "S*'s N samples", "greedy": "self-debug's greedy sample"}
DEBUG_COUNTS = ("candidates", "failed_public", "fixed", "debug_answers", "unchanged")


def debug_outcomes(lineages: list[list[dict]]) -> dict[str, int]:
    """What debugging did to one problem's candidates (a lineage: a candidate's attempts, round 0
    first): how many failed a public test in round 0, how many of those a debug round made pass
    them all, and how many debug answers returned the program they were asked to fix."""
    out = dict.fromkeys(DEBUG_COUNTS, 0)
    for lineage in lineages:
        out["candidates"] += 1
        verdicts = [(attempt.get("public") or {}).get("verdict") for attempt in lineage]
        if verdicts[0] not in (None, "passed"):  # None: the problem has no public tests
            out["failed_public"] += 1
            out["fixed"] += verdicts[-1] == "passed"
        programs = [attempt["candidate"]["program"] for attempt in lineage]
        out["debug_answers"] += len(programs) - 1
        out["unchanged"] += sum(a == b for a, b in zip(programs, programs[1:]))
    return out


def debug_totals(outcomes: Iterable[dict[str, int]]) -> dict[str, int]:
    """`debug_outcomes` of several problems, summed."""
    outcomes = list(outcomes)
    return {k: sum(o[k] for o in outcomes) for k in DEBUG_COUNTS}


@dataclass
class Finished:
    """What the report needs of one benchmark's finished problems, read once per process: a stored
    record never changes, and re-reading them all (parsing every record, re-encoding every hidden
    test to look its executions up) cost over ten seconds per rewrite once a hundred were stored,
    beside the model, every five minutes."""

    correct: dict[str, set[str]] = field(default_factory=dict)  # see correct_candidates
    traces: dict[str, dict[str, dict]] = field(default_factory=dict)  # S* variant -> problem -> trace
    debugging: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # pool -> problem -> outcomes

    def update(self, store: RunStore, key: str, problems: dict[str, Problem], executor: Executor) -> None:
        records = list(store.records(key, exclude=self.correct))
        self.correct.update(correct_candidates(records, problems, executor))
        for record in records:
            self.correct.setdefault(record["problem_id"], set())
            for ours in SSTARS:
                trace = record["strategies"].get(ours, {}).get("trace") or {}
                self.traces.setdefault(ours, {})[record["problem_id"]] = trace
            for pool in DEBUG_POOLS:
                if pool in record["pools"]:
                    outcomes = debug_outcomes(record["pools"][pool])
                    self.debugging.setdefault(pool, {})[record["problem_id"]] = outcomes


def decisions(traces: dict[str, dict], done: set[str], correct: dict[str, set[str]]) -> dict[str, int]:
    """How an S* variant reached its picks (`traces`: its trace per problem): by elimination, by
    agreement, or by duels (and how those ended). `judge_split` counts duels the judge left 1-1
    (the A/B judge named the same position in both orders, or no prediction matched one side
    alone); of the duels the judge decided between a correct and a wrong program, `judge_right`
    and `judge_wrong` count how it chose."""
    out = dict.fromkeys(("one_kept", "one_group", "tournament", "duels", "by_execution", "by_judge",
                         "no_difference", "judge_split", "judge_right", "judge_wrong"), 0)
    for problem_id, trace in traces.items():
        if problem_id not in done or not trace:
            continue
        groups, duels = trace.get("groups", []), trace.get("duels", [])
        right = correct.get(problem_id, set())
        out["one_kept" if len(trace["kept"]) == 1 else "one_group" if len(groups) <= 1 else "tournament"] += 1
        for duel in duels:
            out["duels"] += 1
            out[{"execution": "by_execution", "judge": "by_judge"}.get(duel["decided_by"], "no_difference")] += 1
            if duel["decided_by"] != "judge":
                continue
            a_points, b_points = duel["points"]
            out["judge_split"] += a_points == b_points
            if a_points != b_points and (duel["a"] in right) != (duel["b"] in right):
                winner = duel["a"] if a_points > b_points else duel["b"]
                out["judge_right" if winner in right else "judge_wrong"] += 1
    return out


def p_value(wins: int, losses: int) -> float:
    """`sign_test` to 3 significant digits, as the results report it."""
    return float(f"{sign_test(wins, losses):.3g}")


def comparison(results: dict[str, dict[str, bool]], done: set[str], ours: str, baseline: str,
               solvable: dict[str, bool]) -> tuple[str, dict]:
    """Whether `ours` beats `baseline` on the problems both finished, stated plainly; of the problems
    only the baseline solved, how many `ours` could not have solved (no correct candidate)."""
    wins = sum(results[ours][p] and not results[baseline][p] for p in done)
    lost = [p for p in done if results[baseline][p] and not results[ours][p]]
    p = p_value(wins, len(lost))
    if wins > len(lost):
        verdict = f"{ours} beats it" if p < 0.05 else f"{ours} ahead, not significant"
    elif wins < len(lost):
        verdict = f"{baseline} beats {ours}" if p < 0.05 else f"{baseline} ahead, not significant"
    else:
        verdict = "tie"
    return verdict, {"ours_only": wins, "baseline_only": len(lost), "p_value": p, "verdict": verdict,
                     "baseline_only_no_correct_candidate": sum(not solvable.get(q, False) for q in lost)}


def explain(ours: str, failures: dict[str, int], counts: dict[str, int], versus: dict[str, dict]) -> str:
    """Why `ours` does not do better, in sentences made from its numbers."""
    out = [f"`{ours}` failed {sum(failures.values())} problems: on {failures['no_correct_candidate']} no program "
           f"it generated passes the hidden tests, on {failures['picked_wrong']} one does but it picked another."]
    if counts["by_judge"]:
        out.append(f"The judge left {counts['judge_split']} of its {counts['by_judge']} duels 1-1; such a duel "
                   "goes to the larger group, majority vote's rule"
                   + (", so the judge never changed a pick." if counts["judge_split"] == counts["by_judge"] else "."))
        if counts["judge_right"] + counts["judge_wrong"]:
            out.append(f"Of the duels it decided between a correct and a wrong program, it gave "
                       f"{counts['judge_right']} to the correct one and {counts['judge_wrong']} to the wrong one.")
    for baseline, numbers in versus.items():
        if numbers["baseline_only"]:
            n = numbers["baseline_only"]
            out.append(f"Of the {n} problem{'s' * (n != 1)} only `{baseline}` solved, "
                       f"{numbers['baseline_only_no_correct_candidate']} had no correct `{ours}` candidate.")
    return " ".join(out)


def explain_debugging(debugging: dict[str, dict[str, int]]) -> str:
    """What debugging did, in a sentence made from its numbers: all self-debug adds to zero-shot."""
    sampled, greedy = debugging["sampled"], debugging["greedy"]
    return (f"debugging made {sampled['fixed']} of the {sampled['failed_public']} sampled candidates that failed "
            f"a public test pass them all, and {greedy['fixed']} of the {greedy['failed_public']} greedy ones "
            f"(self-debug's); {sampled['unchanged'] + greedy['unchanged']} of the "
            f"{sampled['debug_answers'] + greedy['debug_answers']} debug answers returned the program unchanged.")


def summarize(store: RunStore, key: str, problems: dict[str, Problem], executor: Executor,
              seen: Finished) -> dict:
    """One benchmark's JSON entry: accuracy per strategy on the problems every strategy finished,
    cost, and for each S* variant its comparisons, failures and decisions, and what debugging did."""
    results = store.results(key)
    done = set.intersection(*(set(results.get(s, {})) for s in STRATEGIES))
    entry: dict = {"n_problems": len(done)}
    for s in STRATEGIES:
        entry[s] = sum(results[s][p] for p in done) / len(done) if done else 0.0
    entry["cost_per_problem"] = cost_per_problem(store.totals(key))
    if not done:
        return entry
    seen.update(store, key, problems, executor)
    solvable = {p: bool(ids) for p, ids in seen.correct.items()}
    entry["oracle"] = sum(solvable.get(p, False) for p in done) / len(done)
    for ours in SSTARS:
        entry[f"{ours}_vs"] = {baseline: comparison(results, done, ours, baseline, solvable)[1]
                               for baseline in BASELINES + SSTARS[:SSTARS.index(ours)]}
        failed = [p for p in done if not results[ours][p]]
        entry[f"{ours}_failures"] = {"no_correct_candidate": sum(not solvable.get(p, False) for p in failed),
                                     "picked_wrong": sum(solvable.get(p, False) for p in failed)}
        entry[f"{ours}_decisions"] = decisions(seen.traces.get(ours, {}), done, seen.correct)
    entry["debugging"] = {pool: debug_totals(o for p, o in seen.debugging.get(pool, {}).items() if p in done)
                          for pool in DEBUG_POOLS}
    return entry


def write_results(store: RunStore, keys: dict[str, str], targets: dict[str, int], args: argparse.Namespace,
                  model_id: str, problems: dict[str, dict[str, Problem]], executor: Executor,
                  finished: dict[str, Finished]) -> None:
    """Rewrite results/sstar_accuracy.json (atomically) and its Markdown from the run store."""
    data = {benchmark: summarize(store, key, problems[benchmark], executor, finished.setdefault(benchmark, Finished()))
            for benchmark, key in keys.items()}
    _results.RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = _results.RESULTS / f"{NAME}.json.part"
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, _results.RESULTS / f"{NAME}.json")
    (_results.RESULTS / f"{NAME}.md").write_text("\n".join(markdown(data, targets, args, model_id)) + "\n")


def markdown(data: dict[str, dict], targets: dict[str, int], args: argparse.Namespace, model_id: str) -> list[str]:
    """The Markdown report's lines, made from the JSON entries alone."""
    rows, costs, versus, why, how, debugged, plainly = [], [], [], [], [], [], []
    for benchmark, entry in data.items():
        rows.append([benchmark, f"{entry['n_problems']}/{targets[benchmark]}", *[f"{entry[s]:.3f}" for s in STRATEGIES]])
        costs += [[benchmark, s, f"{entry[s]:.3f}", f"{c['model_calls']:.1f}", f"{c['tokens']:,.0f}",
                   f"{c['executions']:.1f}"] for s, c in entry["cost_per_problem"].items()]
        if not entry["n_problems"]:
            continue
        for ours in SSTARS:
            versus += [[benchmark, ours, baseline, n["ours_only"], n["baseline_only"],
                        n["baseline_only_no_correct_candidate"], f"{n['p_value']:.2g}", n["verdict"]]
                       for baseline, n in entry[f"{ours}_vs"].items()]
            failures = entry[f"{ours}_failures"]
            why.append([benchmark, ours, entry["n_problems"], f"{entry['oracle']:.3f}", sum(failures.values()),
                        *failures.values()])
            how.append([benchmark, ours, *entry[f"{ours}_decisions"].values()])
            plainly.append(f"- {benchmark}: " + explain(ours, failures, entry[f"{ours}_decisions"], entry[f"{ours}_vs"]))
        debugged += [[benchmark, whose, *entry["debugging"][pool].values()] for pool, whose in DEBUG_POOLS.items()]
        plainly.append(f"- {benchmark}: " + explain_debugging(entry["debugging"]))
    complete = all(entry["n_problems"] == targets[b] for b, entry in data.items())
    return [f"# {NAME}", "", f"Command: `{_results.command(drop=('--report',))}`  ",
            f"Model: {model_id}, N={args.n}, R={args.rounds}, temperature {args.temperature}, top_p 0.95, "
            f"seed {args.seed}  ",
            f"Date: {dt.date.today().isoformat()}, {os.cpu_count()} cores  ", f"Server: {SERVER_HISTORY}", "",
            "Accuracy on hidden tests (problems finished by every strategy"
            + ("" if complete else "; the run continues and resumes from its store, so the counts grow") + "):", "",
            *table(["benchmark", "problems", *STRATEGIES], rows),
            "", "What each strategy cost per problem, as if it ran alone (samples and inputs shared in this run "
            "are charged to every strategy that uses them): calls to the model, tokens (prompt and completion) "
            "and program executions. Wall times are left out: several problems run at once on two cores.", "",
            *table(["benchmark", "strategy", "accuracy", "model calls", "tokens", "executions"], costs),
            "", "`sstar` selects as the paper does; `sstar-mutants` also groups and compares candidates on "
            "mutations of the public inputs (empty, shortened, reversed, sorted values, neighbouring numbers), "
            "since the small model's own inputs mostly repeat the examples. `sstar-predict` is `sstar-mutants` "
            "whose judge, instead of choosing between programs A and B, predicts the output of each input "
            "they differ on without seeing them; the side whose output it predicted wins. All three use the "
            "same candidates.", "",
            "Does S* beat each baseline? Problems only S* solved vs only the baseline solved, two-sided "
            "exact sign test:", "",
            *table(["benchmark", "S*", "baseline", "only S*", "only baseline", "of which no correct S* candidate",
                    "p", "verdict"], versus),
            "", "Why S* fails where it does: `oracle` is the share of problems where at least one program "
            "S* generated (any sample, any debug round) passes the hidden tests; a failure with no correct "
            "candidate is the generator's, one with a correct candidate is the selection's.", "",
            *table(["benchmark", "S*", "problems", "oracle", "failures", "no correct candidate", "picked wrong"], why),
            "", "How the picks were made: only one candidate kept (best public pass rate), all kept "
            "candidates in one group (identical outputs on every input), or a tournament between groups; "
            "its duels were settled by execution (one side always crashed or timed out), by the judge, "
            "or found no differing input. `judge 1-1` counts judged duels the judge left undecided: the A/B "
            "judge named the same position in both orders, or no prediction matched exactly one side; the "
            "larger group won those. `judge right` and `judge wrong` count the duels the judge decided "
            "between a program that passes the hidden tests and one that does not.", "",
            *table(["benchmark", "S*", "one kept", "one group", "tournament", "duels", "by execution",
                    "by judge", "no difference", "judge 1-1", "judge right", "judge wrong"], how),
            "", "What debugging did: candidates that failed a public test in round 0 (problems without "
            "public tests are not debugged), how many of them a debug round made pass every public test, and "
            "how many debug answers returned the very program they were asked to fix.", "",
            *table(["benchmark", "which", "candidates", "failed a public test", "fixed by debugging",
                    "debug answers", "same program returned"], debugged),
            "", "Why S* does not do better, from the numbers above:", "", *plainly]


def cost_per_problem(totals: list[StrategyTotals]) -> dict[str, dict[str, float]]:
    """Mean model calls, tokens and executions per finished problem, per strategy of the benchmark."""
    return {t.strategy: {"model_calls": t.model_calls / t.problems, "tokens": t.tokens / t.problems,
                         "executions": t.executions / t.problems}
            for t in totals if t.strategy in STRATEGIES and t.problems}


def table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *["| " + " | ".join(str(v) for v in row) + " |" for row in rows]]
