"""`codesieve run` end to end with the real small model (SmolLM2-135M) on one HumanEval problem,
then resumed (nothing left to do) and replayed from the store (same selections, no model)."""

import json
import re

import pytest

from codesieve.cli import main
from codesieve.cli.run_cmd import strategies
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
    assert "--debug-prompt: invalid choice: 'chat' (choose from 'conversation', 'quoted')" in capsys.readouterr().err
    assert not store.exists()


@pytest.mark.timeout(900)  # a real model on 2 shared cores: minutes when the machine is busy
def test_run_resume_replay_export_with_smollm2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as on a new machine: no runs/ folder yet, the default store paths
    store = tmp_path / "runs" / "codesieve.sqlite"
    out = tmp_path / "records.jsonl"
    assert main(["run", *SMALL, "--export", str(out)]) == 0
    assert (tmp_path / "runs" / "codesieve.exec.sqlite").exists()
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
    err = " ".join(capsys.readouterr().err.split())
    assert ("replay: sstar 1 of 1 selections identical to the original run; zero-shot 1 of 1 selections identical "
            "to the original run; majority-vote 1 of 1 selections identical to the original run") in err


# --- the first ten minutes (issue 25), on a scripted model: see conftest.py ---

def fake_run(tmp_path, *extra):
    return main(["run", "--store", str(tmp_path / "run.sqlite"), *extra])


