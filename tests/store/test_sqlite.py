import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from codesieve.errors import StoreError
from codesieve.generate.debug import Lineage
from codesieve.store import SCHEMA_VERSION, Pools, RunStore, SelectionRow, jsonable, run_key
from codesieve.types import Attempt, CallTest, Candidate, ExecResult, Verdict
from codesieve.types import TestOutcome as Outcome

FIXTURES = Path(__file__).parent / "fixtures"
# a candidate and its debug revision, as the pipeline stores a lineage
LINEAGE = Lineage((Attempt(Candidate("p1", 0, "x", raw="```x```", mean_logprob=-0.5, completion_tokens=7),
                           ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.WRONG_ANSWER, "(1, 2)", "h",
                                                                     value=(1, {2})),), wall_s=0.1)),
                   Attempt(Candidate("p1", 0, "y", round=1), None)))


def row(problem, strategy, passed):
    return SelectionRow(problem, strategy, "bench", passed, 3, 100, 5, 1.5, {"winner": f"{problem}#0.0"})


def test_resume_totals_and_export(tmp_path):
    path = tmp_path / "runs" / "store.sqlite"
    key = run_key({"benchmark": "bench", "n": 4})
    assert key.startswith("bench-") and key == run_key({"n": 4, "benchmark": "bench"})
    with RunStore(path) as store:
        store.open_run(key, {"benchmark": "bench", "n": 4})
        store.save_problem(key, "p1", {"sampled": jsonable([LINEAGE.attempts])}, [row("p1", "sstar", True),
                                                                                   row("p1", "zero-shot", False)])
        store.save_problem(key, "p2", {}, [row("p2", "sstar", False)])
    with RunStore(path) as store:  # reopened: everything is still there
        assert store.finished(key) == {("p1", "sstar"), ("p1", "zero-shot"), ("p2", "sstar")}
        totals = {t.strategy: t for t in store.totals(key)}
        assert totals["sstar"].problems == 2 and totals["sstar"].accuracy == 0.5
        assert totals["zero-shot"].model_calls == 3 and totals["zero-shot"].tokens == 100
        assert store.results(key) == {"sstar": {"p1": True, "p2": False}, "zero-shot": {"p1": False}}
        assert store.runs() == [(key, {"benchmark": "bench", "n": 4})]
        assert [r.problem_id for r in store.problems(key, exclude={"p1"})] == ["p2"]  # read only what is new
        assert [r.problem_id for r in store.problems(key, problems=["p2"])] == ["p2"]
        p1, p2 = store.problems(key)
        assert p1.pools == Pools(sampled=(LINEAGE,)) and p2.pools == Pools()  # the very attempts stored
        assert list(p1.strategies) == ["sstar", "zero-shot"] and p1.strategies["sstar"].winner == "p1#0.0"
        out = tmp_path / "export.jsonl"
        assert store.export_jsonl(out, key) == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["problem_id"] == "p1" and set(lines[0]["strategies"]) == {"sstar", "zero-shot"}
    assert lines[0]["pools"] == {"sampled": json.loads(json.dumps(jsonable([LINEAGE.attempts])))}


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
    copy = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "store-v1.sqlite", copy)
    with RunStore(copy) as store:
        [(key, config)] = store.runs()
        assert config["benchmark"] == "humaneval"
        [problem] = store.problems(key)
        assert problem.problem_id == "HumanEval/0" and problem.pools == Pools(sampled=())
        assert problem.strategies["sstar"].winner == "HumanEval/0#0.0" and problem.strategies["sstar"].version == 1


def test_a_pipeline_run_reads_back_as_it_was_written(tmp_path):
    """tests/store/fixtures/toy-run.sqlite: two runs of the pipeline (every built-in strategy, the
    real executor, a scripted model; tests/report/conftest.py) as stored before typed reading.
    Every stored value, as the export writes it, is read back typed and written again to the same JSON."""
    copy = tmp_path / "toy.sqlite"
    shutil.copy(FIXTURES / "toy-run.sqlite", copy)
    with RunStore(copy) as store:
        for key, _ in store.runs():
            store.export_jsonl(tmp_path / "export.jsonl", key)
            raw = [json.loads(line) for line in (tmp_path / "export.jsonl").read_text().splitlines()]
            typed = list(store.problems(key))
            assert [r["problem_id"] for r in raw] == [t.problem_id for t in typed] and typed
            for stored, problem in zip(raw, typed):
                pools = {name: jsonable([lin.attempts for lin in lins]) for name, lins in problem.pools.named().items()}
                assert json.loads(json.dumps(pools)) == stored["pools"]
                for name, record in problem.strategies.items():
                    assert json.loads(json.dumps(jsonable(record.grade))) == stored["strategies"][name]["grade"]
                    if record.evidence:
                        assert jsonable(record.evidence) == stored["strategies"][name]["trace"], name


def test_jsonable_keeps_test_values_exact():
    result = ExecResult(Verdict.OK, (Outcome(Verdict.OK, output="(1, 2)", value=(1, 2)),))
    data = jsonable({"cand": Candidate("p", 0, "x"), "test": CallTest(({1, 2},), float("inf")), "res": result})
    json.dumps(data)
    assert data["cand"]["program"] == "x"
    assert data["res"]["verdict"] == "ok"
    assert data["test"]["args"] != [[1, 2]]  # encoded as a tuple holding a set, not flattened
