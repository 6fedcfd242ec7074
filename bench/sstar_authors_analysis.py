"""One problem of bench/sstar_authors.py: S*'s stored pick against the authors' rules and the other
alternatives, on one record (`analyse`). Where a rule needs what the record does not hold, its
inputs and groups are rebuilt by executing the candidates again, never by a model call; the pure
rules themselves are in bench/sstar_replay.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

from sstar_replay import (authors_possible, behaviour_rows, feedback_counts, first_best, mixed_together,
                          our_possible, per_input, settled, table_groups)

from codesieve.execution import Executor, Job
from codesieve.execution.behaviour import Cluster
from codesieve.select import evidence as ev
from codesieve.select.cluster import grouped, representative
from codesieve.select.inputs import known_parameters, parse_inputs, show_input
from codesieve.select.mutate import added
from codesieve.select.synthesis import GENERATED, SOURCES, cheap_inputs
from codesieve.stages import SelectConfig, best_public
from codesieve.store import ProblemRecord
from codesieve.types import Attempt, Problem, TaskKind, Test

STRATEGY = "sstar"
# (difference, comparison): the rows of the results table, in order
COMPARISONS = (
    ("no sample passes every public test", "first best-rate sample (best revisions)"),
    ("no sample passes every public test", "authors: first sample by its last revision"),
    ("revision kept", "S* on the last revisions"),
    ("grouping and scoring", "authors: per input, errors dropped, member pairs 1/0.5/0"),
    ("duel scores", "1/0.5/0 (halved)"),
    ("duel scores", "member pairs: duel weighted by both group sizes"),
    ("duel scores", "no win by execution (errors go to the judge)"),
)


# ---------------------------------------------------------------------------------------------
# Inputs and groups rebuilt from a record (execution, no model call)


class Unsettled(Exception):
    """The records cannot rebuild what a rule needs."""


def grouping_inputs(problem: Problem, raw: str, programs: Sequence[str], select: SelectConfig) -> tuple[Test, ...]:
    """The inputs S* grouped on, rebuilt as `select.synthesis.sourced_inputs` makes them: the
    stored model answer read again, then the sources that need no model call."""
    if GENERATED in SOURCES[select.inputs]:
        raise Unsettled(f"{GENERATED} inputs need the model")
    params = known_parameters(problem, list(programs)) if problem.kind == TaskKind.FUNCTION else None
    tests: tuple[Test, ...] = parse_inputs(problem, raw, params).tests
    for found in cheap_inputs(problem, programs, select.inputs, select.n_mutants, select.seed).values():
        tests = added(tests, found)
    return tests


def regroup(problem: Problem, attempts: Sequence[Attempt], raw: str, select: SelectConfig, executor: Executor):
    """S*'s grouping of `attempts` on the inputs rebuilt for them."""
    tests = grouping_inputs(problem, raw, [a.candidate.program for a in attempts], select)
    probes = executor.run([Job.for_problem(problem, a.candidate.program, tests, stop_on_fail=False, probe=True)
                           for a in attempts]) if tests else []
    return grouped(attempts, tests, probes)


def replays(problem: Problem, kept: Sequence[Attempt], trace: ev.SStarEvidence, select: SelectConfig,
            executor: Executor) -> bool:
    """Whether the rebuilt inputs give back the stored inputs and groups."""
    grouping = regroup(problem, kept, trace.inputs_raw, select, executor)
    ids = [a.candidate.id for a in kept]
    groups = [tuple(ids[m] for m in c.members) for c in grouping.clusters]
    return (tuple(show_input(problem, t) for t in grouping.tests) == trace.inputs
            and groups == [g.members for g in trace.groups])


def last_revisions(problem: Problem, kept: Sequence[Attempt], alt: Sequence[Attempt], trace: ev.SStarEvidence,
                   passed: Mapping[str, bool], select: SelectConfig, executor: Executor) -> bool | None:
    """S* on the last revisions' kept set `alt` (`kept`: the stored one), where settled without a
    new duel."""
    grades = [passed[a.candidate.id] for a in alt]
    if len(alt) == 1 or len(set(grades)) == 1:
        return grades[0]
    if not trace.inputs_raw or not replays(problem, kept, trace, select, executor):
        return None  # S* kept one candidate (no inputs were asked for), or the grouping does not replay
    grouping = regroup(problem, alt, trace.inputs_raw, select, executor)
    reps = [representative(alt, c) for c in grouping.clusters[:max(1, select.max_groups)]]
    return settled(range(len(reps)), [passed[alt[r].candidate.id] for r in reps])


# ---------------------------------------------------------------------------------------------
# One problem


def stored_clusters(trace: ev.SStarEvidence) -> list[Cluster]:
    kept = list(trace.kept)
    return [Cluster(tuple(kept.index(m) for m in g.members), ()) for g in trace.groups]


