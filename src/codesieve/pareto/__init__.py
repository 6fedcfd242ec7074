"""The accuracy-throughput frontier of verifiers: metrics, measurement, frontier, report."""

from codesieve.pareto.evaluate import DEFAULT_GRID, Evaluation, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, StageCost, choose, frontier
from codesieve.pareto.metrics import best_of_k, top1
from codesieve.pareto.report import write_report

__all__ = [
    "DEFAULT_GRID", "Evaluation", "Point", "StageCost", "best_of_k", "choose", "cross_fitted_orm", "evaluate",
    "frontier", "pool_groups", "top1", "write_report",
]
