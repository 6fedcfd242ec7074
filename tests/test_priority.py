"""Earlier problems first: model calls are granted by the problem's position (`_aio.PRIORITY`), so
a run's first problems finish early instead of every problem finishing near the end."""

import asyncio
import re
from dataclasses import replace

from codesieve._aio import PRIORITY, WeightedSemaphore, gather_or_cancel
from codesieve.execution import Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import FakeBackend
from codesieve.pipeline import Pipeline, RunConfig
from codesieve.store import RunStore

from tests.select.conftest import DOUBLE


def test_waiters_are_served_by_priority_then_arrival():
    async def go():
        slots, order = WeightedSemaphore(1), []

        async def take(name, priority):
            PRIORITY.set(priority)
            async with slots.hold(1):
                order.append(name)
                await asyncio.sleep(0.01)

        async with slots.hold(1):  # everyone queues behind this
            tasks = [asyncio.ensure_future(take(n, p)) for n, p in (("late", 3), ("a", 1), ("b", 1), ("first", 0))]
            await asyncio.sleep(0.01)
        await gather_or_cancel(*tasks)
        assert order == ["first", "a", "b", "late"]

    asyncio.run(go())


class Recording:
    """A model that notes, for every call, the problem it is for and the priority it runs under."""

    def __init__(self, inner):
        self.inner, self.model_id, self.calls = inner, inner.model_id, []

    async def generate(self, requests):
        for request in requests:
            text = " ".join(m.content for m in request.messages)
            self.calls.append((re.search(r"def (double_\d)", text).group(1), PRIORITY.get()))
        return await self.inner.generate(requests)


def respond(request, index):
    """First round: samples 0 and 1 wrong (so they are debugged), 2 and 3 right; debug answers right."""
    text = request.messages[-1].content
    name = re.search(r"def (double_\d)", " ".join(m.content for m in request.messages)).group(1)
    roles = [m.role for m in request.messages]
    if roles == ["system", "user"]:
        return f"```python\ndef {name}(x):\n    return {'x + 1' if index < 2 else '2 * x'}\n```"
    if roles[-2:] == ["assistant", "user"] or "written for this task" in text:
        return f"```python\ndef {name}(x):\n    return 2 * x\n```"
    return "?"


def test_every_model_call_of_a_problem_runs_at_its_position(tmp_path):
    problems = [replace(DOUBLE, id=f"t/double_{i}", entry_point=f"double_{i}",
                        prompt=DOUBLE.prompt.replace("double", f"double_{i}"),
                        starter_code=DOUBLE.starter_code.replace("double", f"double_{i}")) for i in range(3)]
    llm = Recording(FakeBackend(respond))
    config = RunConfig(strategies=("sstar", "zero-shot"), sample=SampleConfig(n=4), rounds=2, concurrency=3)
    with Executor(workers=2) as ex, RunStore(tmp_path / "run.sqlite") as store:
        asyncio.run(Pipeline(llm, ex, store, "k", config).run(problems, "toy"))
    assert {name for name, _ in llm.calls} == {"double_0", "double_1", "double_2"}
    assert len(llm.calls) > 6  # sampling, greedy and debugging of each
    assert all(priority == int(name[-1]) for name, priority in llm.calls), llm.calls
