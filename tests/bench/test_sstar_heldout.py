"""bench/sstar_heldout.py without a model: its runs are keyed as `codesieve run` keys them, its
numbers are counted from the run store, and `is_default` compares with what ships. One whole
invocation runs on a scripted model and two toy problems."""

import argparse
import asyncio
import json
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest

from codesieve.cli import build_parser
from codesieve.cli.run_cmd import run_config
from codesieve.llm import DEFAULT_MODEL, CachingBackend, CompletionStore, FakeBackend, model_id_for
from codesieve.runs import SHIPPED, Model, Run
from codesieve.stats import sign_test

from tests.report.conftest import PROBLEMS, scripted
from tests.bench_scripts import bench_module

LARGER = "qwen2.5-coder-1.5b"


@pytest.fixture(scope="module")
def heldout():
    return bench_module("sstar_heldout")


def test_is_default_compares_the_configuration_with_what_ships(heldout):
    args = heldout.parser().parse_args([])
    assert heldout.is_default(heldout.main_run(args, "mbpp+").config)
    assert heldout.is_default(replace(SHIPPED, strategies=("sstar",), concurrency=1))  # neither changes a result
    assert not heldout.is_default(replace(SHIPPED, sample=replace(SHIPPED.sample, n=SHIPPED.sample.n + 1)))
    assert not heldout.is_default(replace(SHIPPED, select=replace(SHIPPED.select, judge="reason")))


def test_runs_are_keyed_as_codesieve_run_keys_them(heldout):
    args = heldout.parser().parse_args(["--judge-model", LARGER, "--zero-shot-model", LARGER])
    cli = build_parser().parse_args(["run", "--strategy", "zero-shot,majority-vote,sstar"])
    shipped = run_config(cli)
    assert heldout.main_run(args, "mbpp+").config == shipped
    assert heldout.main_run(args, "mbpp+").key == Run(shipped, benchmark="mbpp+", model=Model(DEFAULT_MODEL)).key
    assert heldout.judge_run(args, "codecontests").key == Run(shipped, benchmark="codecontests",
                                                              model=Model(DEFAULT_MODEL),
                                                              judge_model=Model(LARGER)).key
    assert heldout.zero_shot_run(args, "mbpp+").key == Run(shipped, benchmark="mbpp+", model=Model(LARGER)).key


def test_an_entry_counts_the_problems_every_column_finished(heldout):
    ids = [f"p{i}" for i in range(6)]
    results = {"zero-shot": dict.fromkeys(ids, False), "majority-vote": {p: p in {"p0", "p1"} for p in ids},
               "sstar": {p: p in {"p0", "p2", "p3", "p4"} for p in ids[:5]}}  # p5 not finished by sstar
    results["zero-shot@1.5b"] = {p: p in {"p0", "p1", "p5"} for p in ids}
    entry = heldout.benchmark_entry(results, (*heldout.STRATEGIES, "zero-shot@1.5b"), 10)
    intervals = entry.pop("ci95")
    assert entry == {"n_problems": 5, "target": 10, "zero-shot": 0.0, "majority-vote": 0.4, "sstar": 0.8,
                     "zero-shot@1.5b": 0.4, "only_sstar": 3, "only_majority": 1, "p": sign_test(3, 1),
                     "sstar_vs_zero-shot@1.5b": {"only_sstar": 3, "only_other": 1, "p": sign_test(3, 1)}}
    assert intervals["zero-shot"]["low"] == 0.0 and 0.0 < intervals["zero-shot"]["high"] < 1.0
    low, high = intervals["sstar"]["low"], intervals["sstar"]["high"]
    assert low < 0.8 < high < 1.0  # 4 of 5 (p5, unfinished by sstar, left out), exact 95%: [0.284, 0.995]
    assert round(low, 3) == 0.284 and round(high, 3) == 0.995
    empty = heldout.benchmark_entry({}, heldout.STRATEGIES, 10)
    assert empty["n_problems"] == 0 and empty["sstar"] is None and empty["p"] == 1.0


def test_markdown_names_the_split_and_says_when_numbers_are_partial(heldout):
    entry = {"n_problems": 3, "target": 4, "zero-shot": 0.5, "majority-vote": 0.5, "sstar": 0.75, "only_sstar": 1,
             "only_majority": 0, "p": 1.0}
    data = {"split": "test", "config": {"identity": {"n": 4}, "strategies": list(heldout.STRATEGIES)},
            "is_default": True, "models": {"generator": "g", "judge": "g"},
            "benchmarks": {"mbpp+test": entry}, "pooled": {"only_sstar": 1, "only_majority": 0, "p": 1.0}}
    header, rows, notes = heldout.markdown(data)
    assert "Split: **test**" in notes and '{"n": 4}' in notes and "mbpp+test 3 of 4" in notes
    assert rows[0][5] == "0.750"  # results written before the intervals show the value alone
    data["benchmarks"]["mbpp+test"] = {**entry, "ci95": {"sstar": {"low": 0.194, "high": 0.994}}}
    assert heldout.markdown(data)[1][0][5] == "0.750 [0.194, 0.994]"
    assert rows[0][:3] == ["main", "mbpp+test", "3/4"] and rows[-1][1] == "pooled"
    data["benchmarks"]["mbpp+test"] = {**entry, "n_problems": 4}
    assert "Partial" not in heldout.markdown(data)[2]