def analyse(record: ProblemRecord, problem: Problem, grades: Mapping[str, bool], select: SelectConfig,
            executor: Executor) -> dict:
    """Every measurement on one problem: outcomes per rule (True/False, None unsettled, absent
    where the rule does not differ) and the counts."""
    lineages = sorted(record.pools.sampled, key=lambda lin: lin.attempts[0].candidate.index)
    best, last = [lin.best for lin in lineages], [lin.last for lin in lineages]
    selection = record.strategies[STRATEGY]
    trace: ev.SStarEvidence = selection.evidence  # type: ignore[assignment]
    won = bool(selection.winner) and grades.get(selection.winner, False)
    kept = [best[i] for i in best_public(best)]
    alt = [last[i] for i in best_public(last)]
    ids = [a.candidate.id for a in kept]
    passed = [grades[c] for c in ids]
    out: dict = {"problem": record.problem_id, "sstar": won, "stored_passed": selection.passed,
                 "kept_matches": tuple(ids) == trace.kept, "outcomes": {}, "counts": Counter()}
    outcomes, counts = out["outcomes"], out["counts"]
    counts["samples"] = len(lineages)
    counts["best_not_last"] = sum(b.candidate.id != la.candidate.id for b, la in zip(best, last))
    counts["best_not_last_lower"] = sum(b.public_rate > la.public_rate for b, la in zip(best, last))
    counts.update(feedback_counts(lineages))
    no_pass = max(a.public_rate for a in best) < 1.0
    # the authors' pass rate is 0 without public tests (`get_public_tests_feedback`): no sample passes
    no_public = all(a.public is None or not a.public.outcomes for a in best)
    counts["no_pass"] = no_pass
    counts["no_public_tests"] = no_public
    if no_pass or no_public:
        outcomes[COMPARISONS[0]] = grades[best[first_best(best)].candidate.id]
        outcomes[COMPARISONS[1]] = grades[last[first_best(last)].candidate.id]
    changed = [a.candidate.id for a in alt] != ids
    counts["kept_changed"] = changed
    counts["kept_changed_with_a_pass"] = changed and not no_pass
    if changed:
        try:
            outcomes[COMPARISONS[2]] = last_revisions(problem, kept, alt, trace, grades, select, executor)
        except Unsettled:
            outcomes[COMPARISONS[2]] = None
    if len(kept) < 2 or not out["kept_matches"]:
        return out
    counts["two_kept"] = 1
    rows = behaviour_rows(trace)
    clusters = stored_clusters(trace)
    group_of = [0] * len(kept)
    for g, c in enumerate(clusters):
        for m in c.members:
            group_of[m] = g
    faithful = bool(trace.behaviour) and table_groups(rows) == [c.members for c in clusters]
    counts["table_replays"] = faithful
    if trace.groups:
        counts["groups_ours"] = len(clusters) > 1
    if faithful:
        inputs = per_input(rows)
        split = sum(len(g) > 1 for g in inputs)
        counts["groups_authors"] = split > 0
        counts["only_failures_split"] = len(clusters) > 1 and split == 0
        counts["dropped_somewhere"] = sum(any(not ok for ok, _ in r) for r in rows)
        counts["candidates"] = len(rows)
        if len(set(passed)) == 2:
            counts["mixed"] = 1
            counts["mixed_together_ours"] = mixed_together(rows, passed, authors=False)
            counts["mixed_together_authors"] = mixed_together(rows, passed, authors=True)
        verdicts = {d.groups: d.points for d in trace.duels}
        outcomes[COMPARISONS[3]] = settled(authors_possible(rows, group_of, verdicts), passed)
    elif trace.groups:
        outcomes[COMPARISONS[3]] = settled(None, passed)
    counts["no_difference_duels"] = sum(d.decided_by == ev.NO_DIFFERENCE for d in trace.duels)
    if trace.decided_by != ev.TOURNAMENT:
        return out
    fallback = trace.code_judgement.winner_group if trace.code_judgement and trace.code_judgement.winner_group \
        is not None else 0
    stored = [(d.groups, d.points) for d in trace.duels]
    size = [c.size for c in clusters]
    rep_grade = [grades[g.representative] for g in trace.groups]
    replayed = our_possible(clusters, stored, select.max_groups, fallback=fallback)
    counts["tournaments"] = 1
    counts["tournament_replays"] = replayed == {trace.winner_group}
    halved = our_possible(clusters, stored, select.max_groups, lambda g, h: 0.5, fallback)
    counts["halved_changes"] = halved != replayed
    outcomes[COMPARISONS[4]] = settled(halved, rep_grade)
    outcomes[COMPARISONS[5]] = settled(
        our_possible(clusters, stored, select.max_groups, lambda g, h: size[g] * size[h] / 2, fallback), rep_grade)
    by_execution = [(d.groups, None if d.decided_by == ev.BY_EXECUTION else d.points) for d in trace.duels]
    if any(p is None for _, p in by_execution):
        counts["execution_won"] = sum(p is None for _, p in by_execution)
        outcomes[COMPARISONS[6]] = settled(
            our_possible(clusters, by_execution, select.max_groups, fallback=fallback), rep_grade)
    return out
