import asyncio

import pytest

from codesieve._aio import WeightedSemaphore, gather_or_cancel as gather_all
from codesieve.errors import BackendError
from codesieve.stages import Cost, Toolbox


def test_gather_all_cancels_siblings_when_one_fails():
    finished = []

    async def slow():
        await asyncio.sleep(5)
        finished.append("slow")

    async def boom():
        raise RuntimeError("boom")

    async def go():
        task_count = len(asyncio.all_tasks())
        with pytest.raises(RuntimeError):
            await gather_all(slow(), boom())
        assert len(asyncio.all_tasks()) == task_count  # nothing left running
        assert await gather_all(asyncio.sleep(0, "a"), asyncio.sleep(0, "b")) == ["a", "b"]

    asyncio.run(go())
    assert finished == []


def test_shared_work_is_made_once_and_again_after_a_failure():
    made = []

    async def make(cost, fail=False):
        made.append(fail)
        cost.model_calls += 1
        await asyncio.sleep(0.01)
        if fail:
            raise BackendError("timed out")
        return "inputs"

    async def go():
        tools = Toolbox(judge=None, executor=None)
        costs = [Cost(), Cost()]
        assert await gather_all(*(tools.shared(("p", "x"), make, c) for c in costs)) == ["inputs", "inputs"]
        assert made == [False] and [c.model_calls for c in costs] == [1, 1]  # made once, charged to both
        with pytest.raises(BackendError):
            await tools.shared(("p", "y"), lambda c: make(c, fail=True), Cost())
        assert await tools.shared(("p", "y"), make, Cost()) == "inputs"  # a retry: made again, not the error
        cancelled = asyncio.ensure_future(tools.shared(("p", "z"), make, Cost()))
        await asyncio.sleep(0)
        cancelled.cancel()  # as gather_or_cancel does to a failing problem's siblings
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        assert await tools.shared(("p", "z"), make, Cost()) == "inputs"

    asyncio.run(go())


def test_weighted_semaphore_holds_capacity_and_serves_in_order():
    async def go():
        slots, held, order = WeightedSemaphore(4), [0], []

        async def take(name, units, delay):
            async with slots.hold(units):
                order.append(name)
                held[0] += min(units, 4)
                assert held[0] <= 4
                await asyncio.sleep(delay)
                held[0] -= min(units, 4)

        big = take("big", 4, 0.01)
        await gather_all(take("a", 3, 0.05), big, take("b", 1, 0.01), take("huge", 9, 0.01))
        assert order == ["a", "big", "b", "huge"]  # b fits beside a, but waits its turn behind big
        waiting = asyncio.ensure_future(take("never", 4, 0))
        async with slots.hold(1):
            await asyncio.sleep(0.01)
            waiting.cancel()  # a cancelled waiter gives up its place and takes nothing
            with pytest.raises(asyncio.CancelledError):
                await waiting
        await asyncio.wait_for(take("after", 4, 0), 1)  # all 4 units free again

    asyncio.run(go())


def test_an_inputs_model_writes_the_inputs_and_the_judge_only_judges(attempts, executor):
    """With `inputs` given (a run that changes only the judge), requests for test inputs go to it and
    the verdicts to the judge; without it, the judge does both."""
    from codesieve.llm.fake import FakeBackend
    from codesieve.stages import SelectConfig, Toolbox, make_strategy

    from tests.select.conftest import DOUBLE, run, truthful_judge

    writer, judge = FakeBackend(truthful_judge), FakeBackend(truthful_judge)
    tools = Toolbox(judge=judge, inputs=writer, executor=executor, config=SelectConfig(judge="predict"))
    sel = run(make_strategy("sstar").select(DOUBLE, attempts, tools))
    assert sel.winner.index == 0 and any(d.predictions for d in sel.trace.duels)
    asked = lambda backend: [r.messages[-1].content for r in backend.requests]  # noqa: E731
    assert asked(writer) and all("What does a correct" not in text for text in asked(writer))
    assert asked(judge) and all("What does a correct" in text for text in asked(judge))
    alone = FakeBackend(truthful_judge)
    run(make_strategy("sstar").select(DOUBLE, attempts, Toolbox(judge=alone, executor=executor)))
    assert {"What does a correct" in text for text in asked(alone)} == {True, False}
