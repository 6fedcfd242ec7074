"""Measuring verifier configurations on a labelled pool: accuracy from the labels, throughput from
the wall clock of a real cascade run on this machine.

Each configuration runs end to end on every candidate of the pool, through the executor, with
no result cache: nothing one configuration computed is reused by another. Workers are started
before the first measurement (a deployed verifier keeps them warm); that start-up is reported
apart. With `repeats` > 1 every configuration runs that often, interleaved with the others, and
the run with the median time is kept: the machine may be shared, and interleaving spreads busy
spells over all configurations alike. Accuracy does not depend on the repeat: ties break by seed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable, Sequence

from codesieve.errors import ConfigError
from codesieve.execution import Job, JobRunner
from codesieve.pareto.frontier import Point, StageCost
from codesieve.stages import Check, ProblemCandidates, Score, Toolbox
from codesieve.stats import best_of_k, estimate, top1
from codesieve.types import Problem, TaskKind
from codesieve.verify.cascade import CascadeResult, run_cascade
from codesieve.verify.orm import TrainedOrm
from codesieve.verify.orm_train import Labelled, cross_fit
from codesieve.verify.pool import LabelledPool
from codesieve.verify.spec import parse_cascade

REFERENCE = "full"
_STATIC = "syntax > lint"
DEFAULT_GRID: tuple[str, ...] = (
    # single verifiers
    "full", "public", "tests:1", "tests:10", "sample:50", "majority:5", "syntax", "lint",
    "orm:logprob", "orm:trained",
    # prune, then rank
    f"{_STATIC} > orm:logprob", f"{_STATIC} > orm:trained", f"{_STATIC} > tests:1 > orm:trained",
    f"{_STATIC} > public > orm:trained",
    # rank, then check the best few
    f"{_STATIC} > orm:trained > full@1", f"{_STATIC} > orm:trained > tests:10@2",
    f"{_STATIC} > orm:trained > sample:20@3",
    # rank, then check best first until one passes: one passing run per problem, failures stop early
    "tests:50@16", "orm:logprob > tests:10@16", "orm:logprob > tests:30@16", "orm:logprob > tests:50@16",
    "orm:trained > tests:50@16",
    # the same with 0.1 CPU seconds per test: a stuck program costs 0.1 s instead of the problem's limit
    "orm:logprob > tests:10@16/0.1s", "orm:logprob > tests:30@16/0.1s", "orm:logprob > tests:50@16/0.1s",
    "orm:logprob > tests:100@16/0.1s", "orm:trained > tests:30@16/0.1s", "orm:logprob > full@16/0.1s",
    # check only the top M: a problem with no correct candidate stops after M checks instead of 16, the
    # price being a problem whose first correct candidate ranks below M
    *(f"orm:logprob > tests:{k}@{m}/0.1s" for k in (10, 30) for m in (1, 2, 4, 8, 12)),
    "orm:trained > tests:10@4/0.1s", "orm:trained > tests:30@8/0.1s",
    # the same behind a filter, so that a program it prunes takes none of the M checks
    *(f"{prefix} > orm:logprob > tests:{k}@{m}/0.1s"
      for prefix in ("syntax", _STATIC, "public/0.1s") for k in (10, 30) for m in (4, 8)),
)


@dataclass(frozen=True)
class Evaluation:
    """Every configuration measured on one pool."""

    benchmark: str
    problems: int
    candidates: int
    k: int
    oracle: float  # share of problems with at least one correct candidate
    warmup_s: float  # starting the executor's workers, not charged to any configuration
    repeats: int
    points: tuple[Point, ...]

    @property
    def reference(self) -> Point:
        return next(p for p in self.points if p.spec == REFERENCE)


class CrossFitted:
    """Scores each problem with the ORM trained without it (k-fold by problem)."""

    def __init__(self, by_problem: Mapping[str, Check]):
        self.by_problem = by_problem

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        buckets: dict[int, list[int]] = {}
        for g, group in enumerate(groups):
            if group.problem.id not in self.by_problem:
                raise ConfigError(f"no cross-fitted ORM for problem {group.problem.id!r}")
            buckets.setdefault(id(self.by_problem[group.problem.id]), []).append(g)
        out: list[list[Score]] = [[] for _ in groups]
        for members in buckets.values():
            orm = self.by_problem[groups[members[0]].problem.id]
            for g, scores in zip(members, await orm.check([groups[g] for g in members])):
                out[g] = scores
        return out


def cross_fitted_orm(groups: Sequence[ProblemCandidates], labels: Sequence[Sequence[bool]], folds: int,
                     objective: str = "pairwise", l2: float = 1.0) -> CrossFitted:
    """The trained ORM for evaluating on the pool it is trained on: k-fold by problem."""
    data = [Labelled(g.problem, g.candidates, tuple(y)) for g, y in zip(groups, labels)]
    held_out = cross_fit(data, min(folds, len(data)), objective, l2)
    return CrossFitted({problem_id: TrainedOrm(model) for problem_id, model in held_out.items()})


def pool_groups(pool: LabelledPool, problems: Sequence[Problem]) -> tuple[list[ProblemCandidates], list[list[bool]]]:
    """The pool's candidates as verifier input, with their labels."""
    by_id = {p.id: p for p in problems}
    groups, labels = [], []
    for problem_id, entries in pool.by_problem().items():
        if problem_id not in by_id:
            raise ConfigError(f"the pool has problem {problem_id!r}, which benchmark {pool.benchmark!r} lacks")
        groups.append(ProblemCandidates(by_id[problem_id], tuple(e.candidate for e in entries)))
        labels.append([e.passed for e in entries])
    return groups, labels


