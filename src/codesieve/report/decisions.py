"""How an S* variant reached its picks, counted over problems: by elimination, by agreement, or by
duels, and how those duels ended (by execution, by the judge, undecided), and whether the judge's
decided duels went to the program that passes the hidden tests."""

from __future__ import annotations

from typing import Any, Collection, Mapping

from codesieve.report.provenance import settled_on_added_inputs
from codesieve.select.evidence import BY_EXECUTION, BY_JUDGE, SStarEvidence
from codesieve.types import Problem

COUNTS = ("one_kept", "one_group", "tournament", "duels", "by_execution", "by_judge", "no_difference",
          "judge_split", "judge_right", "judge_wrong", "execution_right", "execution_right_added_only",
          "execution_wrong", "execution_wrong_added_only")

COLUMNS = ("one kept", "one group", "tournament", "duels", "by execution", "by judge", "no difference", "judge 1-1",
           "judge right", "judge wrong", "execution right", "of which added only", "execution wrong",
           "of which added only")
ABOUT = ("How the picks were made: only one candidate kept (best public pass rate), all kept "
         "candidates in one group (identical outputs on every input), or a tournament between groups; "
         "its duels were settled by execution (one side always crashed or timed out), by the judge, "
         "or found no differing input. `judge 1-1` counts judged duels the judge left undecided: the A/B "
         "judge named the same position in both orders, or no prediction matched exactly one side; the "
         "larger group won those. `judge right` and `judge wrong` count the duels the judge decided "
         "between a program that passes the hidden tests and one that does not; `execution right` and "
         "`execution wrong` the same for the duels execution settled, `of which added only` those settled "
         "only on inputs the model did not write (mutants, edge cases, a generator's).")


def row(counts: Mapping[str, int]) -> list[int]:
    """A Markdown row's cells for `COLUMNS`."""
    return [counts[key] for key in COUNTS]


def decisions(evidence: Mapping[str, SStarEvidence | None], done: Collection[str],
              correct: Mapping[str, Collection[str]], problems: Mapping[str, Problem] | None = None
              ) -> dict[str, int]:
    """`evidence`: the variant's stored evidence per problem (None: it has none there); only
    problems in `done` count. `judge_split`
    counts duels the judge left 1-1 (the A/B judge named the same position in both orders, or no
    prediction matched one side alone); of the duels the judge decided between a correct and a
    wrong program (`correct`: the passing candidate ids per problem), `judge_right` and
    `judge_wrong` count how it chose; `execution_right` and `execution_wrong` count the same for
    the duels execution settled (the other side crashed or timed out on every differing input),
    and `..._added_only` those of them settled only on inputs the model did not write (mutants,
    edge cases, a generator's; `provenance.settled_on_added_inputs`, which needs `problems`)."""
    out = dict.fromkeys(COUNTS, 0)
    for problem_id, found in evidence.items():
        if problem_id not in done or found is None:
            continue
        right = correct.get(problem_id, set())
        out["one_kept" if len(found.kept) == 1 else "one_group" if len(found.groups) <= 1 else "tournament"] += 1
        for duel in found.duels:
            out["duels"] += 1
            out[{BY_EXECUTION: "by_execution", BY_JUDGE: "by_judge"}.get(duel.decided_by, "no_difference")] += 1
            if duel.decided_by not in (BY_JUDGE, BY_EXECUTION):
                continue
            by = "judge" if duel.decided_by == BY_JUDGE else "execution"
            out["judge_split"] += by == "judge" and not duel.decided
            if duel.decided and (duel.a in right) != (duel.b in right):
                outcome = f"{by}_right" if duel.winner in right else f"{by}_wrong"
                out[outcome] += 1
                if by == "execution" and settled_on_added_inputs(duel, found, (problems or {}).get(problem_id)):
                    out[f"{outcome}_added_only"] += 1
    return out


def explain(ours: str, failures: Mapping[str, int], counts: Mapping[str, int],
            versus: Mapping[str, Mapping[str, Any]]) -> str:
    """Why `ours` does not do better, in sentences made from its numbers: its failures split by
    cause, what its judge decided, and how many of the problems only a baseline solved it could
    not have solved (`versus`: `codesieve.report.versus.comparison` per baseline)."""
    out = [f"`{ours}` failed {sum(failures.values())} problems: on {failures['no_correct_candidate']} no program "
           f"it generated passes the hidden tests, on {failures['picked_wrong']} one does but it picked another."]
    if counts["by_judge"]:
        out.append(f"The judge left {counts['judge_split']} of its {counts['by_judge']} duels 1-1; such a duel "
                   "goes to the larger group, majority vote's rule"
                   + (", so the judge never changed a pick." if counts["judge_split"] == counts["by_judge"] else "."))
        if counts["judge_right"] + counts["judge_wrong"]:
            out.append(f"Of the duels it decided between a correct and a wrong program, it gave "
                       f"{counts['judge_right']} to the correct one and {counts['judge_wrong']} to the wrong one.")
    if counts.get("execution_right", 0) + counts.get("execution_wrong", 0):
        out.append(f"Of the duels execution settled between a correct and a wrong program (one side crashed or "
                   f"timed out on every input the two differ on), {counts['execution_right']} went to the correct "
                   f"one and {counts['execution_wrong']} to the wrong one (settled on added inputs alone: "
                   f"{counts['execution_right_added_only']} and {counts['execution_wrong_added_only']}).")
    for baseline, numbers in versus.items():
        if numbers["baseline_only"]:
            n = numbers["baseline_only"]
            out.append(f"Of the {n} problem{'s' * (n != 1)} only `{baseline}` solved, "
                       f"{numbers['baseline_only_no_correct_candidate']} had no correct `{ours}` candidate.")
    return " ".join(out)
