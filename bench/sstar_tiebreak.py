"""S*'s tiebreak, overrule and execution rules, measured offline on the dev split's stored S* runs.

Each stored S* pick (bench/sstar_accuracy.py's shipped run, or with `--run variants` its committed
variants run and reruns, rebuilt from the committed answers; results in sstar_tiebreak_shipped.*
and sstar_tiebreak.*) is settled again from its own evidence, with no model call and no new duel:
the groups, their sizes, every duel's points and votes, and each kept candidate's outputs on every
input (the behaviour table). The default, then one change at a time:

- `tiebreak`: `size` (the default: groups level on points, and every group when no duel decided,
  go to the largest), `agreement` (to the group whose outputs agree most with the other
  candidates', input by input: `codesieve.select.mbr_exec`'s score of its members)
  or `samples` (to the group holding more fresh samples, debug revisions not counted, then the
  larger: a revision is written to pass the public tests, so its passing them is weaker evidence);
- `overrule`: 1 (the default: a judge's win stands whatever the sizes) or 2 (a judge's win for the
  smaller group of a duel needs a lead of two votes, else the duel is level: one prediction is not
  enough to put a lone program over a larger group; `codesieve.select.pairwise.held`);
- `added`: a win by execution settled on added inputs alone (mutants, edge cases, a generator's;
  none the model wrote: `codesieve.report.provenance`) stands (`counts`,
  as S* does) or is a draw (`draw`): a correct program may well crash on an edge case outside the
  statement's domain (factorize(0), say), and a draw, unlike a judge call, costs nothing; or
  the judge's predictions on added inputs cast no vote (`unjudged`: what a correct program should
  return on car_race_collision(-1) the statement does not say, so neither can a prediction);
- `copies`: a `predict` judge's prediction equal to a statement example's output for another
  input casts no vote (`discard`, the default), votes like any other (`vote`), or votes when it
  is True or False (`vote-bool`: with two possible answers half of all predictions equal an
  example's output by chance, so discarding them silences the judge only when it names the
  examples' value): each copied prediction is matched again against both sides' outputs as the
  duel recorded them (an output cut short matches nothing);
- `lines`: a stdio prediction with fewer lines than a side's output is compared with that many
  of the output's first lines (`leading`, the default: on a multi-case problem a small model
  predicts the first case's line and stops), or with the whole output (`whole`, the rule before
  7 December, under which such a prediction matches neither side, however right that line is).

Re-scored with the defaults, every pick must be the stored one (`replayed` counts those that are
not; it should be 0). Agreement is read from the behaviour table's shown outputs (cut at 120
characters), so two long outputs that differ only further on count as agreeing. Where a setting
leaves every duel level in a run whose judge can judge by code alone, the code judge's stored
verdict is used if there is one; these runs' judges (verdict-first, predict) cannot. Every
number is dev (docs/sstar.md, Dev and test protocol): it chooses the defaults, it does not test them.

    .venv/bin/python bench/sstar_tiebreak.py    # needs runs/sstar_accuracy.sqlite (bench/sstar_accuracy.py)
    .venv/bin/python bench/sstar_tiebreak.py --run variants
"""

from __future__ import annotations

import argparse
import ast
import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import _results
from sstar_accuracy import (DESIGN, RERUN_BENCHMARKS, RERUNS, benchmark_problems, committed_run, parser as sstar_parser,
                            rerun, shipped_run)

from codesieve.execution.behaviour import Cluster
from codesieve.report.oracle import correct_candidates
from codesieve.report.provenance import added_inputs, settled_on_added_inputs
from codesieve.select import evidence as ev
from codesieve.select.judges.predict import leading_lines, same_output, scored
from codesieve.select.pairwise import held, pick_winner
from codesieve.stages import SelectConfig
from codesieve.stats import sign_test
from codesieve.store import RunStore
from codesieve.text import CUT
from codesieve.types import Problem, TaskKind, Verdict

NAME = "sstar_tiebreak"
TIED = (ev.TOURNAMENT, ev.LARGEST_GROUP, ev.CODE_JUDGE)  # decisions the settings can change
_UNREAD = object()  # a recorded value that does not read back


@dataclass(frozen=True)
class Setting:
    """One way of settling the stored duels (the defaults: size, 1, counts, discard)."""

    tiebreak: str = "size"
    overrule: int = 1
    added: str = "counts"
    copies: str = "discard"
    lines: str = "leading"

    @property
    def name(self) -> str:
        drawn = {"draw": ", added-only wins drawn", "unjudged": ", added inputs unjudged"}.get(self.added, "")
        copies = {"vote": ", copied predictions vote", "vote-bool": ", copied True/False vote"}.get(self.copies, "")
        lines = ", stdio predictions against whole outputs" if self.lines == "whole" else ""
        return f"{self.tiebreak}, overrule {self.overrule}{drawn}{copies}{lines}"


