"""`codesieve run` end to end with the real small model (SmolLM2-135M) on one HumanEval problem,
then resumed (nothing left to do) and replayed from the store (same selections, no model)."""

import json

import pytest

from codesieve.cli import main
from codesieve.cli.run_cmd import store_paths, strategies
from codesieve.errors import ConfigError
from codesieve.store import RunStore

SMALL = ["--model", "smollm2-135m", "--limit", "1", "-n", "2", "--rounds", "1", "--max-tokens", "64",
         "--parallel", "2", "--strategy", "sstar,zero-shot", "--strategy", "majority-vote"]


def test_strategy_lists():
    assert strategies(None) == ("sstar",)
    assert strategies(["sstar,zero-shot", "zero-shot", " codet "]) == ("sstar", "zero-shot", "codet")
    with pytest.raises(ConfigError, match="choose from"):
        strategies(["sstar,best"])


def test_an_unknown_debug_prompt_is_a_clear_error_before_any_work(tmp_path, capsys):
    store = tmp_path / "run.sqlite"
    assert main(["run", *SMALL, "--store", str(store), "--debug-prompt", "chat"]) == 2
    assert "unknown debug prompt style 'chat': choose from conversation, quoted" in capsys.readouterr().err
    assert not store.exists()


def test_store_paths_sit_next_to_the_run_store(tmp_path):
    completions, cache = store_paths(tmp_path / "runs" / "x.sqlite")
    assert completions.name == "x.completions.sqlite" and cache.name == "x.exec.sqlite"


@pytest.mark.timeout(900)  # a real model on 2 shared cores: minutes when the machine is busy
def test_run_resume_replay_export_with_smollm2(tmp_path, capsys):
    store = tmp_path / "run.sqlite"
    out = tmp_path / "records.jsonl"
    assert main(["run", *SMALL, "--store", str(store), "--export", str(out)]) == 0
    captured = capsys.readouterr()
    assert "sstar" in captured.out and "accuracy" in captured.out
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["problem_id"] == "HumanEval/0"
    assert set(record["strategies"]) == {"sstar", "zero-shot", "majority-vote"}
    assert len(record["pools"]["sampled"]) == 2 and len(record["pools"]["greedy"]) == 1
    for rec in record["strategies"].values():
        assert rec["winner"] and rec["reason"] and rec["grade"]["verdict"]

    with RunStore(store) as runs:
        [(key, _)] = runs.runs()
        before = runs.totals(key)
    assert main(["run", *SMALL, "--store", str(store)]) == 0  # resumed: nothing to redo
    with RunStore(store) as runs:
        assert runs.totals(key) == before

    assert main(["run", *SMALL, "--store", str(store), "--replay"]) == 0
    assert "replay: 3 of 3 selections identical" in capsys.readouterr().err
