"""The accuracy-throughput frontier of verifiers on a labelled pool: measurement, the frontier and
the search for a configuration (Best-of-k is in `codesieve.stats`, the report in `codesieve.report.pareto`)."""

from codesieve.pareto.evaluate import DEFAULT_GRID, Evaluation, cross_fitted_orm, evaluate, pool_groups
from codesieve.pareto.frontier import Point, StageCost, choose, frontier
from codesieve.pareto.search import Found, Search, search

__all__ = [
    "DEFAULT_GRID", "Evaluation", "Found", "Point", "Search", "StageCost", "choose", "cross_fitted_orm", "evaluate",
    "frontier", "pool_groups", "search",
]