SETTINGS = (Setting(), Setting("agreement"), Setting(overrule=2), Setting("agreement", 2), Setting(added="draw"),
            Setting(added="unjudged"), Setting(copies="vote"), Setting(copies="vote-bool"), Setting("samples"),
            Setting(lines="whole"))
DEFAULT = SETTINGS[0].name


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


def samples_in(trace: ev.SStarEvidence) -> list[int]:
    """Per group: its members that are fresh samples, not debug revisions."""
    return [sum(map(_fresh, g.members)) for g in trace.groups]


def _fresh(candidate: str) -> bool:
    """Whether a candidate id (`problem#index.round`, `codesieve.types.Candidate.id`) is round 0's."""
    return candidate.endswith(".0")


def counted(duel: ev.Duel, trace: ev.SStarEvidence, problem: Problem | None, setting: Setting) -> ev.Duel:
    """The duel as `setting` counts it: under `added="draw"` a win by execution on added inputs
    alone is a draw (1-1), under `added="unjudged"` the judge's predictions on added inputs cast no
    vote; under `copies="vote"` copied predictions vote, under `"vote-bool"` those
    that are True or False; under `lines="whole"` every uncopied stdio prediction votes again,
    matched against each side's whole output."""
    if setting.added == "draw" and duel.decided_by == ev.BY_EXECUTION and settled_on_added_inputs(duel, trace, problem):
        return replace(duel, points=(1.0, 1.0))
    if setting.added == "unjudged" and duel.decided_by == ev.BY_JUDGE and duel.predictions:
        added = added_inputs(duel, trace, problem)
        predictions = tuple(replace(p, vote=None) if p.input in added else p for p in duel.predictions)
        duel = replace(duel, predictions=predictions, points=scored([p.vote for p in predictions]))
    if setting.lines == "whole" and problem is not None and problem.kind != TaskKind.FUNCTION and duel.predictions:
        predictions = tuple(p if p.copied else replace(p, vote=revote(problem, p, duel, whole=True))
                            for p in duel.predictions)
        duel = replace(duel, predictions=predictions, points=scored([p.vote for p in predictions]))
    recast = [p.copied and (setting.copies == "vote" or setting.copies == "vote-bool" and _boolean(p))
              for p in duel.predictions]
    if problem is not None and any(recast):
        predictions = tuple(replace(p, vote=revote(problem, p, duel), copied=False) if again else p
                            for p, again in zip(duel.predictions, recast))
        return replace(duel, predictions=predictions, points=scored([p.vote for p in predictions]))
    return duel


def revote(problem: Problem, prediction: ev.OutputPrediction, duel: ev.Duel, whole: bool = False) -> str | None:
    """The side a stored prediction matches alone, against the outputs the duel recorded (as the
    judge compares them, or with `whole`, a stdio prediction against each whole output)."""
    shown = next((e for e in duel.evidence if e.input == prediction.input), None)
    predicted = _literal(prediction.predicted) if prediction.predicted is not None else _UNREAD
    if shown is None or predicted is _UNREAD:
        return None
    hit_a = _matches(problem, predicted, shown.a_verdict, shown.a, whole)
    hit_b = _matches(problem, predicted, shown.b_verdict, shown.b, whole)
    return "A" if hit_a and not hit_b else "B" if hit_b and not hit_a else None


def _boolean(prediction: ev.OutputPrediction) -> bool:
    return prediction.predicted is not None and isinstance(_literal(prediction.predicted), bool)


def _matches(problem: Problem, predicted: Any, verdict: str, output: str, whole: bool = False) -> bool:
    """Whether an output as recorded is the predicted one, compared as the judge does (a stdio
    prediction on the output's first lines, if it has fewer) or, with `whole`, whole. An output
    cut short matches only on lines recorded before the cut."""
    if verdict != str(Verdict.OK):
        return False
    if problem.kind == TaskKind.FUNCTION:
        value = _UNREAD if output.endswith(CUT) else _literal(output)
        return value is not _UNREAD and same_output(problem, predicted, value)
    if whole:
        return not output.endswith(CUT) and same_output(problem, predicted, output)
    recorded = output.removesuffix(CUT).splitlines()[:-1] if output.endswith(CUT) else output.strip().splitlines()
    wanted = len(str(predicted).strip().splitlines())
    if output.endswith(CUT) and wanted > len(recorded):
        return False
    return same_output(problem, predicted, leading_lines("\n".join(recorded), str(predicted)))


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNREAD


