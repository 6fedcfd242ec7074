"""Why an S* variant picked wrong: on each problem where a candidate it generated passes the hidden
tests (`oracle.correct_candidates`) but its pick does not, one reason read from its stored evidence
(`SStarEvidence`) and the correct candidates' ids, the first of these that holds:

1. `graded_apart`: the pick is itself among the correct candidates: graded again by the oracle it
   passes; the run's grading failed it (a timeout on a loaded machine, say).
2. `not_kept`: no correct candidate was kept: the public-test filter (or the choice of each sample's
   best revision) left every correct one out. One kept candidate that is wrong is this too.
3. `one_group`: every kept candidate fell in one group (no input separated them), and its
   representative is wrong.
4. `not_met`: no group that met in the duels holds a correct candidate: the correct ones are all in
   groups beyond the `max_groups` largest.

Otherwise a group holding a correct candidate met. Of the groups represented by a correct program
that met, take those that did not win every duel against a group represented by a wrong program,
and of them the one that came closest to winning (most points, then the largest, then the
earliest); the reason is how its duel against the winning group ended if it did not win that one,
else how the duel that cost it most points ended:

5. `no_difference`: the duel found no input on which the two programs differ (a draw, 1-1).
6. `execution`: the correct program failed (crashed, timed out) on every input the two differ on,
   so the wrong one won by execution. Of these, `execution_added_only` counts the duels settled
   only on inputs the model did not write: mutants, edge cases or a generator's inputs (an input
   the model wrote, for the grouping or when the duel asked for separating inputs, is one read
   again from its answer, `inputs_raw` or the duel's `asked`; a problem the report does not know
   counts as the model's).
7. `judge_wrong`: the judge decided the duel for the wrong program.
8. `judge_level`: the judge left it level (equal votes, no prediction matching one side alone, the
   two orders disagreeing, or a smaller group's win levelled by `overrule`); other duels' points,
   then size or the tiebreak, made a wrong group win.

9. `wrong_representative`: no such duel, and either every group that met holding a correct
   candidate is represented by a wrong member (no duel put a correct program forward), or the
   winning group holds a correct candidate behind a wrong representative.
   `wrong_representative_in_winner` counts those where the winning group holds one.
10. `other`: none of the above: no S* record, groups recorded without their members, or correct
    representatives that won every duel against a wrong one and a winner holding no correct
    candidate (they lost their points to each other).

The duel reasons come after 1-4 because a duel can only be lost by a correct program that took
part in one; they come before 9 because a correct program that lost a duel explains the pick
even where the winner holds correct candidates behind a wrong representative.
"""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping

from codesieve.report.provenance import settled_on_added_inputs
from codesieve.select.evidence import BY_EXECUTION, NO_DIFFERENCE, Duel, SStarEvidence
from codesieve.types import Problem

REASONS = ("graded_apart", "not_kept", "one_group", "not_met", "no_difference", "execution", "judge_wrong",
           "judge_level", "wrong_representative", "other")
# counts of problems within one reason ("of which")
OF_WHICH = {"execution_added_only": "execution", "wrong_representative_in_winner": "wrong_representative"}


def picked(found: SStarEvidence) -> str | None:
    """The candidate id S* picked, as its evidence records it (None: nothing was picked)."""
    if len(found.kept) == 1:
        return found.kept[0]  # one kept candidate: no groups
    if found.winner_group is None or found.winner_group >= len(found.groups):
        return None
    return found.groups[found.winner_group].representative


def reason(found: SStarEvidence | None, correct: Collection[str], problem: Problem | None = None
           ) -> tuple[str, tuple[str, ...]]:
    """Why S* picked wrong on one problem where `correct` (the ids of the candidates that pass the
    hidden tests) is not empty: one of `REASONS`, and the `OF_WHICH` counts it also falls in."""
    if found is None:
        return "other", ()
    if picked(found) in correct:
        return "graded_apart", ()
    if not set(found.kept) & set(correct):
        return "not_kept", ()
    if len(found.groups) <= 1:
        return "one_group", ()
    if sum(g.size for g in found.groups) != len(found.kept):  # members not recorded: nothing to read
        return "other", ()
    met = {g for d in found.duels for g in d.groups} | ({found.winner_group} - {None})
    holding = {g for g in met if set(found.groups[g].members) & set(correct)}
    if not holding:
        return "not_met", ()
    lost = _lost_duel(found, correct)
    if lost is not None:
        how = _ending(lost)
        added = how == "execution" and settled_on_added_inputs(lost, found, problem)
        return how, ("execution_added_only",) if added else ()
    if found.winner_group in holding:
        return "wrong_representative", ("wrong_representative_in_winner",)
    if not any(found.groups[g].representative in correct for g in holding):
        return "wrong_representative", ()
    return "other", ()


