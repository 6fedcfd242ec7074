"""The verifier interface: one method, a batch of problems in, one `Score` per candidate out.

A verifier takes candidates of *many* problems at once so that executing verifiers can send
every job of a stage to the executor in one call and keep all workers busy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence, TypeVar

from codesieve.types import Candidate, Problem

T = TypeVar("T")


@dataclass(frozen=True)
class Group:
    """The candidates of one problem that a verifier should judge."""

    problem: Problem
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Score:
    """A verifier's judgement of one candidate.

    `keep` False prunes the candidate. Among kept candidates of one problem, a higher `value`
    ranks first; filters give every kept candidate the same value. `cost_s` is the wall time
    this candidate cost, its share of a batch's time when the batch ran in parallel, so the
    costs of a batch add up to the batch's wall time.
    """

    keep: bool
    value: float = 0.0
    cost_s: float = 0.0
    note: str = ""  # why it was pruned: a verdict, a lint message


class Verifier(Protocol):
    """Judges candidates. `verify(groups)[g][i]` is the score of `groups[g].candidates[i]`."""

    def verify(self, groups: Sequence[Group]) -> list[list[Score]]: ...


def timed_each(items: Sequence[T], judge: Callable[[T], tuple[bool, float, str]]) -> list[Score]:
    """Score `items` one by one in this process, charging each the time its own call took."""
    scores = []
    for item in items:
        start = time.perf_counter()
        keep, value, note = judge(item)
        scores.append(Score(keep, value, time.perf_counter() - start, note))
    return scores

