"""The stage interfaces and their lazy registry: what narrows or ranks candidates, and what it works with.

A strategy (`Selector`) picks one candidate of a problem; a check (`Check`) scores the candidates
of many problems at once and is a stage of a cascade; a judge (`Judge`) decides S*'s duels. Each
is registered by name (`registry`) as a "module:attr" string, so listing names imports nothing,
and each reaches the model, the executor and ORMs through one `Toolbox`, which meters their cost.
The implementations live above this package: `codesieve.select` and `codesieve.verify`.
"""

from codesieve.stages.base import (
    CandidatePool,
    Check,
    Cost,
    Judge,
    ProblemCandidates,
    Score,
    Selection,
    Selector,
    best_public,
    timed_each,
)
from codesieve.stages.config import SelectConfig
from codesieve.stages.registry import (
    Entry,
    build_check,
    check,
    evidence_type,
    judge,
    load,
    lookup,
    make_judge,
    make_strategy,
    registered,
    split_strategies,
    strategy,
)
from codesieve.stages.toolbox import MeteredLLM, MeteredRunner, Toolbox

__all__ = [
    "CandidatePool",
    "Check",
    "Cost",
    "Entry",
    "Judge",
    "MeteredLLM",
    "MeteredRunner",
    "ProblemCandidates",
    "Score",
    "SelectConfig",
    "Selection",
    "Selector",
    "Toolbox",
    "best_public",
    "build_check",
    "check",
    "evidence_type",
    "judge",
    "load",
    "lookup",
    "make_judge",
    "make_strategy",
    "registered",
    "split_strategies",
    "strategy",
    "timed_each",
]