def settled_duels(trace: ev.SStarEvidence, setting: Setting, problem: Problem | None = None) -> list[ev.Duel]:
    """The stored duels as `setting` counts and holds them."""
    sizes = [len(g.members) for g in trace.groups]
    return [held(counted(d, trace, problem, setting), (sizes[d.groups[0]], sizes[d.groups[1]]), setting.overrule)
            for d in trace.duels]


def calls(duels: list[ev.Duel], right: set[str]) -> tuple[int, int]:
    """Of the duels between a passing and a failing representative, how many went to the passing
    side and how many to the failing one (level duels count in neither)."""
    split = [d for d in duels if (d.a in right) != (d.b in right) and d.points[0] != d.points[1]]
    to_passing = sum((d.a if d.points[0] > d.points[1] else d.b) in right for d in split)
    return to_passing, len(split) - to_passing


def first_lines_only(trace: ev.SStarEvidence, problem: Problem | None) -> tuple[int, int]:
    """For a stdio problem: the judge's readable predictions on its duels, and how many of them have
    fewer lines than both sides' recorded outputs (what the first-line rule compares differently)."""
    if problem is None or problem.kind == TaskKind.FUNCTION:
        return 0, 0
    shown = [(p, next((e for e in d.evidence if e.input == p.input), None)) for d in trace.duels for p in d.predictions]
    readable = [(_literal(p.predicted), e) for p, e in shown if p.predicted is not None and e is not None]
    short = sum(len(str(v).strip().splitlines()) < min(len(e.a.strip().splitlines()), len(e.b.strip().splitlines()))
                for v, e in readable)
    return short, len(readable)


def settle(trace: ev.SStarEvidence, setting: Setting, max_groups: int, problem: Problem | None = None) -> int:
    """The winning group's position under `setting`, from the stored evidence."""
    kept = list(trace.kept)
    clusters = [Cluster(tuple(kept.index(m) for m in g.members), ()) for g in trace.groups]
    duels = settled_duels(trace, setting, problem)
    ranked = {"agreement": agreement_of, "samples": samples_in}.get(setting.tiebreak)
    agree = ranked(trace) if ranked else None
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


def measure(records, passing: Mapping[str, set[str]], strategy: str, max_groups: int,
            problems: Mapping[str, Problem] | None = None) -> dict:
    """Per setting: problems solved, and against the default, picks changed, won, lost and the sign
    test, and the duels between a passing and a failing representative that went to each; and how
    many stored picks are debug revisions, and of those how many pass the hidden tests; and for stdio
    problems the judge's readable predictions, and how many have fewer lines than both outputs."""
    solved: dict[str, dict[str, bool]] = {}
    changed: Counter = Counter()
    called: Counter = Counter()
    replayed = 0
    revisions = [0, 0]
    lines = [0, 0]
    for record in records:
        selection = record.strategies.get(strategy)
        if selection is None or not isinstance(selection.evidence, ev.SStarEvidence):
            continue
        trace, right = selection.evidence, passing.get(record.problem_id, set())
        problem = (problems or {}).get(record.problem_id)
        short, readable = first_lines_only(trace, problem)
        lines[0] += short
        lines[1] += readable
        if selection.winner is not None and not _fresh(selection.winner):
            revisions[0] += 1
            revisions[1] += selection.winner in right
        for setting in SETTINGS:
            for_right, for_wrong = calls(settled_duels(trace, setting, problem), right)
            called[setting.name, "right"] += for_right
            called[setting.name, "wrong"] += for_wrong
            if trace.decided_by in TIED:
                position = settle(trace, setting, max_groups, problem)
                pick = trace.groups[position].representative
                replayed += setting.name == DEFAULT and pick != selection.winner
            else:
                pick = selection.winner
            changed[setting.name] += pick != selection.winner
            solved.setdefault(setting.name, {})[record.problem_id] = pick in right
    base = solved.get(DEFAULT, {})
    out: dict = {"problems": len(base), "replayed": replayed, "revisions_picked": revisions[0],
                 "revisions_picked_passing": revisions[1], "stdio_predictions": lines[1],
                 "stdio_predictions_shorter": lines[0]}
    for name, by_problem in solved.items():
        won = sum(v and not base[p] for p, v in by_problem.items())
        lost = sum(base[p] and not v for p, v in by_problem.items())
        out[name] = {"solved": sum(by_problem.values()), "changed": changed[name], "won": won, "lost": lost,
                     "duels_to_passing": called[name, "right"], "duels_to_failing": called[name, "wrong"],
                     "p": round(sign_test(won, lost), 3) if won + lost else 1.0,
                     "won_problems": sorted(p for p, v in by_problem.items() if v and not base[p]),
                     "lost_problems": sorted(p for p, v in by_problem.items() if base[p] and not v)}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--store", type=Path, default=Path("runs") / "sstar_accuracy.sqlite")
    p.add_argument("--run", choices=("shipped", "variants"), default="shipped",
                   help="the shipped run (default), or the committed variants run and its reruns")
    args = p.parse_args()
    sstar_args = sstar_parser().parse_args(["--store", str(args.store)])
    max_groups = SelectConfig().max_groups
    results: dict[str, dict] = {}
    with RunStore(args.store) as store, committed_run(sstar_args, "humaneval+").open_executor() as executor:
        for benchmark in args.benchmarks.split(","):
            problems = {pr.id: pr for pr in benchmark_problems(sstar_args, benchmark, executor)}
            if args.run == "shipped":
                runs = [("sstar", shipped_run(sstar_args, benchmark).key, "sstar")]
            else:
                runs = [(s, committed_run(sstar_args, benchmark).key, s) for s in DESIGN.ours]
                if benchmark in RERUN_BENCHMARKS:
                    runs += [(w.strategy, rerun(sstar_args, w, benchmark).key, w.label) for w in RERUNS]
            for strategy, key, label in runs:
                records = [r for r in store.problems(key) if r.problem_id in problems]
                if not records:
                    continue
                passing = correct_candidates(records, problems, executor)
                found = measure(records, passing, strategy, max_groups, problems)
                results.setdefault(benchmark, {})[label] = found
                print(benchmark, label, json.dumps(found), flush=True)
    write(results, args.run)


