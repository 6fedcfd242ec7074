"""CompletionStore: per-sample rows, request keys, schema versioning, run accounting."""

from __future__ import annotations

import sqlite3

import pytest

from codesieve.errors import StoreError
from codesieve.llm import ChatRequest, Completion, CompletionStore, Message, Usage, request_key

REQUEST = ChatRequest(messages=(Message("user", "hi"),), n=4, temperature=0.8, seed=1)


def test_samples_round_trip_with_logprobs(tmp_path):
    key = request_key("m", REQUEST)
    with CompletionStore(tmp_path / "s.sqlite") as store:
        done = [
            Completion("a", "stop", index=0, prompt_tokens=5, completion_tokens=2, token_logprobs=(-0.25, -1e-9)),
            Completion("b", "length", index=2, prompt_tokens=5, completion_tokens=7),
        ]
        store.put(key, "m", REQUEST, done)
        got = store.get(key, range(4))
    assert sorted(got) == [0, 2]
    assert got[0].token_logprobs == (-0.25, -1e-9) and got[0].cached
    assert got[2] == Completion("b", "length", index=2, prompt_tokens=5, completion_tokens=7, cached=True)


def test_key_ignores_which_samples_but_not_what_shapes_them():
    same = ChatRequest(messages=REQUEST.messages, n=1, temperature=0.8, seed=1, first_index=3)
    assert request_key("m", REQUEST) == request_key("m", same)
    for other in (
        ChatRequest(messages=REQUEST.messages, n=4, temperature=0.7, seed=1),
        ChatRequest(messages=REQUEST.messages, n=4, temperature=0.8, seed=2),
        ChatRequest(messages=(Message("user", "hi!"),), n=4, temperature=0.8, seed=1),
    ):
        assert request_key("m", other) != request_key("m", REQUEST)
    assert request_key("other-model", REQUEST) != request_key("m", REQUEST)


def test_wal_mode_and_schema_version(tmp_path):
    path = tmp_path / "s.sqlite"
    CompletionStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema 99.*new store path"):
        CompletionStore(path)


def test_refuses_a_foreign_database(tmp_path):
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(StoreError, match="not a codesieve completion store"):
        CompletionStore(path)


def test_runs_are_accounted(tmp_path):
    with CompletionStore(tmp_path / "s.sqlite") as store:
        run = store.start_run("m")
        store.update_run(run, Usage(calls=2, prompt_tokens=10, completion_tokens=30, generated=4, cache_hits=1, wall_s=1.5))
        assert store.run_usage(run) == Usage(2, 10, 30, 4, 1, 1.5)
        assert store.start_run("m") == run + 1
