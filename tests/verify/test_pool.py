import gzip
import json

import pytest

from codesieve.errors import ConfigError
from codesieve.types import Candidate, Verdict
from codesieve.verify.pool import LabelledPool, PoolEntry, read_pool, write_pool


def test_round_trip_keeps_every_field(tmp_path):
    pool = LabelledPool("humaneval+", (
        PoolEntry(Candidate("A/1", 0, "def f(): pass", round=1, raw="```f```", mean_logprob=-0.5,
                            completion_tokens=7), True, Verdict.PASSED),
        PoolEntry(Candidate("A/2", 3, "x = ("), False, Verdict.RUNTIME_ERROR),
    ), {"model": "tiny", "temperature": 1.0})
    write_pool(tmp_path / "p.jsonl.gz", pool)
    assert read_pool(tmp_path / "p.jsonl.gz") == pool
    assert list(pool.by_problem()) == ["A/1", "A/2"]
    assert pool.only(["A/2"]).entries == pool.entries[1:]


def test_plain_jsonl_is_read_too(tmp_path):
    path = tmp_path / "p.jsonl"
    rows = [{"format": "codesieve-pool", "version": 1, "benchmark": "mbpp+"},
            {"problem_id": "M/1", "index": 0, "program": "pass", "passed": False, "verdict": "wrong_answer"}]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n")
    entry = read_pool(path).entries[0]
    assert entry.candidate.mean_logprob is None and entry.verdict is Verdict.WRONG_ANSWER


@pytest.mark.parametrize("lines, message", [
    ([{"format": "other"}], "not a codesieve-pool header"),
    ([{"format": "codesieve-pool", "version": 9}], "version 9"),
    ([{"format": "codesieve-pool", "version": 1}, {"problem_id": "a", "index": "0", "program": "",
                                                   "passed": True, "verdict": "passed"}], "line 2: field 'index' must be int"),
    ([{"format": "codesieve-pool", "version": 1}, {"problem_id": "a", "index": 0, "program": "",
                                                   "passed": True, "verdict": "great"}], "unknown verdict"),
])
def test_malformed_files_name_the_problem(tmp_path, lines, message):
    path = tmp_path / "bad.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("\n".join(map(json.dumps, lines)) + "\n")
    with pytest.raises(ConfigError, match=message):
        read_pool(path)


def test_missing_and_non_json_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        read_pool(tmp_path / "nope.jsonl.gz")
    (tmp_path / "x.jsonl").write_text("{not json\n")
    with pytest.raises(ConfigError, match="line 1: not valid JSON"):
        read_pool(tmp_path / "x.jsonl")
