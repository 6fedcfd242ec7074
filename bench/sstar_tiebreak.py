"""S*'s tiebreak and overrule options, measured offline on the dev split's stored S* runs.

Each stored S* pick (bench/sstar_accuracy.py's main run and its reruns, rebuilt from the committed
answers) is settled again from its own evidence, with no model call and no new duel: the groups,
their sizes, every duel's points and votes, and each kept candidate's outputs on every input (the
behaviour table). Four settings:

- `tiebreak`: `size` (the default: groups level on points, and every group when no duel decided,
  go to the largest) or `agreement` (to the group whose outputs agree most with the other
  candidates', input by input: `codesieve.select.mbr_exec`'s score of its members);
- `overrule`: 1 (the default: a judge's win stands whatever the sizes) or 2 (a judge's win for the
  smaller group of a duel needs a lead of two votes, else the duel is level: one prediction is not
  enough to put a lone program over a larger group; `codesieve.select.pairwise.held`).

Re-scored with the defaults, every pick must be the stored one (`replayed` counts those that are
not; it should be 0). Agreement is read from the behaviour table's shown outputs (cut at 120
characters), so two long outputs that differ only further on count as agreeing. Where a setting
leaves every duel level in a run whose judge can judge by code alone, the code judge's stored
verdict is used if there is one; these runs' judges (verdict-first, predict) cannot. Every
number is dev (docs/sstar.md, Dev and test protocol): it chooses the defaults, it does not test them.

    .venv/bin/python bench/sstar_tiebreak.py    # needs runs/sstar_accuracy.sqlite (bench/sstar_accuracy.py)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

from sstar_accuracy import DESIGN, RERUN_BENCHMARKS, RERUNS, benchmark_problems, committed_run, parser as sstar_parser, rerun

from codesieve.execution.behaviour import Cluster
from codesieve.report.files import command_line
from codesieve.report.oracle import correct_candidates
from codesieve.select import evidence as ev
from codesieve.select.pairwise import held, pick_winner
from codesieve.stages import SelectConfig
from codesieve.stats import sign_test
from codesieve.store import RunStore

NAME = "sstar_tiebreak"
RESULTS = Path(__file__).resolve().parent / "results"
SETTINGS = (("size", 1), ("agreement", 1), ("size", 2), ("agreement", 2))  # the default first
TIED = (ev.TOURNAMENT, ev.LARGEST_GROUP, ev.CODE_JUDGE)  # decisions the settings can change


def agreement_of(trace: ev.SStarEvidence) -> list[int]:
    """Per group: its representative's agreement with the other kept candidates, input by input,
    from the behaviour table's shown outputs (failures agree with nothing)."""
    rows = {b.candidate: b.outcomes for b in trace.behaviour}
    scores = {}
    for candidate, outcomes in rows.items():
        scores[candidate] = sum(o.verdict == "ok" and other[t].verdict == "ok" and other[t].shown == o.shown
                                for t, o in enumerate(outcomes)
                                for c, other in rows.items() if c != candidate and t < len(other))
    return [scores.get(g.representative, 0) for g in trace.groups]


def settle(trace: ev.SStarEvidence, tiebreak: str, overrule: int, max_groups: int) -> int:
    """The winning group's position under the setting, from the stored evidence."""
    kept = list(trace.kept)
    clusters = [Cluster(tuple(kept.index(m) for m in g.members), ()) for g in trace.groups]
    duels = [held(d, (clusters[d.groups[0]].size, clusters[d.groups[1]].size), overrule) for d in trace.duels]
    agree = agreement_of(trace) if tiebreak == "agreement" else None
    if any(d.decided for d in duels):
        points = [0.0] * len(clusters)
        for d in duels:
            points[d.groups[0]] += d.points[0]
            points[d.groups[1]] += d.points[1]
        n = max(1, min(len(clusters), max_groups))
        return pick_winner(clusters[:n], points[:n], None if agree is None else agree[:n])
    if trace.code_judgement is not None and trace.code_judgement.winner_group is not None:
        return trace.code_judgement.winner_group
    return pick_winner(clusters, [0.0] * len(clusters), agree) if agree is not None else 0


