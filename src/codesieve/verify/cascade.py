"""Running a cascade: each stage prunes or re-ranks what the stages before it kept.

Every stage judges the surviving candidates of all problems in one `check` call, so executing
stages keep every worker busy. A stage's values become the primary ranking key; earlier keys
break its ties, and what is still tied stays tied (metrics break ties uniformly at random).

Programs are parsed and linted once per run however many stages read them (`memo`).

`STAGE@M` checks candidates best first and stops for a problem at its first pass: a passing
program is the expensive one to run in full, so at most one per problem is. Problems go their own
pace (a task each, up to `_CONCURRENT_PROBLEMS` at once, all feeding one executor), so one slow
check, a program that runs into its time limit, holds up only its own problem, not a round of all
of them.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass
from typing import Sequence

from codesieve._aio import gather_or_cancel
from codesieve.stages import Check, ProblemCandidates, Score, Toolbox, build_check
from codesieve.verify.memo import reading_once
from codesieve.verify.spec import CascadeSpec, Stage


_CONCURRENT_PROBLEMS = 64  # enough queued checks to keep any executor's workers busy


@dataclass(frozen=True)
class Pruned:
    position: int
    stage: str
    reason: str


@dataclass(frozen=True)
class Ranking:
    """A cascade's verdict on one problem's candidates, by position in the group it was given.

    `tiers` lists kept candidates best first; members of one tier are tied (in a seeded random
    order, so `selected` is reproducible). `pruned` says which stage pruned what, and why.
    """

    problem_id: str
    tiers: tuple[tuple[int, ...], ...]
    pruned: tuple[Pruned, ...]

    @property
    def selected(self) -> int | None:
        return self.tiers[0][0] if self.tiers else None


@dataclass(frozen=True)
class StageReport:
    stage: str
    seconds: float  # wall time the stage took
    judged: int  # candidates it judged
    pruned: int


@dataclass(frozen=True)
class CascadeResult:
    spec: str
    rankings: tuple[Ranking, ...]
    stages: tuple[StageReport, ...]
    seconds: float  # wall time of the whole cascade
    candidates: int

    @property
    def programs_per_second(self) -> float:
        return self.candidates / self.seconds if self.seconds > 0 else math.inf


class _State:
    """One problem's surviving candidates and their ranking keys (newest stage first)."""

    def __init__(self, group: ProblemCandidates):
        self.group = group
        self.keys: dict[int, tuple[float, ...]] = {i: () for i in range(len(group.candidates))}
        self.pruned: list[Pruned] = []

    def alive(self) -> list[int]:
        return list(self.keys)

    def apply(self, stage: Stage, positions: Sequence[int], scores: Sequence[Score]) -> int:
        pruned = 0
        for pos, score in zip(positions, scores):
            if score.keep:
                value = score.value if score.value == score.value else -math.inf  # NaN ranks last
                self.keys[pos] = (value, *self.keys[pos])
            else:
                del self.keys[pos]
                self.pruned.append(Pruned(pos, str(stage), score.note))
                pruned += 1
        return pruned

    def tiers(self, rng: random.Random) -> list[list[int]]:
        order = sorted(self.keys, key=lambda p: self.keys[p], reverse=True)
        tiers: list[list[int]] = []
        for pos in order:
            if tiers and self.keys[tiers[-1][0]] == self.keys[pos]:
                tiers[-1].append(pos)
            else:
                tiers.append([pos])
        for tier in tiers:
            rng.shuffle(tier)
        return tiers


async def run_cascade(spec: CascadeSpec, groups: Sequence[ProblemCandidates], tools: Toolbox, seed: int = 0
                      ) -> CascadeResult:
    checks = [build_check(stage, tools) for stage in spec.stages]
    start = time.perf_counter()
    states = [_State(g) for g in groups]
    reports = []
    with reading_once():
        for stage, check in zip(spec.stages, checks):
            stage_start = time.perf_counter()
            if stage.top is None:
                judged, pruned = await _filter(stage, check, states)
            else:
                judged, pruned = await _top(stage, check, states, seed)
            reports.append(StageReport(str(stage), time.perf_counter() - stage_start, judged, pruned))
    rankings = tuple(
        Ranking(s.group.problem.id, tuple(map(tuple, s.tiers(_rng(seed, s.group, "final")))),
                tuple(sorted(s.pruned, key=lambda p: p.position)))
        for s in states
    )
    total = time.perf_counter() - start
    return CascadeResult(str(spec), rankings, tuple(reports), total, sum(len(g.candidates) for g in groups))


async def _filter(stage: Stage, check: Check, states: Sequence[_State]) -> tuple[int, int]:
    alive = [s.alive() for s in states]
    sub = [ProblemCandidates(s.group.problem, tuple(s.group.candidates[p] for p in positions))
           for s, positions in zip(states, alive)]
    scores = await check.check(sub)
    pruned = sum(s.apply(stage, positions, sc) for s, positions, sc in zip(states, alive, scores))
    return sum(map(len, alive)), pruned


async def _top(stage: Stage, check: Check, states: Sequence[_State], seed: int) -> tuple[int, int]:
    queues = [[p for tier in s.tiers(_rng(seed, s.group, str(stage))) for p in tier][:stage.top]
              for s in states]
    gate = asyncio.Semaphore(_CONCURRENT_PROBLEMS)

    async def first_pass(i: int) -> tuple[int | None, int, int]:  # (winner, judged, pruned) of one problem
        state, judged, pruned = states[i], 0, 0
        async with gate:
            for pos in queues[i]:
                (score,), = await check.check([ProblemCandidates(state.group.problem, (state.group.candidates[pos],))])
                judged += 1
                if score.keep:
                    return pos, judged, pruned
                pruned += state.apply(stage, [pos], [score])
        return None, judged, pruned

    outcomes = await gather_or_cancel(*(first_pass(i) for i in range(len(states))))
    for state, (winner, _, _) in zip(states, outcomes):  # a candidate that passed outranks every unchecked one
        state.apply(stage, state.alive(), [Score(True, float(winner == pos)) for pos in state.alive()])
    return sum(o[1] for o in outcomes), sum(o[2] for o in outcomes)


def _rng(seed: int, group: ProblemCandidates, salt: str) -> random.Random:
    return random.Random(f"{seed}\x00{group.problem.id}\x00{salt}")
