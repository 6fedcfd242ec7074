"""Judging stored duels again: how often does a judge pick the program that passes the hidden tests?

A finished S* run keeps, per problem, its candidates (the pools) and every duel (`SStarEvidence`):
the two representatives, the inputs that separate them and both programs' outputs. Where one
representative passes the hidden tests and the other fails, the duel has a right answer, so any
judge can be scored on it without sampling a single new program: `codesieve.report.duels`
collects those from a stored run (the ones that reached the judge: some inputs separate the
programs, and execution alone did not decide), `rejudge` asks a judge (any registered one) about
one, and `tally` counts the outcomes.
Hidden tests only grade here; the judge sees what S* showed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from codesieve.select import evidence as ev
from codesieve.select.judges.base import Disagreement
from codesieve.select.pairwise import with_judgement
from codesieve.stages import Cost, Toolbox, make_judge
from codesieve.types import Attempt, Candidate, Problem


@dataclass(frozen=True)
class StoredDuel:
    """A stored duel between a program that passes the hidden tests and one that fails them."""

    problem_id: str
    a: str  # candidate ids
    b: str
    program_a: str
    program_b: str
    evidence: tuple[ev.Separating, ...]
    right: str  # "A" or "B": the side that passes

    @property
    def key(self) -> tuple:
        return (self.problem_id, self.program_a, self.program_b, self.evidence)


@dataclass(frozen=True)
class Judged:
    """One judge's verdict on one stored duel."""

    duel: StoredDuel
    points: tuple[float, float]
    tokens: int
    record: ev.Duel

    @property
    def winner(self) -> str | None:
        return None if self.points[0] == self.points[1] else "A" if self.points[0] > self.points[1] else "B"


@dataclass(frozen=True)
class Tally:
    """Outcomes of one judge over a set of duels."""

    duels: int
    decided: int
    right: int
    wrong: int
    tokens: int

    @property
    def undecided(self) -> int:
        return self.duels - self.decided

    @property
    def tokens_per_duel(self) -> float:
        return self.tokens / self.duels if self.duels else 0.0


async def rejudge(problem: Problem, duel: StoredDuel, judge: str, tools: Toolbox) -> Judged:
    """Ask the judge registered as `judge` about a stored duel, showing what S* showed; `tokens`
    are what the judge wrote for it. A judge that needs the programs' runs (`predict`) runs both
    programs again on the separating inputs, read back from how they were shown."""
    cost, made = Cost(), make_judge(judge)
    a, b = (Attempt(Candidate(problem.id, i, p)) for i, p in enumerate((duel.program_a, duel.program_b)))
    judgement = await made.judge(problem, a, b, [Disagreement(e) for e in duel.evidence], tools, cost)
    record = ev.Duel((0, 1), duel.a, duel.b, duel.evidence, ev.BY_JUDGE, (0.0, 0.0))
    return Judged(duel, judgement.points, cost.completion_tokens, with_judgement(record, made, judgement))


def tally(judged: Iterable[Judged]) -> Tally:
    """Count decided, right and wrong verdicts (right: the passing side got more points)."""
    items = list(judged)
    decided = [j for j in items if j.winner is not None]
    right = sum(j.winner == j.duel.right for j in decided)
    return Tally(len(items), len(decided), right, len(decided) - right, sum(j.tokens for j in items))
