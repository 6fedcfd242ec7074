"""Extending codesieve from outside the package: a strategy and an executor backend registered by a
module of its own, both used by one `Pipeline` run next to the built-in strategies and a cascade."""

import asyncio

from codesieve.execution import ExecutionCache, Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import FakeBackend
from codesieve.pipeline import Pipeline, RunConfig
from codesieve.stages import load, registered
from codesieve.store import RunStore

from tests.extending import plugin
from tests.select.conftest import DOUBLE

PROGRAMS = ["return x + x + 0", "return 2*x", "return x * 3", "return x + 1"]


def answer(request, index):
    return f"```python\ndef double(x):\n    {PROGRAMS[index]}\n```"


def test_a_strategy_and_a_backend_registered_outside_the_package_run_in_the_pipeline(tmp_path):
    assert load(registered("strategy")["shortest"]) is plugin.Shortest
    config = RunConfig(strategies=("shortest:4", "shortest:1", "cascade:syntax > public"), sample=SampleConfig(n=4),
                       rounds=0)
    with Executor(backend="counting:test", cache=ExecutionCache(max_memory_items=0)) as ex, \
            RunStore(tmp_path / "run.sqlite") as store:
        [backend] = [b for b in plugin.made if b.label == "test"]
        assert ex.backend is backend
        results = asyncio.run(Pipeline(FakeBackend(answer), ex, store, "k", config).run([DOUBLE], "toy"))
        by_name = {r.strategy: r for r in results}
        assert by_name["shortest:4"].selection.winner.index == 1 and by_name["shortest:4"].passed
        assert by_name["shortest:1"].selection.winner.index == 0 and by_name["shortest:1"].passed
        assert by_name["cascade:syntax > public"].selection.winner.index != 2  # x * 3 fails the public test
        assert backend.tasks >= 4 + 3  # the samples' public tests, the cascade's checks, the grading
        [record] = store.records("k")
        assert record["strategies"]["shortest:4"]["trace"] == by_name["shortest:4"].selection.trace
