"""The whole frontier search on one pool, as `codesieve pareto` and `bench/pareto.py` both run it:
measure every configuration, pick one under a criterion, and optionally measure the reference and
the best few again, interleaved, to report their medians."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

from codesieve.errors import ConfigError
from codesieve.execution import Executor
from codesieve.pareto.evaluate import DEFAULT_GRID, Evaluation, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, choose, ranked
from codesieve.stages import Check, Toolbox
from codesieve.types import Problem
from codesieve.verify.pool import LabelledPool
from codesieve.verify.spec import parse_cascade

DEFAULT_MAX_LOSS = 2.0
# Orlanski et al. (2025)'s headline: 11.64x the throughput of full test verification at 8.26% lower
# Best-of-k, relative to it. Every search re-measures and reports the fastest configurations within
# these relative losses (`best_at_<name>` in the report), whatever its own criterion.
PAPER_LOSS = 0.0826
RELATIVE_LOSSES: tuple[tuple[str, float], ...] = (("2pct", 0.02), ("paper_loss", PAPER_LOSS))


@dataclass(frozen=True)
class Search:
    """How to search: the configurations, Best-of-k (None: candidates per problem, i.e. top-1),
    repeats of the grid, re-measurements (`confirm`) of the reference, of the `finalists` best
    configurations of the grid under the criterion and of the `finalists` fastest within each of
    `RELATIVE_LOSSES`, the criterion (a throughput budget or a loss in points; neither: at most
    `DEFAULT_MAX_LOSS` points), and the folds of the ORM trained on the pool when no trained one is
    given.

    Re-measuring several finalists, not only the grid's best, matters because one grid run's
    throughput is noisy: configurations a few percent apart swap places from run to run, and a
    pick made on one run alone can be one that is slower than its neighbours when measured again."""

    specs: tuple[str, ...] = DEFAULT_GRID
    k: int | None = None
    repeats: int = 1
    confirm: int = 0
    finalists: int = 3
    budget_pps: float | None = None
    max_loss_points: float | None = None
    folds: int = 5

    def __post_init__(self) -> None:
        for spec in self.specs:
            parse_cascade(spec)  # a bad spec fails before any work
        if self.repeats < 1 or self.confirm < 0 or self.finalists < 1 or self.folds < 2:
            raise ConfigError("repeats must be at least 1, confirm at least 0, finalists at least 1 and folds "
                              "at least 2")
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
    and a note on how the rows were measured; `skipped` says why `orm:trained` was left out;
    `confirmed` names the configurations whose rows are medians of the re-measurement."""

    evaluation: Evaluation
    chosen: Point | None
    criterion: str
    notes: str = ""
    skipped: str = ""
    confirmed: tuple[str, ...] = ()


async def search(pool: LabelledPool, problems: Sequence[Problem], executor: Executor, how: Search,
           orms: Mapping[str, Check] | None = None, progress: Callable[[Point], None] | None = None) -> Found:
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
    ev = await evaluate(groups, labels, specs, tools, k=k, repeats=how.repeats, benchmark=pool.benchmark,
                  progress=progress)
    budget, loss = (how.budget_pps, None) if how.budget_pps is not None else (None, how.loss_points)
    finalists = ranked(ev.points, ev.reference, budget_pps=budget, max_loss_points=loss)[: how.finalists]
    notes, confirmed = "", ()
    if how.confirm > 0:
        fastest = [p.spec for _, relative in RELATIVE_LOSSES
                   for p in ranked(ev.points, ev.reference, max_loss_relative=relative)[: how.finalists]]
        again_specs = list(dict.fromkeys([p.spec for p in finalists] + fastest))
        remeasured = await evaluate(groups, labels, again_specs, tools, k=k, repeats=how.confirm,
                                    benchmark=pool.benchmark, progress=progress)
        again = {p.spec: p for p in remeasured.points}
        ev = replace(ev, points=tuple(again.get(p.spec, p) for p in ev.points))
        finalists, confirmed = [again[p.spec] for p in finalists], tuple(again)
        grid = "ran once" if how.repeats == 1 else f"ran {how.repeats} times"
        levels = " and ".join(f"{100 * relative:g}%" for _, relative in RELATIVE_LOSSES)
        notes = (f"The grid {grid}; `{ev.reference.spec}`, the {len(finalists)} best configuration(s) of the grid "
                 f"under the criterion and the {how.finalists} fastest within each of {levels} relative loss were then "
                 f"measured {how.confirm} more times, interleaved; their rows show the median of those runs, and "
                 "the pick and the fastest within each relative loss are the best of them on those medians.")
    chosen = choose(finalists, ev.reference, budget_pps=budget, max_loss_points=loss)
    return Found(ev, chosen, how.criterion, notes, skipped, confirmed)
