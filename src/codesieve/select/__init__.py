"""Choosing one program among candidates: S* and the baselines it is compared with."""

from codesieve.select.base import (
    SELECTORS,
    Attempt,
    Cost,
    Pool,
    SelectConfig,
    Selection,
    Selector,
    Toolbox,
    best_public,
    make_selector,
)

__all__ = [
    "Attempt",
    "Cost",
    "Pool",
    "SELECTORS",
    "SelectConfig",
    "Selection",
    "Selector",
    "Toolbox",
    "best_public",
    "make_selector",
]
