"""The accuracy-throughput frontier of verifiers: measurement, frontier, report (Best-of-k is in
`codesieve.stats`)."""

from codesieve.pareto.evaluate import DEFAULT_GRID, Evaluation, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, StageCost, choose, frontier
from codesieve.pareto.report import write_report

__all__ = [
    "DEFAULT_GRID", "Evaluation", "Point", "StageCost", "choose", "cross_fitted_orm", "evaluate", "frontier",
    "pool_groups", "write_report",
]
