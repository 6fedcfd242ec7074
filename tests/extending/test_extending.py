"""Extending codesieve from outside the package: stages (a strategy with its own evidence, a check,
a judge) and an executor backend registered by a module of its own (`plugin`), used by runs next
to the built-in strategies and a cascade."""

import asyncio

import codesieve

from codesieve.execution import ExecutionCache, Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import FakeBackend
from codesieve.pipeline import Pipeline, RunConfig
from codesieve.runs import shipped_config
from codesieve.select.evidence import SStarEvidence
from codesieve.stages import load, registered
from codesieve.store import RunStore
from codesieve.verify import CascadeEvidence

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
        [record] = store.problems("k")
        assert record.strategies["shortest:4"].evidence == by_name["shortest:4"].selection.trace


def scripted(request, index):
    """The toy model: test inputs when asked for them, else sample `index`'s program."""
    asked = request.messages[-1].content
    if "test input" in asked or "different outputs" in asked:
        return "```python\ndouble(0)\ndouble(5)\n```"
    return answer(request, index)


def test_a_judge_a_check_and_a_strategy_with_its_evidence_run_through_codesieve_run(tmp_path):
    """One `codesieve.run` with every kind of plugin stage: S* judged by the plugin judge, a cascade
    with the plugin check, the plugin strategy; each pick's evidence reads back as its own type."""
    config = shipped_config(strategies=("sstar", "shortest:4", "cascade:short:40 > public"), rounds=0,
                            sample={"n": len(PROGRAMS)}, select={"judge": "doubling"})
    result = codesieve.run("toy", config, problems=[DOUBLE], model=FakeBackend(scripted),
                           store=tmp_path / "run.sqlite")
    assert {t.strategy: t.passed for t in result.totals} == {"sstar": 1, "shortest:4": 1,
                                                              "cascade:short:40 > public": 1}
    with RunStore(tmp_path / "run.sqlite") as store:
        [record] = store.problems(result.key)
    sstar = record.strategies["sstar"].evidence
    assert isinstance(sstar, SStarEvidence) and sstar.duels and all(d.judge == "doubling" for d in sstar.duels)
    assert sstar.decided_by == "tournament"  # the plugin judge decided: x + 1 agrees with the rest on no input
    shortest = record.strategies["shortest:4"]
    assert "return 2*x" in shortest.program
    assert shortest.evidence == plugin.ShortestEvidence(length=len(shortest.program), considered=4)
    cascade = record.strategies["cascade:short:40 > public"].evidence
    assert isinstance(cascade, CascadeEvidence) and [s.stage for s in cascade.stages] == ["short:40", "public"]
