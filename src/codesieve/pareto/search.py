"""The whole frontier search on one pool, as `codesieve pareto` and `bench/pareto.py` both run it:
measure every configuration, pick one under a criterion, and optionally measure the reference and
the pick again, interleaved, to report their medians."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

from codesieve.errors import ConfigError
from codesieve.execution import Executor
from codesieve.pareto.evaluate import DEFAULT_GRID, Evaluation, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, choose
from codesieve.types import Problem
from codesieve.select.base import Toolbox, Verifier
from codesieve.verify.pool import LabelledPool
from codesieve.verify.spec import parse_cascade

DEFAULT_MAX_LOSS = 2.0


@dataclass(frozen=True)
class Search:
    """How to search: the configurations, Best-of-k (None: candidates per problem, i.e. top-1),
    repeats of the grid, re-measurements of the reference and the pick (`confirm`), the criterion
    (a throughput budget or a loss in points; neither: at most `DEFAULT_MAX_LOSS` points), and the
    folds of the ORM trained on the pool when no trained one is given."""

    specs: tuple[str, ...] = DEFAULT_GRID
    k: int | None = None
    repeats: int = 1
    confirm: int = 0
    budget_pps: float | None = None
    max_loss_points: float | None = None
    folds: int = 5

    def __post_init__(self) -> None:
        for spec in self.specs:
            parse_cascade(spec)  # a bad spec fails before any work
        if self.repeats < 1 or self.confirm < 0 or self.folds < 2:
            raise ConfigError("repeats must be at least 1, confirm at least 0 and folds at least 2")
        if self.budget_pps is not None and self.max_loss_points is not None:
            raise ConfigError("give a throughput budget or an accuracy loss, not both")
        if (self.budget_pps is not None and self.budget_pps <= 0) or (self.max_loss_points or 0) < 0:
            raise ConfigError("the throughput budget must be above 0 programs/s and the loss 0 points or more")

    @property
    def criterion(self) -> str:
        if self.budget_pps is not None:
            return f"at least {self.budget_pps:g} programs/s"
        return f"at most {self.loss_points:g} points below full"

    @property
    def loss_points(self) -> float:
        return DEFAULT_MAX_LOSS if self.max_loss_points is None else self.max_loss_points


@dataclass(frozen=True)
class Found:
    """What a search found: every point measured, the pick (None: nothing qualifies), the criterion
    and a note on how the rows were measured; `skipped` says why `orm:trained` was left out."""

    evaluation: Evaluation
    chosen: Point | None
    criterion: str
    notes: str = ""
    skipped: str = ""


def search(pool: LabelledPool, problems: Sequence[Problem], executor: Executor, how: Search,
           orms: Mapping[str, Verifier] | None = None, progress: Callable[[Point], None] | None = None) -> Found:
    """Measure `how.specs` on `pool`. `orms` are named ORMs for `orm:NAME` stages; without a
    "trained" one, `orm:trained` is trained on the pool, cross-fitted by problem, and its
    configurations are skipped (with a note) when the pool cannot train one."""
    groups, labels = pool_groups(pool, problems)
    orms, specs, skipped = dict(orms or {}), list(how.specs), ""
    if "trained" not in orms:
        try:
            orms["trained"] = cross_fitted_orm(groups, labels, how.folds)
        except ConfigError as exc:
            skipped = f"skipping orm:trained: {exc}"
            specs = [s for s in specs if "orm:trained" not in s]
    k = how.k or max(map(len, labels))
    tools = Toolbox(executor=executor, orms=orms)
    ev = evaluate(groups, labels, specs, tools, k=k, repeats=how.repeats, benchmark=pool.benchmark,
                  progress=progress)
    budget, loss = (how.budget_pps, None) if how.budget_pps is not None else (None, how.loss_points)
    chosen = choose(ev.points, ev.reference, budget_pps=budget, max_loss_points=loss)
    notes = ""
    if chosen is not None and how.confirm > 0:
        again = {p.spec: p for p in evaluate(groups, labels, [chosen.spec], tools, k=k, repeats=how.confirm,
                                             benchmark=pool.benchmark, progress=progress).points}
        ev = replace(ev, points=tuple(again.get(p.spec, p) for p in ev.points))
        chosen = again[chosen.spec]
        notes = (f"The grid ran once; `{ev.reference.spec}` and the chosen configuration were then measured "
                 f"{how.confirm} more times, interleaved, and their rows show the median of those runs.")
    return Found(ev, chosen, how.criterion, notes, skipped)
