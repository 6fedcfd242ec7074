"""A cascade as a strategy: `codesieve run --strategy 'cascade:syntax > lint > orm:logprob > tests:3@2'`.

The checks run on the problem's sampled candidates exactly as in an offline pool evaluation, with
one difference: a run's selection may not look at the hidden tests, which grade it. The cascade
is given the problem as selection sees it (`selection_view`): its tests are the public ones, and
it has no reference program. So `tests:K` checks the first K public tests, `full` all of them,
`majority:K` groups on the public inputs, and the hidden tests only grade the pick.

The checks work with the run's toolbox (its executor, judge model, ORMs and selectors' config),
metered into the selection's cost. The pick is the first of the best tier. When every candidate was pruned the run still hands in a
program: the one that survived the most stages (ties: the first sampled), and the reason says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from codesieve.stages import CandidatePool, Cost, ProblemCandidates, Selection, Toolbox
from codesieve.types import Attempt, Problem
from codesieve.verify.cascade import run_cascade
from codesieve.verify.spec import parse_cascade


def selection_view(problem: Problem) -> Problem:
    """The problem as a selection stage may see it: public tests in place of the hidden suite,
    no reference program."""
    return replace(problem, hidden_tests=problem.public_tests, reference=None)


@dataclass(frozen=True)
class StageEvidence:
    """One stage of the cascade on one problem: candidates it judged, how many it pruned."""

    stage: str
    judged: int
    pruned: int
    seconds: float


@dataclass(frozen=True)
class PrunedCandidate:
    candidate: str  # candidate id
    stage: str
    reason: str


@dataclass(frozen=True)
class CascadeEvidence:
    """What a cascade did with one problem's candidates: its stages, who each pruned and why, and
    the kept candidates best first in tiers of equals (candidate ids)."""

    spec: str
    stages: tuple[StageEvidence, ...]
    pruned: tuple[PrunedCandidate, ...]
    tiers: tuple[tuple[str, ...], ...]


class Cascade:
    """Staged verification (Orlanski et al. 2025) on the run's candidates, on what selection may see."""

    pool = CandidatePool.SAMPLED

    def __init__(self, spec: str):
        self.spec = parse_cascade(spec)
        self.name = f"cascade:{self.spec}"

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        if not attempts:
            return Selection(self.name, None, "no candidates", cost=cost)
        candidates = tuple(a.candidate for a in attempts)
        batch = [ProblemCandidates(selection_view(problem), candidates)]
        result = await run_cascade(self.spec, batch, tools.metered(cost), tools.config.seed)
        ranking = result.rankings[0]
        evidence = CascadeEvidence(
            str(self.spec),
            tuple(StageEvidence(s.stage, s.judged, s.pruned, s.seconds) for s in result.stages),
            tuple(PrunedCandidate(candidates[p.position].id, p.stage, p.reason) for p in ranking.pruned),
            tuple(tuple(candidates[i].id for i in tier) for tier in ranking.tiers),
        )
        if ranking.selected is not None:
            tier = ranking.tiers[0]
            reason = (f"best of {sum(map(len, ranking.tiers))} kept by {self.spec}"
                      + (f" (tied with {len(tier) - 1})" if len(tier) > 1 else ""))
            return Selection(self.name, candidates[ranking.selected], reason, evidence, cost)
        order = [str(stage) for stage in self.spec.stages]
        last = max(ranking.pruned, key=lambda p: (order.index(p.stage), -p.position))
        reason = (f"every candidate was pruned; this one survived the most stages (pruned by {last.stage}: "
                  f"{last.reason or 'failed'})")
        return Selection(self.name, candidates[last.position], reason, evidence, cost)
