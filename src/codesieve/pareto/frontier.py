"""The accuracy-throughput Pareto frontier and picking one configuration from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from codesieve.errors import ConfigError


@dataclass(frozen=True)
class StageCost:
    stage: str
    seconds: float
    judged: int
    pruned: int
    pruned_correct: int  # labelled-correct candidates this stage pruned


@dataclass(frozen=True)
class Point:
    """One verifier configuration measured on a pool."""

    spec: str
    bok: float  # Best-of-k, 0..1
    top1: float  # top-1 accuracy, 0..1
    pps: float  # candidate programs verified per second, wall clock
    seconds: float
    stages: tuple[StageCost, ...] = field(default=())
    bok_ci: tuple[float, float] = (0.0, 1.0)  # Best-of-k's 95% interval over problems (codesieve.stats.estimate)


def dominates(a: Point, b: Point) -> bool:
    return a.bok >= b.bok and a.pps >= b.pps and (a.bok > b.bok or a.pps > b.pps)


def frontier(points: Sequence[Point]) -> list[Point]:
    """The points no other point beats on both accuracy and throughput, fastest first."""
    front = [p for p in points if not any(dominates(q, p) for q in points)]
    return sorted(front, key=lambda p: (-p.pps, -p.bok, p.spec))


def ranked(points: Sequence[Point], reference: Point, *, budget_pps: float | None = None,
           max_loss_points: float | None = None, max_loss_relative: float | None = None) -> list[Point]:
    """The points that meet the criterion, best first.

    With a throughput budget: those at least that fast, most accurate first. With a loss budget
    against `reference`, in accuracy points (0-100) or as a fraction of its accuracy (the Pareto
    paper's 8.26% is 0.0826): those within it, fastest first.
    """
    if sum(x is not None for x in (budget_pps, max_loss_points, max_loss_relative)) != 1:
        raise ConfigError("give exactly one of a throughput budget (--budget) or an accuracy loss (--max-loss)")
    if budget_pps is not None:
        return sorted((p for p in points if p.pps >= budget_pps), key=lambda p: (-p.bok, -p.pps, p.spec))
    gap = max_loss_points / 100.0 if max_loss_points is not None else reference.bok * max_loss_relative
    floor = reference.bok - gap - 1e-12
    return sorted((p for p in points if p.bok >= floor), key=lambda p: (-p.pps, -p.bok, p.spec))


def choose(points: Sequence[Point], reference: Point, *, budget_pps: float | None = None,
           max_loss_points: float | None = None, max_loss_relative: float | None = None) -> Point | None:
    """The configuration to use (the best under `ranked`'s criterion), or None if nothing qualifies."""
    best = ranked(points, reference, budget_pps=budget_pps, max_loss_points=max_loss_points,
                  max_loss_relative=max_loss_relative)
    return best[0] if best else None
