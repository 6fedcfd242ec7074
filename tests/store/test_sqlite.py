import json
import sqlite3

import pytest

from codesieve.errors import StoreError
from codesieve.store import SCHEMA_VERSION, RunStore, SelectionRow, jsonable, run_key
from codesieve.types import CallTest, Candidate, ExecResult, Verdict
from codesieve.types import TestOutcome as Outcome


def row(problem, strategy, passed):
    return SelectionRow(problem, strategy, "bench", passed, 3, 100, 5, 1.5, {"winner": f"{problem}#0.0"})


def test_resume_totals_and_export(tmp_path):
    path = tmp_path / "runs" / "store.sqlite"
    key = run_key({"benchmark": "bench", "n": 4})
    assert key.startswith("bench-") and key == run_key({"n": 4, "benchmark": "bench"})
    with RunStore(path) as store:
        store.open_run(key, {"benchmark": "bench", "n": 4})
        store.save_problem(key, "p1", {"sampled": [[{"program": "x"}]]}, [row("p1", "sstar", True),
                                                                            row("p1", "zero-shot", False)])
        store.save_problem(key, "p2", {}, [row("p2", "sstar", False)])
    with RunStore(path) as store:  # reopened: everything is still there
        assert store.finished(key) == {("p1", "sstar"), ("p1", "zero-shot"), ("p2", "sstar")}
        totals = {t.strategy: t for t in store.totals(key)}
        assert totals["sstar"].problems == 2 and totals["sstar"].accuracy == 0.5
        assert totals["zero-shot"].model_calls == 3 and totals["zero-shot"].tokens == 100
        assert store.results(key) == {"sstar": {"p1": True, "p2": False}, "zero-shot": {"p1": False}}
        assert store.runs() == [(key, {"benchmark": "bench", "n": 4})]
        assert [r["problem_id"] for r in store.records(key, exclude={"p1"})] == ["p2"]  # read only what is new
        out = tmp_path / "export.jsonl"
        assert store.export_jsonl(out, key) == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["problem_id"] == "p1" and set(lines[0]["strategies"]) == {"sstar", "zero-shot"}
    assert lines[0]["pools"] == {"sampled": [[{"program": "x"}]]}


def test_refuses_other_schema_versions_and_foreign_files(tmp_path):
    path = tmp_path / "old.sqlite"
    RunStore(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE run_store_meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema"):
        RunStore(path)
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE x (y)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a codesieve run store"):
        RunStore(other)


def test_version_1_fixture_still_opens(tmp_path):
    """A store written by schema 1, as committed in tests/store/fixtures."""
    from pathlib import Path
    import shutil
    fixture = Path(__file__).parent / "fixtures" / "store-v1.sqlite"
    copy = tmp_path / "v1.sqlite"
    shutil.copy(fixture, copy)
    with RunStore(copy) as store:
        [(key, config)] = store.runs()
        assert config["benchmark"] == "humaneval"
        assert [r["problem_id"] for r in store.records(key)] == ["HumanEval/0"]


def test_jsonable_keeps_test_values_exact():
    result = ExecResult(Verdict.OK, (Outcome(Verdict.OK, output="(1, 2)", value=(1, 2)),))
    data = jsonable({"cand": Candidate("p", 0, "x"), "test": CallTest(({1, 2},), float("inf")), "res": result})
    json.dumps(data)
    assert data["cand"]["program"] == "x"
    assert data["res"]["verdict"] == "ok"
    assert data["test"]["args"] != [[1, 2]]  # encoded as a tuple holding a set, not flattened