def table_rows(out):
    """strategy -> its row's cells, from the summary table."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0] and cells[0] != "strategy":
            rows[cells[0]] = cells[1:]
    return rows


def test_the_summary_names_what_ran_and_says_what_accuracy_means(tmp_path, capsys, scripted_model):
    assert fake_run(tmp_path) == 0
    out = capsys.readouterr().out
    assert "sstar with fake-qwen2.5-coder-0.5b on humaneval: first 5 problems (HumanEval/0 to HumanEval/4); " \
           "N=8 samples, R=2 debug rounds" in " ".join(out.split())
    assert table_rows(out)["sstar"][:2] == ["3/5", "60% [15%, 95%]"]
    assert "accuracy: the share of the 5 problems whose selected program passes every hidden test" in " ".join(out.split())
    assert "elapsed: " in out and "for this command" in out


def test_limit_reports_and_exports_exactly_the_problems_asked_for(tmp_path, capsys, scripted_model):
    assert fake_run(tmp_path) == 0  # the default run: 5 problems, S*
    capsys.readouterr()
    assert fake_run(tmp_path, "--limit", "3") == 0
    assert table_rows(capsys.readouterr().out)["sstar"][0] == "2/3"
    records = tmp_path / "records.jsonl"
    assert fake_run(tmp_path, "--limit", "1", "--strategy", "zero-shot,majority-vote,sstar",
                    "--export", str(records)) == 0
    rows = table_rows(capsys.readouterr().out)
    assert {name: cells[0] for name, cells in rows.items()} == {"zero-shot": "1/1", "majority-vote": "1/1",
                                                                  "sstar": "1/1"}
    [record] = [json.loads(line) for line in records.read_text().splitlines()]
    assert record["problem_id"] == "HumanEval/0"


def test_reused_problems_count_as_solved_or_not_as_they_were(tmp_path, capsys, scripted_model):
    assert fake_run(tmp_path, "--limit", "3") == 0
    capsys.readouterr()
    assert fake_run(tmp_path) == 0  # problems 0-2 come from the store, 3-4 are new
    err = capsys.readouterr().err
    assert "HumanEval/0 (1/5) (from the store): sstar passed" in err
    assert "HumanEval/1 (2/5) (from the store): sstar failed" in err
    assert re.search(r"HumanEval/4 \(\d/5\): sstar passed", err)
    assert re.search(r"\(5/5\): sstar \w+ \| solved so far: sstar 3", err)  # 3 and 4 may finish in either order


def test_replay_compares_only_what_ran_before_and_reuses_the_shared_samples(tmp_path, capsys, scripted_model):
    assert fake_run(tmp_path) == 0
    capsys.readouterr()
    assert fake_run(tmp_path, "--replay") == 0
    assert "replay: sstar 5 of 5 selections identical to the original run" in capsys.readouterr().err
    assert fake_run(tmp_path, "--replay", "--strategy", "public-filter,majority-vote") == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "public-filter did not run in the original run (nothing to compare)" in err
    assert "majority-vote did not run in the original run" in err


def test_replaying_greedy_strategies_after_a_sampled_run_says_why_before_any_work(tmp_path, capsys, scripted_model):
    assert fake_run(tmp_path) == 0
    capsys.readouterr()
    assert fake_run(tmp_path, "--replay", "--strategy", "zero-shot,self-debug") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "--replay: zero-shot, self-debug need the greedy sample" in err
    assert "run them once without --replay" in err


@pytest.mark.parametrize("args, message", [
    (["--limit", "-2"], "argument --limit: must be 0 or more, got -2"),
    (["--rounds", "-1"], "argument --rounds: must be 0 or more, got -1"),
    (["--top-p", "7"], "argument --top-p: must be more than 0 and at most 1, got 7"),
    (["--temperature", "-1"], "argument --temperature: must be 0 or more, got -1"),
    (["-n", "0"], "argument -n: must be at least 1, got 0"),
    (["--draft-tokens", "8"], "argument --draft-tokens: must be at least 12 (llama.cpp looks up 12-token n-grams"),
    (["--benchmark", "humaneval++"], "argument --benchmark: invalid choice: 'humaneval++'"),
    (["--benchmark", "jsonl"], "--benchmark jsonl needs --data FILE: codesieve's native problem JSONL"),
    (["--base-url", "https://api.example.com/v1"],
     "https://api.example.com/v1 needs an API key: pass --api-key KEY or set OPENAI_API_KEY"),
])
def test_bad_options_name_the_flag_before_any_work(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert fake_run(tmp_path, *args) == 2
    assert message in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "run.sqlite").exists()


def test_a_server_on_this_machine_needs_no_key(monkeypatch):
    from codesieve.cli._options import api_key_for

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for url in ("http://localhost:8000/v1", "http://127.0.0.1:8080/v1", "http://[::1]:8000/v1"):
        assert api_key_for(url, None)
    assert api_key_for("https://api.example.com/v1", "sk-1") == "sk-1"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-2")
    assert api_key_for("https://api.example.com/v1", None) == "sk-2"


def test_strategy_names_fit_an_80_column_terminal(tmp_path):
    from io import StringIO

    from rich.console import Console

    from codesieve.cli.run_cmd import show_summary
    from codesieve.store import StrategyTotals

    from tests.cli.test_options import STRATEGIES as STRATEGY_NAMES

    totals = [StrategyTotals(n, 164, 100, 12345, 9876543, 123456, 1.0) for n in STRATEGY_NAMES]
    out = StringIO()
    show_summary(totals, STRATEGY_NAMES, [f"p{i}" for i in range(164)], "what ran", 10.0,
                 Console(file=out, width=80))
    text = out.getvalue()
    assert max(map(len, text.splitlines())) <= 80
    assert set(table_rows(text)) == set(STRATEGY_NAMES)  # every name whole, none cut with '…'


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_embedded_1_5b_judges_beside_the_generator(tmp_path):
    """`--judge-model qwen2.5-coder-1.5b` out of the box: a second embedded server answers the judge's calls."""
    store = tmp_path / "run.sqlite"
    args = ["run", "--model", "smollm2-135m", "--judge-model", "qwen2.5-coder-1.5b", "--limit", "1", "-n", "3",
            "--rounds", "0", "--max-tokens", "96", "--parallel", "1", "--strategy", "sstar", "--store", str(store)]
    assert main(args) == 0
    with RunStore(store) as runs:
        [(key, identity)] = runs.runs()
        assert identity["judge"] == "qwen2.5-coder-1.5b@cc324af070c2" and identity["select"]["judge"] == "predict"
        [record] = list(runs.problems(key))
    assert record.strategies["sstar"].winner
