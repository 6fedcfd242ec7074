"""Values as the pipeline stores them, for tests that fill a run store (or read one) by hand."""

from __future__ import annotations

from typing import Any

from codesieve.generate.debug import Lineage
from codesieve.stages import Cost, Selection
from codesieve.store import jsonable, selection_record
from codesieve.types import Attempt, Candidate, ExecResult, Verdict


def lineage(problem_id: str, index: int, *rounds: tuple[str, str | None]) -> Lineage:
    """A sample and its debug revisions, as (program, public verdict or None) per round; ids
    `problem_id#index.round`."""
    return Lineage(tuple(Attempt(Candidate(problem_id, index, program, r),
                                 None if verdict is None else ExecResult(Verdict(verdict), ()))
                         for r, (program, verdict) in enumerate(rounds)))


def pool(*lineages: Lineage) -> list[Any]:
    """The stored form of a pool's lineages."""
    return jsonable([lin.attempts for lin in lineages])


def record(strategy: str, passed: bool = False, evidence: object = None) -> dict[str, Any]:
    """One strategy's stored record (no pick, no grade) with its evidence."""
    return selection_record(strategy, Selection(strategy, None, "", evidence), Cost(), 0.0, passed, None)
