"""CompletionStore: per-sample rows, request keys, schema versioning, run accounting."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict

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


def test_export_then_import_rebuilds_the_samples_in_increments(tmp_path):
    key, other = request_key("m", REQUEST), ChatRequest(messages=(Message("user", "bye"),))
    first = [Completion("a", "stop", index=0, prompt_tokens=5, completion_tokens=2, token_logprobs=(-0.1, -2.5e-7))]
    with CompletionStore(tmp_path / "a.sqlite") as store:
        store.put(key, "m", REQUEST, first)
        count, since = store.export_jsonl(tmp_path / "1.jsonl.gz")
        assert count == 1 and since > 0
        store.put(request_key("m", other), "m", other, [Completion("z", "stop")])
        count, newest = store.export_jsonl(tmp_path / "2.jsonl.gz", since)
        assert count == 1 and newest >= since  # only what is new
        assert store.export_jsonl(tmp_path / "3.jsonl.gz", newest) == (0, newest)
    with CompletionStore(tmp_path / "b.sqlite") as rebuilt:
        for part in ("1", "2", "3"):
            rebuilt.import_jsonl(tmp_path / f"{part}.jsonl.gz")
        rebuilt.import_jsonl(tmp_path / "1.jsonl.gz")  # again: nothing doubles
        assert rebuilt.count_samples() == 2
        got = rebuilt.get(key, [0])[0]
        assert got.token_logprobs == (-0.1, -2.5e-7) and got.text == "a" and got.completion_tokens == 2
        assert rebuilt.get(request_key("m", other), [0])[0].text == "z"


def test_import_refuses_damaged_or_foreign_files(tmp_path):
    import gzip
    import json

    with CompletionStore(tmp_path / "a.sqlite") as store:
        store.put(request_key("m", REQUEST), "m", REQUEST, [Completion("a", "stop")])
        store.export_jsonl(tmp_path / "good.jsonl.gz")
        lines = gzip.open(tmp_path / "good.jsonl.gz", "rt").read().splitlines()
    bad = dict(json.loads(lines[1]), body="{}")
    cases = {"tampered": [lines[0], json.dumps(bad)], "foreign": ['{"format": "codesieve-pool"}'],
             "newer": [json.dumps(dict(json.loads(lines[0]), version=9))]}
    with CompletionStore(tmp_path / "b.sqlite") as target:
        for name, content in cases.items():
            with gzip.open(tmp_path / f"{name}.jsonl.gz", "wt") as fh:
                fh.write("\n".join(content) + "\n")
        with pytest.raises(StoreError, match="request key does not match"):
            target.import_jsonl(tmp_path / "tampered.jsonl.gz")
        with pytest.raises(StoreError, match="not a codesieve completions export"):
            target.import_jsonl(tmp_path / "foreign.jsonl.gz")
        with pytest.raises(StoreError, match="version 9"):
            target.import_jsonl(tmp_path / "newer.jsonl.gz")
        (tmp_path / "plain.jsonl.gz").write_text("not gzip")
        with pytest.raises(StoreError, match="line 1: not valid JSON .*expected a codesieve completions export"):
            target.import_jsonl(tmp_path / "plain.jsonl.gz")
        assert target.count_samples() == 0


def test_top_logprobs_are_kept_exported_and_imported(tmp_path):
    asked = ChatRequest(messages=REQUEST.messages, max_tokens=1, logprobs=True, top_logprobs=5)
    plain = ChatRequest(messages=REQUEST.messages, max_tokens=1, logprobs=True)
    assert request_key("m", asked) != request_key("m", plain)
    body = {k: v for k, v in asdict(plain).items() if k not in ("n", "first_index", "top_logprobs")}
    before = hashlib.sha256(json.dumps({"model_id": "m", **body}, sort_keys=True).encode()).hexdigest()
    assert request_key("m", plain) == before  # requests without it keep the keys they had before it existed
    top = ((("A", -0.25), (" B", -1.5)),)
    with CompletionStore(tmp_path / "a.sqlite") as store:
        store.put(request_key("m", asked), "m", asked,
                  [Completion("A", "length", completion_tokens=1, token_logprobs=(-0.25,), top_logprobs=top)])
        assert store.get(request_key("m", asked), [0])[0].top_logprobs == top
        store.export_jsonl(tmp_path / "1.jsonl.gz")
    with CompletionStore(tmp_path / "b.sqlite") as rebuilt:
        rebuilt.import_jsonl(tmp_path / "1.jsonl.gz")
        assert rebuilt.get(request_key("m", asked), [0])[0].top_logprobs == top


def test_a_store_made_before_alternatives_opens_and_gains_them(tmp_path):
    path = tmp_path / "old.sqlite"
    with CompletionStore(path) as store:
        store.put(request_key("m", REQUEST), "m", REQUEST, [Completion("a", "stop")])
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE alternatives")
    with CompletionStore(path) as store:
        assert store.get(request_key("m", REQUEST), [0])[0].text == "a"
