"""The one metering point: model calls, tokens and executed jobs charged to a `Cost`."""

import asyncio

import pytest

from codesieve.errors import ConfigError
from codesieve.execution import Job
from codesieve.llm.base import ChatRequest, Message
from codesieve.llm.fake import FakeBackend
from codesieve.stages import Cost, MeteredLLM, Toolbox
from codesieve.types import TaskKind


class Runner:
    """A `JobRunner` that runs nothing and counts what it was sent."""

    workers = 2

    def __init__(self):
        self.sent = 0

    def run(self, jobs, on_result=None):
        self.sent += len(jobs)
        return ["result"] * len(jobs)

    async def run_async(self, jobs):
        return self.run(jobs)


def ask(text, n=1):
    return ChatRequest(messages=(Message("user", text),), n=n)


def test_the_toolbox_and_its_metered_view_charge_the_same_way():
    runner, model = Runner(), FakeBackend(lambda request, i: "one two three")
    jobs = [Job("print(1)\n", TaskKind.STDIO, ()), Job("print(2)\n", TaskKind.STDIO, ())]

    async def go():
        tools, asked, direct = Toolbox(judge=model, executor=runner), Cost(), Cost()
        await tools.ask([ask("a b"), ask("c", n=2)], asked)
        await tools.execute(jobs, asked)
        metered = tools.metered(direct)  # what a cascade's checks are given
        await metered.judge.generate([ask("a b"), ask("c", n=2)])
        await metered.executor.run_async(jobs)
        assert await tools.ask([], asked) == [] and await metered.executor.run_async([]) == []
        return asked, direct

    asked, direct = asyncio.run(go())
    assert asked == direct == Cost(model_calls=2, prompt_tokens=3, completion_tokens=9, executions=2)
    assert runner.sent == 4


def test_token_events_come_only_for_work_done_now():
    heard = []
    cost = Cost()
    llm = MeteredLLM(FakeBackend(lambda request, i: "x y"), cost, heard.append)
    asyncio.run(llm.generate([ask("q")]))
    assert heard == [2] and cost.completion_tokens == 2


def test_a_stage_without_the_model_or_executor_it_needs_says_so():
    with pytest.raises(ConfigError, match="asks a model"):
        asyncio.run(Toolbox().ask([ask("q")], Cost()))
    with pytest.raises(ConfigError, match="runs programs"):
        asyncio.run(Toolbox().execute([Job("", TaskKind.STDIO, ())], Cost()))
    assert Toolbox().metered(Cost()).executor is None
