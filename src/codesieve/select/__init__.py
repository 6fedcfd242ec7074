"""Choosing one program among candidates: S*, the baselines it is compared with, and cascades of
checks, all registered by name (`registry`)."""

from codesieve.select.base import (
    Attempt,
    CandidatePool,
    Cost,
    ProblemCandidates,
    Score,
    SelectConfig,
    Selection,
    Selector,
    Toolbox,
    Verifier,
    best_public,
)
from codesieve.select.registry import check, make_strategy, registered, split_strategies, strategy

__all__ = [
    "Attempt",
    "CandidatePool",
    "Cost",
    "ProblemCandidates",
    "Score",
    "SelectConfig",
    "Selection",
    "Selector",
    "Toolbox",
    "Verifier",
    "best_public",
    "check",
    "make_strategy",
    "registered",
    "split_strategies",
    "strategy",
]
