"""Extending codesieve from outside the package: a strategy registered by a module of its own,
run by `Pipeline` next to the built-in ones and a cascade."""

import asyncio

from codesieve.execution import Executor
from codesieve.llm import FakeBackend
from codesieve.pipeline import Pipeline, RunConfig
from codesieve.select import registered
from codesieve.store import RunStore

from tests.extending import plugin
from tests.select.conftest import DOUBLE

PROGRAMS = ["return x + x + 0", "return 2*x", "return x * 3", "return x + 1"]


def answer(request, index):
    return f"```python\ndef double(x):\n    {PROGRAMS[index]}\n```"


def test_a_strategy_registered_outside_the_package_runs_in_the_pipeline(tmp_path):
    assert registered("strategy")["shortest"].factory is plugin.Shortest
    config = RunConfig(strategies=("shortest:4", "shortest:1", "cascade:syntax > public"), n=4, rounds=0)
    with Executor(workers=2) as ex, RunStore(tmp_path / "run.sqlite") as store:
        results = asyncio.run(Pipeline(FakeBackend(answer), ex, store, "k", config).run([DOUBLE], "toy"))
        by_name = {r.strategy: r for r in results}
        assert by_name["shortest:4"].selection.winner.index == 1 and by_name["shortest:4"].passed
        assert by_name["shortest:1"].selection.winner.index == 0 and by_name["shortest:1"].passed
        assert by_name["cascade:syntax > public"].selection.winner.index != 2  # x * 3 fails the public test
        [record] = store.records("k")
        assert record["strategies"]["shortest:4"]["trace"] == by_name["shortest:4"].selection.trace
