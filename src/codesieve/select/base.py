"""The selector interface: candidates of one problem in, one `Selection` out.

A selector says which candidates it chooses from (`Pool`: greedy or sampled, before or after
debugging) and picks one. Selectors that need the model or the executor reach them through a
`Toolbox`, which meters every call into the `Cost` of the selection, so each strategy's cost
is what it would cost alone, even when strategies share work in one run.
"""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Awaitable, Callable, Protocol, Sequence

from codesieve.errors import ConfigError
from codesieve.execution.executor import Executor
from codesieve.execution.job import Job
from codesieve.llm.base import LLM, ChatRequest, Completion
from codesieve.types import Attempt, Candidate, ExecResult, Problem



class Pool(StrEnum):
    """Which candidates a selector chooses from. The pipeline generates each pool once per problem."""

    GREEDY = "greedy"  # one sample at temperature 0, first round only
    GREEDY_DEBUGGED = "greedy_debugged"  # that sample and its debug revisions
    SAMPLED = "sampled"  # N samples at the sampling temperature, first round only
    SAMPLED_DEBUGGED = "sampled_debugged"  # the final revision of each of the N samples

    @property
    def greedy(self) -> bool:
        return self in (Pool.GREEDY, Pool.GREEDY_DEBUGGED)

    @property
    def debugged(self) -> bool:
        return self in (Pool.GREEDY_DEBUGGED, Pool.SAMPLED_DEBUGGED)


@dataclass
class Cost:
    """What a selection cost: model calls and tokens, executed jobs. Mutable accumulator."""

    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    executions: int = 0

    def add(self, other: "Cost") -> None:
        self.model_calls += other.model_calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.executions += other.executions


@dataclass(frozen=True)
class Selection:
    """The chosen candidate and why. `trace` holds the selector's evidence: a frozen dataclass
    (S*'s is `codesieve.select.evidence.SStarEvidence`) or JSON-ready data; either is stored as JSON."""

    strategy: str
    winner: Candidate | None
    reason: str
    trace: Any = field(default_factory=dict)
    cost: Cost = field(default_factory=Cost)


@dataclass(frozen=True)
class SelectConfig:
    """Knobs of the selectors. Defaults keep prompts short for small local models."""

    n_inputs: int = 5  # new test inputs asked for, for grouping candidates
    n_duel_inputs: int = 3  # distinguishing inputs asked for per comparison
    n_mutants: int = 8  # sstar-mutants: mutated public inputs added to the generated ones
    max_groups: int = 4  # S*: only the largest groups meet, round robin: M*(M-1)/2 comparisons
    max_judged: int = 4  # llm-judge: distinct programs shown at most
    max_tokens: int = 256  # per call asking for test inputs
    judge_tokens: int = 96  # per verdict: judges answer first, then say why in a sentence
    seed: int = 0


class Toolbox:
    """The model (as judge) and the executor, metered; memoises work that selectors share.

    `shared(key, make)` runs `make(cost)` once per key and charges its cost to every caller, so
    majority-vote and S* reuse one set of generated inputs but each reports the full cost.
    """

    def __init__(self, judge: LLM, executor: Executor, config: SelectConfig = SelectConfig()):
        self.judge = judge
        self.executor = executor
        self.config = config
        self._memo: dict[Any, asyncio.Task] = {}
        self._memo_cost: dict[Any, Cost] = {}

    async def ask(self, requests: Sequence[ChatRequest], cost: Cost) -> list[list[Completion]]:
        if not requests:
            return []
        answers = await self.judge.generate(list(requests))
        cost.model_calls += len(requests)
        for group in answers:
            for c in group:
                cost.completion_tokens += c.completion_tokens
            if group:
                cost.prompt_tokens += group[0].prompt_tokens
        return answers

    async def execute(self, jobs: Sequence[Job], cost: Cost) -> list[ExecResult]:
        if not jobs:
            return []
        cost.executions += len(jobs)
        return await self.executor.run_async(list(jobs))

    async def shared(self, key: Any, make: Callable[[Cost], Awaitable[Any]], cost: Cost) -> Any:
        task = self._memo.get(key)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            # new, or it failed (say, a model timeout cancelled the problem): a retry makes it again
            own = self._memo_cost[key] = Cost()
            task = self._memo[key] = asyncio.ensure_future(make(own))
        value = await task
        cost.add(self._memo_cost[key])
        return value

    def forget(self, problem_id: str) -> None:
        """Drop memoised work of a finished problem (keys are tuples starting with its id)."""
        for key in [k for k in self._memo if isinstance(k, tuple) and k and k[0] == problem_id]:
            del self._memo[key]
            del self._memo_cost[key]


def best_public(attempts: Sequence[Attempt]) -> list[int]:
    """Indices of the attempts passing all public tests; if none does, those with the best rate."""
    if not attempts:
        return []
    best = max(a.public_rate for a in attempts)
    return [i for i, a in enumerate(attempts) if a.public_rate == best]


class Selector(Protocol):
    """Picks one candidate of a problem. `pool` says which candidates it is given."""

    name: str
    pool: Pool

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection: ...


# name -> "module:factory"; the factory takes no arguments (options come through the Toolbox).
SELECTORS = {
    "codet": "codesieve.select.codet:CodeT",
    "llm-judge": "codesieve.select.judge:LLMJudge",
    "majority-vote": "codesieve.select.baselines:MajorityVote",
    "public-filter": "codesieve.select.baselines:PublicFilter",
    "random": "codesieve.select.baselines:RandomPick",
    "self-debug": "codesieve.select.baselines:SelfDebug",
    "sstar": "codesieve.select.sstar:SStar",
    "sstar-mutants": "codesieve.select.sstar:SStarMutants",
    "sstar-predict": "codesieve.select.sstar:SStarPredict",
    "zero-shot": "codesieve.select.baselines:ZeroShot",
}


def make_selector(name: str) -> Selector:
    """The selector registered as `name`."""
    if name not in SELECTORS:
        raise ConfigError(f"unknown strategy {name!r}; choose from: {', '.join(sorted(SELECTORS))}")
    module, attr = SELECTORS[name].split(":")
    return getattr(importlib.import_module(module), attr)()
