"""A SQLite store of completions, one row per sample, so runs resume and repeat without regenerating.

A sample's key is (request key, sample index); the request key hashes the model id and everything
that shapes the output (messages or prompt, temperature, top_p, max_tokens, stop, seed, logprobs)
but not `n` or `first_index`. A request for 8 samples whose first 5 are stored therefore needs
only 3 more. Each call's samples are committed together as soon as the call returns, so a killed
run loses only the calls in flight. The database runs in WAL mode with a busy timeout; one
connection is shared by the tasks of one process (guarded by a lock for worker threads).

Schema version 1:
    meta(key, value)                          schema_version
    requests(request_key, model_id, body)     the request as JSON, for reading the store by hand
    samples(request_key, sample_index, text, finish_reason, prompt_tokens, completion_tokens,
            token_logprobs, created)          token_logprobs: float64 array bytes or NULL
    runs(run_id, model_id, started, updated, calls, prompt_tokens, completion_tokens,
         generated, cache_hits, wall_s)       accounting per run
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from array import array
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

from codesieve._sqlite import VersionedSQLite
from codesieve.errors import StoreError
from codesieve.llm.base import ChatRequest, Completion

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    request_key TEXT PRIMARY KEY, model_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS samples (
    request_key TEXT NOT NULL, sample_index INTEGER NOT NULL, text TEXT NOT NULL,
    finish_reason TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
    token_logprobs BLOB, created REAL NOT NULL, PRIMARY KEY (request_key, sample_index));
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, model_id TEXT NOT NULL, started REAL NOT NULL,
    updated REAL NOT NULL, calls INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL, generated INTEGER NOT NULL, cache_hits INTEGER NOT NULL,
    wall_s REAL NOT NULL);
"""


@dataclass(frozen=True)
class Usage:
    """What a run cost: calls to the model, tokens, samples generated vs. served from the store.

    `wall_s` counts time during which at least one call was in flight (overlaps counted once).
    """

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    generated: int = 0
    cache_hits: int = 0
    wall_s: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.completion_tokens / self.wall_s if self.wall_s else 0.0


def request_key(model_id: str, request: ChatRequest) -> str:
    """Hash of everything that shapes a sample's text, except which samples are asked for."""
    return hashlib.sha256(json.dumps(_body(model_id, request), sort_keys=True).encode()).hexdigest()


def _body(model_id: str, request: ChatRequest) -> dict[str, object]:
    body = asdict(request)
    del body["n"], body["first_index"]
    return {"model_id": model_id, **body}


class CompletionStore(VersionedSQLite):
    """Completions on disk. Open with `CompletionStore(path)`; close with `close()` or `with`."""

    KIND = "completion store"
    DDL = _SCHEMA
    SCHEMA_VERSION = SCHEMA_VERSION
    HINT = "use a new store path (or delete the old file)"

    def get(self, key: str, indices: Iterable[int]) -> dict[int, Completion]:
        """Stored samples of request `key` among `indices`, by index; marked `cached`."""
        wanted = set(indices)
        if not wanted:
            return {}
        with self._lock:
            rows = self._db.execute(
                "SELECT sample_index, text, finish_reason, prompt_tokens, completion_tokens, token_logprobs "
                "FROM samples WHERE request_key=? AND sample_index BETWEEN ? AND ?",
                (key, min(wanted), max(wanted)),
            ).fetchall()
        return {
            index: Completion(
                text=text,
                finish_reason=finish,
                index=index,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                token_logprobs=None if blob is None else tuple(array("d", blob)),
                cached=True,
            )
            for index, text, finish, prompt_tokens, completion_tokens, blob in rows
            if index in wanted
        }

    def put(self, key: str, model_id: str, request: ChatRequest, completions: Sequence[Completion]) -> None:
        """Record one call's samples (and the request, once) in a single transaction."""
        now = time.time()
        rows = [
            (
                key,
                c.index,
                c.text,
                c.finish_reason,
                c.prompt_tokens,
                c.completion_tokens,
                None if c.token_logprobs is None else array("d", c.token_logprobs).tobytes(),
                now,
            )
            for c in completions
        ]
        body = json.dumps(_body(model_id, request), sort_keys=True)
        with self._lock, self._transaction():
            self._db.execute("INSERT OR IGNORE INTO requests VALUES (?, ?, ?)", (key, model_id, body))
            self._db.executemany("INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def start_run(self, model_id: str) -> int:
        now = time.time()
        with self._lock, self._transaction():
            cur = self._db.execute(
                "INSERT INTO runs (model_id, started, updated, calls, prompt_tokens, completion_tokens, "
                "generated, cache_hits, wall_s) VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0)",
                (model_id, now, now),
            )
        return int(cur.lastrowid or 0)

    def update_run(self, run_id: int, usage: Usage) -> None:
        with self._lock, self._transaction():
            self._db.execute(
                "UPDATE runs SET updated=?, calls=?, prompt_tokens=?, completion_tokens=?, generated=?, "
                "cache_hits=?, wall_s=? WHERE run_id=?",
                (time.time(), usage.calls, usage.prompt_tokens, usage.completion_tokens, usage.generated,
                 usage.cache_hits, usage.wall_s, run_id),
            )

    def run_usage(self, run_id: int) -> Usage:
        with self._lock:
            row = self._db.execute(
                "SELECT calls, prompt_tokens, completion_tokens, generated, cache_hits, wall_s "
                "FROM runs WHERE run_id=?",
                (run_id,),
            ).fetchone()
        if row is None:
            raise StoreError(f"no run {run_id} in {self.path}")
        return Usage(*row)

    def count_samples(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    def _transaction(self) -> "sqlite3.Connection":
        self._db.execute("BEGIN IMMEDIATE")
        return self._db
