"""The bench scripts' own logic: resuming a pool file, and saving the S* run's model answers."""

from __future__ import annotations

import os
import sys

from codesieve.types import Candidate, Verdict
from codesieve.verify.pool import LabelledPool, PoolEntry, write_pool

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import make_pools  # noqa: E402
import sstar_accuracy  # noqa: E402

META = {"model": "m", "n": 2, "temperature": 1.0, "top_p": 0.95, "max_tokens": 512, "seed": 0, "sample": None,
        "sample_seed": 0}


def test_a_pool_file_resumes_only_with_the_same_settings(tmp_path):
    path = tmp_path / "p.jsonl.gz"
    assert make_pools.resumed_entries(path, META) == []
    entries = (PoolEntry(Candidate("HumanEval/0", 0, "def f(): pass\n"), False, Verdict.WRONG_ANSWER),)
    write_pool(path, LabelledPool("humaneval+", entries, {**META, "n_problems": 1, "command": "x"}))
    assert make_pools.resumed_entries(path, META) == list(entries)
    assert make_pools.resumed_entries(path, {**META, "n": 16}) == []
    assert not (tmp_path / "p.jsonl.gz.part").exists()


def test_saved_model_answers_are_restored_and_saved_in_increments(tmp_path, monkeypatch):
    from codesieve.llm import ChatRequest, Completion, CompletionStore, Message, request_key

    monkeypatch.setattr(sstar_accuracy, "SAVED", tmp_path / "saved")
    ask = [ChatRequest(messages=(Message("user", q),)) for q in ("one", "two")]
    with CompletionStore(tmp_path / "old.sqlite") as old:
        old.put(request_key("m", ask[0]), "m", ask[0], [Completion("a", "stop")])
    sstar_accuracy.restore_completions(tmp_path / "old.sqlite", save=True)
    sstar_accuracy.restore_completions(tmp_path / "old.sqlite", save=True)  # nothing new: no file
    assert [p.name for p in (tmp_path / "saved").iterdir()] == ["000.jsonl.gz"]
    with CompletionStore(tmp_path / "old.sqlite") as old:
        old.put(request_key("m", ask[1]), "m", ask[1], [Completion("b", "stop")])
    sstar_accuracy.restore_completions(tmp_path / "old.sqlite", save=True)
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == ["000.jsonl.gz", "001.jsonl.gz"]
    sstar_accuracy.restore_completions(tmp_path / "fresh.sqlite", save=False)  # another machine
    with CompletionStore(tmp_path / "fresh.sqlite") as fresh:
        assert fresh.count_samples() == 2 and fresh.get(request_key("m", ask[1]), [0])[0].text == "b"