def measure(records, passing: dict[str, set[str]], strategy: str, max_groups: int) -> dict:
    """Per setting: problems solved, and against the default, picks changed, won, lost and the sign test."""
    solved: dict[str, dict[str, bool]] = {}
    changed: Counter = Counter()
    replayed = 0
    for record in records:
        selection = record.strategies.get(strategy)
        if selection is None or not isinstance(selection.evidence, ev.SStarEvidence):
            continue
        trace, right = selection.evidence, passing.get(record.problem_id, set())
        for tiebreak, overrule in SETTINGS:
            name = f"{tiebreak}, overrule {overrule}"
            if trace.decided_by in TIED:
                pick = trace.groups[settle(trace, tiebreak, overrule, max_groups)].representative
                if (tiebreak, overrule) == SETTINGS[0] and pick != selection.winner:
                    replayed += 1
            else:
                pick = selection.winner
            changed[name] += pick != selection.winner
            solved.setdefault(name, {})[record.problem_id] = pick in right
    out: dict = {"problems": len(solved.get("size, overrule 1", {})), "replayed": replayed}
    base = solved.get("size, overrule 1", {})
    for name, by_problem in solved.items():
        won = sum(v and not base[p] for p, v in by_problem.items())
        lost = sum(base[p] and not v for p, v in by_problem.items())
        out[name] = {"solved": sum(by_problem.values()), "changed": changed[name], "won": won, "lost": lost,
                     "p": round(sign_test(won, lost), 3) if won + lost else 1.0}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--store", type=Path, default=Path("runs") / "sstar_accuracy.sqlite")
    args = p.parse_args()
    sstar_args = sstar_parser().parse_args(["--store", str(args.store)])
    max_groups = SelectConfig().max_groups
    results: dict[str, dict] = {}
    with RunStore(args.store) as store, committed_run(sstar_args, "humaneval+").open_executor() as executor:
        for benchmark in args.benchmarks.split(","):
            problems = {pr.id: pr for pr in benchmark_problems(sstar_args, benchmark, executor)}
            runs = [(s, committed_run(sstar_args, benchmark).key) for s in DESIGN.ours]
            if benchmark in RERUN_BENCHMARKS:
                runs += [(w.strategy, rerun(sstar_args, w, benchmark).key, w.label) for w in RERUNS]
            for strategy, key, *label in runs:
                records = [r for r in store.problems(key) if r.problem_id in problems]
                if not records:
                    continue
                passing = correct_candidates(records, problems, executor)
                found = measure(records, passing, strategy, max_groups)
                results.setdefault(benchmark, {})[label[0] if label else strategy] = found
                print(benchmark, label[0] if label else strategy, json.dumps(found), flush=True)
    write(results)


def write(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{NAME}.json").write_text(json.dumps({"split": "dev", "benchmarks": results}, indent=2,
                                                     sort_keys=True) + "\n")
    names = [f"{t}, overrule {o}" for t, o in SETTINGS]
    lines = [f"# {NAME}", "", f"Command: `{command_line()}`  ", f"Date: {dt.date.today()}  ",
             "Split: dev (HumanEval+ 164, the 100 MBPP+ problems, the 40 CodeContests problems of "
             "bench/sstar_accuracy.py). Each stored S* pick settled again from its own evidence (no model call): "
             "problems solved per setting, and against the default (size, overrule 1) the picks changed, "
             "problems won / lost and the exact sign test's p. `replayed`: default picks that differ from the "
             "stored ones (should be 0).",
             "", "| benchmark | run | problems | replayed | " + " | ".join(names) + " |",
             "|---|---|---|---|" + "---|" * len(names)]
    for benchmark, runs in results.items():
        for run, found in runs.items():
            cells = " | ".join(f"{found[n]['solved']} ({found[n]['changed']} picks changed: {found[n]['won']}+/"
                               f"{found[n]['lost']}-, p {found[n]['p']:g})" for n in names if n in found)
            lines.append(f"| {benchmark} | {run} | {found['problems']} | {found['replayed']} | {cells} |")
    totals = Counter()
    for runs in results.values():
        for found in runs.values():
            for n in names:
                if n in found:
                    totals[n, "won"] += found[n]["won"]
                    totals[n, "lost"] += found[n]["lost"]
    lines += ["", "Summed over every run above (runs share problems, so these are not independent): " + "; ".join(
        f"{n}: {totals[n, 'won']} won, {totals[n, 'lost']} lost" for n in names[1:]) + "."]
    (RESULTS / f"{NAME}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