def test_a_whole_invocation_on_a_scripted_model(heldout, tmp_path, monkeypatch):
    asked = {}  # model -> requests that reached it (not answered from the completion store)

    @asynccontextmanager
    async def open_llm(model=DEFAULT_MODEL, *, store=None, replay=False, **_):
        fake = FakeBackend(scripted, model_id=model_id_for(model))
        asked.setdefault(model, []).append(fake)
        with CompletionStore(store) as completions:
            yield CachingBackend(fake, completions, model_id=model_id_for(model))

    monkeypatch.setattr("codesieve.llm.open_llm", open_llm)
    monkeypatch.setattr(heldout, "split_problems", lambda benchmark, split, executor: list(PROBLEMS))
    monkeypatch.setattr(heldout, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(heldout, "SAVED", tmp_path / "saved")
    args = heldout.parser().parse_args(["--store", str(tmp_path / "heldout.sqlite"), "--judge-model", LARGER,
                                        "--zero-shot-model", LARGER])
    asyncio.run(heldout.main_async(argparse.Namespace(**{**vars(args), "report": True})))  # a fresh store:
    # the committed results stay as they are
    assert not (tmp_path / "results").exists()
    asyncio.run(heldout.main_async(args))

    data = json.loads((tmp_path / "results" / "sstar_heldout.json").read_text())
    assert data["is_default"] is True and data["split"] == "test"
    assert data["config"]["strategies"] == ["zero-shot", "majority-vote", "sstar"]
    assert data["models"] == {"generator": model_id_for(DEFAULT_MODEL), "judge": model_id_for(DEFAULT_MODEL)}
    for found in (data, data["judge_1.5b"]):
        assert set(found["benchmarks"]) == {"mbpp+test", "codecontests-test"}
        for entry in found["benchmarks"].values():
            assert set(entry) == {"n_problems", "target", "zero-shot", "majority-vote", "sstar", "zero-shot@1.5b",
                                  "only_sstar", "only_majority", "p", "sstar_diagnosis", "ci95",
                                  "sstar_vs_zero-shot@1.5b"}
            assert set(entry["ci95"]) == {"zero-shot", "majority-vote", "sstar", "zero-shot@1.5b"}
            why = entry["sstar_diagnosis"]
            assert why["oracle"] == 1.0  # both toy problems have a correct sample
            assert why["wrong_picks"]["picked_wrong"] == round((1 - entry["sstar"]) * 2)  # so every failure is one
            assert why["separation"]["duels"] >= 0
            assert why["decisions"]["one_kept"] + why["decisions"]["one_group"] + why["decisions"]["tournament"] == 2
            assert entry["n_problems"] == entry["target"] == 2
            assert entry["majority-vote"] == 0.5  # double solved, square not (the scripted model's pools)
        pooled = found["pooled"]
        assert pooled["only_sstar"] == sum(e["only_sstar"] for e in found["benchmarks"].values())
        assert pooled["p"] == sign_test(pooled["only_sstar"], pooled["only_majority"])
        assert pooled["sstar_vs_zero-shot@1.5b"]["only_other"] == sum(
            e["sstar_vs_zero-shot@1.5b"]["only_other"] for e in found["benchmarks"].values())
    assert data["judge_1.5b"]["judge"] == model_id_for(LARGER)
    # the judged run's generator answered nothing new: its samples and debug answers came from the store
    main_generator, judged_generator = asked[DEFAULT_MODEL]
    assert main_generator.requests and not judged_generator.requests
    markdown = (tmp_path / "results" / "sstar_heldout.md").read_text()
    assert "Split: **test**" in markdown and "judge_1.5b" in markdown and "Partial" not in markdown
    assert "Did S*'s inputs separate its candidates?" in markdown and "Why S* picked wrong" in markdown
    assert "How the picks were made" in markdown

    # started again, the run resumes: nothing is asked of any model
    asked.clear()
    asyncio.run(heldout.main_async(args))
    assert not any(fake.requests for fakes in asked.values() for fake in fakes)
    assert json.loads((tmp_path / "results" / "sstar_heldout.json").read_text())["benchmarks"] == data["benchmarks"]