def _lost_duel(found: SStarEvidence, correct: Collection[str]) -> Duel | None:
    """The duel that explains the pick: of the groups represented by a correct program that did not
    win every duel against a wrong one, the closest to winning; its duel against the winning group
    if it did not win that one, else the one that gave it fewest points (then the first)."""
    groups, points = found.groups, found.points

    def closeness(g: int) -> tuple:
        return -(points[g] if g < len(points) else 0.0), -groups[g].size, g

    right = sorted({g for d in found.duels for g in d.groups if groups[g].representative in correct}, key=closeness)
    for g in right:
        not_won = []
        for position, d in enumerate(found.duels):
            if g not in d.groups:
                continue
            side = d.groups.index(g)
            other = d.groups[1 - side]
            if groups[other].representative in correct or d.points[side] > d.points[1 - side]:
                continue
            not_won.append((other != found.winner_group, d.points[side], position, d))
        if not_won:
            return min(not_won, key=lambda x: x[:3])[3]
    return None


def _ending(duel: Duel) -> str:
    """How a duel that the correct side did not win ended."""
    if duel.decided_by == NO_DIFFERENCE:
        return "no_difference"
    if duel.decided_by == BY_EXECUTION:
        return "execution"
    return "judge_wrong" if duel.decided else "judge_level"


def wrong_picks(evidence: Mapping[str, SStarEvidence | None], picked_wrong: Iterable[str],
                correct: Mapping[str, Collection[str]], problems: Mapping[str, Problem] | None = None
                ) -> dict[str, Any]:
    """Over the problems a variant picked wrong (`picked_wrong`: a correct candidate exists, the pick
    fails the hidden tests): how many, each `REASONS` count (they sum to it), each `OF_WHICH` count,
    and under `problems` the ids per reason and per `OF_WHICH` (those with any). `evidence`: the
    variant's per problem; `problems` lets inputs be traced to the model's answers."""
    ids = sorted(set(picked_wrong))
    by: dict[str, list[str]] = {}
    for problem_id in ids:
        why, also = reason(evidence.get(problem_id), correct.get(problem_id, ()),
                           (problems or {}).get(problem_id))
        for key in (why, *also):
            by.setdefault(key, []).append(problem_id)
    counts = {key: len(by.get(key, ())) for key in (*REASONS, *OF_WHICH)}
    return {"picked_wrong": len(ids), **counts,
            "problems": {key: by[key] for key in (*REASONS, *OF_WHICH) if key in by}}


COLUMNS = ("graded apart", "none kept", "one group", "not among those that met", "no differing input",
           "lost by execution", "of which on added inputs only", "judge decided wrong", "judge left level",
           "wrong representative", "of which the winner's", "other")
_ORDER = ("graded_apart", "not_kept", "one_group", "not_met", "no_difference", "execution", "execution_added_only",
          "judge_wrong", "judge_level", "wrong_representative", "wrong_representative_in_winner", "other")

ABOUT = ("Why S* picked wrong, on the problems where a program it generated passes the hidden tests and its "
         "pick does not (`picked wrong`, as above): one reason each, the first that holds in the order of the "
         "columns (`codesieve.report.wrong_picks`). `graded apart`: the pick itself passes when the oracle grades "
         "it again (the run's grading failed it, a timeout on a loaded machine, say). `none kept`: no correct "
         "candidate passed the public-test filter. `one group`: every kept candidate fell in one group (no input "
         "separated them) and its representative is wrong. `not among those that met`: every group holding a "
         "correct candidate is beyond the `max_groups` largest, which alone meet in duels. The next four say how "
         "a correct program lost: of the groups it represents that did not win every duel against a wrong "
         "program, the one closest to winning, by its duel against the winning group if it did not win that "
         "one, else by the duel that gave it fewest points: `no differing input` (a draw); `lost by execution` "
         "(the correct program crashed or timed out on every input the two differ on; `of which on added inputs "
         "only`: all those inputs are mutants, edge cases or a generator's, none written by the model); "
         "`judge decided wrong`; `judge left level` (equal votes, no prediction matching one side alone, or a "
         "win levelled by `overrule`; other duels, then size or the tiebreak, decided). `wrong representative`: "
         "no correct program lost a duel, and every group that met holding a correct candidate is represented "
         "by a wrong one, or the winning group holds one (`of which the winner's`: the winning group holds a "
         "correct candidate behind its wrong representative). `other`: the evidence does not tell (no S* record, "
         "groups stored without members, correct programs that lost their points to each other).")


def row(counts: Mapping[str, Any]) -> list[Any]:
    """A Markdown row's cells for `COLUMNS`, after the picked-wrong count."""
    return [counts["picked_wrong"], *(counts[key] for key in _ORDER)]


__all__ = ["ABOUT", "COLUMNS", "OF_WHICH", "REASONS", "picked", "reason", "row", "wrong_picks"]