def write(results: dict, which: str) -> None:
    names = [s.name for s in SETTINGS]
    rows = [[benchmark, run, found["problems"], found["replayed"],
             f"{found['revisions_picked_passing']} of {found['revisions_picked']}",
             f"{found['stdio_predictions_shorter']} of {found['stdio_predictions']}" if found["stdio_predictions"]
             else "",
             *(f"{found[n]['solved']} ({found[n]['changed']} picks changed: {found[n]['won']}+/{found[n]['lost']}-, "
               f"p {found[n]['p']:g}; duels {found[n]['duels_to_passing']}:{found[n]['duels_to_failing']})"
               if n in found else "" for n in names)]
            for benchmark, runs in results.items() for run, found in runs.items()]
    totals: Counter = Counter()
    for runs in results.values():
        for found in runs.values():
            for n in names:
                if n in found:
                    totals[n, "won"] += found[n]["won"]
                    totals[n, "lost"] += found[n]["lost"]
    notes = ("Split: dev (HumanEval+ 164, the 100 MBPP+ problems, the 40 CodeContests problems of "
             "bench/sstar_accuracy.py). Each stored S* pick settled again from its own evidence (no model call): "
             f"problems solved per setting, and against the default ({DEFAULT}) the picks changed, problems won / "
             "lost and the exact sign test's p; `duels a:b`: of the duels between a representative that passes the "
             "hidden tests and one that fails them, a went to the passing side and b to the failing one (by "
             "execution or by the judge; level duels in neither). `replayed`: default picks that differ from the "
             "stored ones (should be 0). `debug revisions picked`: stored picks that are a debug round's revision, "
             "not a fresh sample, and how many of them pass the hidden tests. `stdio predictions shorter than both "
             "outputs`: of the judge's readable predictions on a stdio problem's duels, those with fewer lines than "
             "both sides' outputs (what the first-line rule compares with the outputs' first lines). `added-only "
             "wins drawn`: a win by execution on inputs the model did not write (mutants, edge cases) counts 1-1; "
             "`added inputs unjudged`: the judge's predictions on those inputs cast no vote. "
             "`copied predictions vote`: the predicting judge's predictions equal to an example's "
             "output for another input vote like the others; `copied True/False vote`: only those that are True or "
             "False do. `samples, overrule 1`: groups level on points go to the one holding more fresh samples "
             "(debug revisions not counted), then the larger. `stdio predictions against whole outputs`: the rule "
             "before 7 December, a stdio prediction compared with each side's whole output, not with as many of its "
             "first lines as it has. A run still going has fewer problems than its benchmark."
             "\n\n"
             "Summed over every run above (runs share problems, so these are not independent): "
             + "; ".join(f"{n}: {totals[n, 'won']} won, {totals[n, 'lost']} lost" for n in names[1:]) + ".")
    _results.write(NAME if which == "variants" else f"{NAME}_{which}",
                   {"split": "dev", "run": which, "settings": names, "benchmarks": results},
                   ["benchmark", "run", "problems", "replayed", "debug revisions picked: passing",
                    "stdio predictions shorter than both outputs", *names], rows,
                   notes)


if __name__ == "__main__":
    main()
