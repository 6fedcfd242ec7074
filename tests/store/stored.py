"""Stored values as the pipeline writes them, for tests that fill a run store by hand."""

from __future__ import annotations

from typing import Any

from codesieve.stages import Cost, Selection
from codesieve.store import jsonable, selection_record
from codesieve.types import Attempt, Candidate, ExecResult, Verdict


def lineage(problem_id: str, index: int, *rounds: tuple[str, str | None]) -> list[Any]:
    """One stored lineage: a sample and its debug revisions, as (program, public verdict or None)."""
    return jsonable([Attempt(Candidate(problem_id, index, program, r),
                             None if verdict is None else ExecResult(Verdict(verdict), ()))
                     for r, (program, verdict) in enumerate(rounds)])


def record(strategy: str, passed: bool = False, evidence: object = None) -> dict[str, Any]:
    """One strategy's stored record (no pick, no grade) with its evidence."""
    return selection_record(strategy, Selection(strategy, None, "", evidence), Cost(), 0.0, passed, None)
