"""The library `Run` on a scripted model and the real executor: its files, its key, resuming,
replaying with the agreement as data, models opened once each, and the public `codesieve.run`."""

import asyncio
from contextlib import asynccontextmanager

import pytest

import codesieve
from codesieve.errors import ConfigError
from codesieve.generate.sample import SampleConfig
from codesieve.llm import CachingBackend, CompletionStore, FakeBackend, model_id_for
from codesieve.pipeline import RunConfig
from codesieve.runs import Agreement, Model, Run, RunFiles
from codesieve.store import RunStore, run_key

from tests.select.conftest import DOUBLE
from tests.test_pipeline import scripted

CONFIG = RunConfig(strategies=("majority-vote", "sstar"), sample=SampleConfig(n=4), rounds=1, concurrency=1)


def toy_run(tmp_path, model, **options):
    return Run(CONFIG, benchmark="toy", model=model, files=RunFiles.beside(tmp_path / "run.sqlite"), **options)


def test_the_files_sit_beside_the_run_store(tmp_path):
    files = RunFiles.beside(tmp_path / "runs" / "x.sqlite")
    assert files.store == tmp_path / "runs" / "x.sqlite"
    assert files.completions.name == "x.completions.sqlite" and files.exec_cache.name == "x.exec.sqlite"


def test_the_key_names_the_models_and_leaves_out_the_strategies():
    run = Run(CONFIG, benchmark="humaneval+")
    assert run.identity["model"] == run.identity["judge"] == model_id_for("qwen2.5-coder-0.5b")
    assert run.key == run_key(run.identity) == Run(RunConfig(sample=SampleConfig(n=4), rounds=1),
                                                   benchmark="humaneval+").key
    assert Run(replay=True).key == Run().key + "-replay" and Run(replay=True).original_key == Run().key
    remote = Run(model=Model("served-name", base_url="http://localhost:8000/v1"), judge_model=Model("smollm2-135m"),
                 inputs_model=Model())
    assert (remote.identity["model"], remote.identity["judge"], remote.identity["inputs_model"]) == \
        ("served-name", model_id_for("smollm2-135m"), model_id_for("qwen2.5-coder-0.5b"))


def test_a_run_on_an_open_model_stores_its_results_and_resumes(tmp_path):
    fake = FakeBackend(scripted)
    events = []
    result = asyncio.run(toy_run(tmp_path, fake).execute([DOUBLE], on_event=events.append))
    assert result.key == run_key(toy_run(tmp_path, fake).identity) and result.model_id == fake.model_id
    assert result.problems == (DOUBLE.id,)
    assert {r.strategy: r.passed for r in result.results} == {"majority-vote": True, "sstar": True}
    assert [(t.strategy, t.passed, t.problems) for t in result.totals] == [("majority-vote", 1, 1), ("sstar", 1, 1)]
    assert {e.kind for e in events} >= {"stage", "problem"}
    with RunStore(tmp_path / "run.sqlite") as store:
        assert store.runs() == [(result.key, result.identity)]
    calls = len(fake.requests)
    again = asyncio.run(toy_run(tmp_path, fake).execute([DOUBLE]))
    assert again.results == () and again.totals == result.totals and len(fake.requests) == calls


def test_a_replay_rescores_under_its_own_key_and_returns_its_agreement(tmp_path):
    files = RunFiles.beside(tmp_path / "run.sqlite")
    with CompletionStore(files.completions) as completions:
        live = CachingBackend(FakeBackend(scripted), completions)
        first = asyncio.run(toy_run(tmp_path, live).execute([DOUBLE]))
        stored = CachingBackend(None, completions, replay=True, model_id=live.model_id)
        replay = toy_run(tmp_path, stored, replay=True)
        again = asyncio.run(replay.execute([DOUBLE]))
        assert again.key == first.key + "-replay" and len(again.results) == 2
        assert again.agreement == (Agreement("majority-vote", 1, 1), Agreement("sstar", 1, 1))
        wider = Run(RunConfig(strategies=("sstar", "public-filter"), sample=SampleConfig(n=4), rounds=1), benchmark="toy",
                    model=stored, files=files, replay=True)
        assert asyncio.run(wider.execute([DOUBLE])).agreement == (Agreement("sstar", 1, 1), Agreement("public-filter", 0, 0))
        greedy = Run(RunConfig(strategies=("zero-shot",), sample=SampleConfig(n=4), rounds=1), benchmark="toy",
                     model=stored, files=files, replay=True)
        with pytest.raises(ConfigError, match="zero-shot need the greedy sample"):
            asyncio.run(greedy.execute([DOUBLE]))


def test_each_distinct_model_is_opened_once_and_closed_after(tmp_path, monkeypatch):
    opened, closed = [], []

    @asynccontextmanager
    async def open_llm(name, *, store=None, replay=False, **_):
        opened.append((name, store, replay))
        yield FakeBackend(scripted, model_id=f"fake-{name}")
        closed.append(name)

    monkeypatch.setattr("codesieve.llm.open_llm", open_llm)
    run = Run(CONFIG, benchmark="toy", model=Model("a"), judge_model=Model("b"), inputs_model=Model("a"),
              files=RunFiles.beside(tmp_path / "run.sqlite"), replay=True)

    async def go():
        async with run.opened() as live:
            assert live.inputs_model is live.model and live.judge_model.model_id == "fake-b"
            assert live.identity["inputs_model"] == "fake-a"
            assert closed == []

    asyncio.run(go())
    completions = tmp_path / "run.completions.sqlite"
    assert opened == [("a", completions, True), ("b", completions, True)] and sorted(closed) == ["a", "b"]


def test_codesieve_run_is_the_public_one_call_form(tmp_path):
    assert "run" in codesieve.__all__ and "resumes" in codesieve.run.__doc__
    result = codesieve.run("toy", CONFIG, problems=[DOUBLE], model=FakeBackend(scripted), store=tmp_path / "r.sqlite")
    assert {t.strategy: t.passed for t in result.totals} == {"majority-vote": 1, "sstar": 1}
    assert (tmp_path / "r.exec.sqlite").exists()
