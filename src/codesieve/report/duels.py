"""The duels of a stored S* run that have a right answer: one representative passes the hidden
tests, the other fails them. `codesieve.select.rejudge` asks any judge about them again."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from codesieve.select import evidence as ev
from codesieve.select.rejudge import StoredDuel
from codesieve.store import ProblemRecord


def programs_by_id(record: ProblemRecord) -> dict[str, str]:
    """Every sampled candidate's program in a stored problem (all samples, all debug rounds)."""
    return {attempt.candidate.id: attempt.candidate.program
            for lineage in record.pools.sampled or () for attempt in lineage.attempts}


def decisive_duels(records: Iterable[ProblemRecord], passing: Mapping[str, set[str]],
                   strategies: Sequence[str]) -> tuple[list[StoredDuel], dict[str, int]]:
    """The distinct duels of `strategies` that reached the judge between a passing and a failing
    representative (`passing`: problem id -> ids of candidates that pass the hidden tests), and
    counts of every distinct split duel by how S* settled it."""
    found: dict[tuple, StoredDuel] = {}
    settled: dict[str, int] = {}
    seen: set[tuple] = set()
    for record in records:
        right_ids, programs = passing.get(record.problem_id, set()), programs_by_id(record)
        for strategy in strategies:
            selection = record.strategies.get(strategy)
            if selection is None or not isinstance(selection.evidence, ev.SStarEvidence):
                continue
            for d in selection.evidence.duels:
                if (d.a in right_ids) == (d.b in right_ids) or d.a not in programs or d.b not in programs:
                    continue
                duel = StoredDuel(record.problem_id, d.a, d.b, programs[d.a], programs[d.b], d.evidence,
                                  "A" if d.a in right_ids else "B")
                if duel.key in seen:
                    continue
                seen.add(duel.key)
                settled[d.decided_by] = settled.get(d.decided_by, 0) + 1
                if d.decided_by == ev.BY_JUDGE:
                    found[duel.key] = duel
    return list(found.values()), settled
