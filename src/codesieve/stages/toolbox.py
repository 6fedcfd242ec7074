"""What stages work with, and the one place their use of it is metered.

`MeteredLLM` and `MeteredRunner` are views of a model and of the executor that charge every call
to one `Cost`: model calls and tokens, executed jobs. The pipeline meters sampling and debugging
through them, a `Toolbox` meters every strategy's and judge's calls, and a cascade gives its
checks a metered toolbox (`Toolbox.metered`), so a strategy's cost is counted the same way
wherever the work happens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Awaitable, Callable, Sequence

from codesieve.errors import ConfigError
from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve.llm.base import LLM, ChatRequest, Completion
from codesieve.stages.base import Check, Cost
from codesieve.stages.config import SelectConfig
from codesieve.types import ExecResult


class MeteredLLM:
    """A model charging the calls and tokens it answers to `cost`; `on_tokens(n)` hears of the
    completion tokens of each batch that was not wholly answered from a cache."""

    def __init__(self, inner: LLM, cost: Cost, on_tokens: Callable[[int], None] | None = None):
        self.inner, self.cost, self.on_tokens = inner, cost, on_tokens
        self.model_id = inner.model_id

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]:
        if not requests:
            return []
        answers = await self.inner.generate(list(requests))
        tokens = self.cost.charge(answers)
        if self.on_tokens is not None and not all(c.cached for group in answers for c in group):
            self.on_tokens(tokens)
        return answers


class MeteredRunner:
    """An executor charging every job sent to it to `cost` (a cached result counts: the cost is
    what the stage would cost alone)."""

    def __init__(self, inner: JobRunner, cost: Cost):
        self.inner, self.cost = inner, cost

    @property
    def workers(self) -> int:
        return self.inner.workers

    def run(self, jobs: Sequence[Job], on_result: Callable[[int, ExecResult], None] | None = None
            ) -> list[ExecResult]:
        self.cost.executions += len(jobs)
        return self.inner.run(jobs, on_result)

    async def run_async(self, jobs: Sequence[Job]) -> list[ExecResult]:
        if not jobs:
            return []
        self.cost.executions += len(jobs)
        return await self.inner.run_async(list(jobs))


class Toolbox:
    """What stages work with: the model (the judge, which also writes test inputs unless an
    `inputs` model is given) and the executor, metered, the selectors' knobs and outcome reward
    models by name (for `orm:NAME` checks). A stage that needs one that is
    missing says so when it is built. Memoises work that selectors share:
    `shared(key, make)` runs `make(cost)` once per key and charges its cost to every caller, so
    majority-vote and S* reuse one set of generated inputs but each reports the full cost.
    """

    def __init__(self, *, judge: LLM | None = None, executor: JobRunner | None = None,
                 config: SelectConfig = SelectConfig(), orms: Mapping[str, Check] | None = None,
                 inputs: LLM | None = None):
        self.judge = judge
        self.inputs = inputs  # the model that writes test inputs, if not the judge
        self.executor = executor
        self.config = config
        self.orms: Mapping[str, Check] = dict(orms or {})
        self._memo: dict[Any, asyncio.Task] = {}
        self._memo_cost: dict[Any, Cost] = {}

    def metered(self, cost: Cost) -> "Toolbox":
        """This toolbox with its models and executor charging `cost`: for stages that use them
        directly (a cascade's checks)."""
        def model(llm: LLM | None) -> LLM | None:
            return None if llm is None else MeteredLLM(llm, cost)

        return Toolbox(judge=model(self.judge), inputs=model(self.inputs),
                       executor=None if self.executor is None else MeteredRunner(self.executor, cost),
                       config=self.config, orms=self.orms)

    async def ask(self, requests: Sequence[ChatRequest], cost: Cost, *, inputs: bool = False
                  ) -> list[list[Completion]]:
        """The model's answers: the judge's, or with `inputs` (requests for test inputs) the input
        writer's when there is one. A run that changes only the judge thus keeps its inputs."""
        if not requests:
            return []
        model = (self.inputs or self.judge) if inputs else self.judge
        if model is None:
            raise ConfigError("this strategy asks a model, and none was given")
        return await MeteredLLM(model, cost).generate(requests)

    async def execute(self, jobs: Sequence[Job], cost: Cost) -> list[ExecResult]:
        if not jobs:
            return []
        if self.executor is None:
            raise ConfigError("this strategy runs programs, and no executor was given")
        return await MeteredRunner(self.executor, cost).run_async(jobs)

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