async def warm_up(executor: JobRunner) -> float:
    """Start every sandbox worker; return the seconds it took."""
    start = time.perf_counter()
    for round_ in range(3):  # distinct programs: identical jobs would run once
        await executor.run_async([Job(f"x = {round_}, {i}\n", TaskKind.STDIO, ()) for i in range(4 * executor.workers)])
    return time.perf_counter() - start


async def evaluate(groups: Sequence[ProblemCandidates], labels: Sequence[Sequence[bool]], specs: Sequence[str],
             tools: Toolbox, *, k: int, repeats: int = 1, benchmark: str = "",
             progress: Callable[[Point], None] | None = None) -> Evaluation:
    parsed = [parse_cascade(s) for s in specs]
    if REFERENCE not in {str(s) for s in parsed}:
        parsed.insert(0, parse_cascade(REFERENCE))
    if repeats < 1:
        raise ConfigError(f"repeats must be at least 1, got {repeats}")
    warmup = await warm_up(tools.executor) if tools.executor is not None else 0.0
    runs: list[list[CascadeResult]] = [[] for _ in parsed]
    points: list[Point] = []
    for repeat in range(repeats):  # interleaved, so a busy spell of the machine hits every spec alike
        for spec, done in zip(parsed, runs):
            done.append(await run_cascade(spec, groups, tools))
            if repeat == repeats - 1:
                points.append(score_run(sorted(done, key=lambda r: r.seconds)[len(done) // 2], labels, k))
                if progress:
                    progress(points[-1])
    return Evaluation(benchmark, len(groups), sum(map(len, labels)), k, _mean([float(any(x)) for x in labels]),
                      warmup, repeats, tuple(points))


def score_run(result: CascadeResult, labels: Sequence[Sequence[bool]], k: int) -> Point:
    """Accuracy of one cascade run against the labels, with its measured costs."""
    boks, tops = [], []
    pruned_correct: dict[str, int] = {}
    for ranking, label in zip(result.rankings, labels):
        tiers = [[label[p] for p in tier] for tier in ranking.tiers]
        tiers.append([label[p.position] for p in ranking.pruned])
        boks.append(best_of_k(tiers, k))
        tops.append(top1(tiers))
        for p in ranking.pruned:
            pruned_correct[p.stage] = pruned_correct.get(p.stage, 0) + label[p.position]
    stages = tuple(StageCost(s.stage, s.seconds, s.judged, s.pruned, pruned_correct.get(s.stage, 0))
                   for s in result.stages)
    interval = estimate(boks)
    return Point(result.spec, _mean(boks), _mean(tops), result.programs_per_second, result.seconds, stages,
                 (interval.low, interval.high))


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0
