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
    alternatives(request_key, sample_index, top)
                                              top_logprobs as JSON, for samples asked with them. Added
                                              later and created on open, so older stores gain it and
                                              older readers ignore it: the version stays 1.

`export_jsonl` / `import_jsonl` move samples between stores as gzip JSON Lines (a header line
{"format": "codesieve-completions", "version": 1, ...}, then one sample per line, logprobs as
base64 float64 so a replay ranks exactly as the original run did; `top_logprobs` where there are
any). An export can hold only the
samples created after a time, so a long run can be saved in small increments (say, committed
beside its results) and rebuilt on another machine by importing them all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import time
from array import array
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from codesieve._sqlite import VersionedSQLite
from codesieve.errors import StoreError
from codesieve.jsonl import read_objects, write_objects
from codesieve.llm.base import ChatRequest, Completion

SCHEMA_VERSION = 1
EXPORT_FORMAT = "codesieve-completions"
EXPORT_VERSION = 1
_EXPORTED = ("request_key", "model_id", "body", "sample_index", "text", "finish_reason", "prompt_tokens",
             "completion_tokens", "token_logprobs", "created")

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
_ALTERNATIVES = """
CREATE TABLE IF NOT EXISTS alternatives (
    request_key TEXT NOT NULL, sample_index INTEGER NOT NULL, top TEXT NOT NULL,
    PRIMARY KEY (request_key, sample_index));
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
    if not request.top_logprobs:  # added later: requests without it keep their keys
        del body["top_logprobs"]
    return {"model_id": model_id, **body}


def _exported(row: Sequence[Any]) -> dict[str, Any]:
    """An export line from a sample's row (`_EXPORTED`'s columns, then its top_logprobs or None)."""
    item = dict(zip(_EXPORTED, row))
    blob = item["token_logprobs"]
    item["token_logprobs"] = None if blob is None else base64.b64encode(blob).decode()
    if row[-1] is not None:
        item["top_logprobs"] = json.loads(row[-1])
    return item


def read_export(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the samples (one dict each, fields as `export_jsonl` writes them) of an
    export, every request key checked against its request; a damaged or foreign file is a
    `StoreError`."""
    path = Path(path)
    rows = read_objects(path, error=StoreError, expected="a codesieve completions export")
    _, header = next(rows, (1, {}))
    if header.get("format") != EXPORT_FORMAT:
        raise StoreError(f"{path} is not a codesieve completions export")
    if header.get("version") != EXPORT_VERSION:
        raise StoreError(f"{path} is completions export version {header.get('version')}; "
                         f"this codesieve reads {EXPORT_VERSION}")
    items = []
    for number, item in rows:
        if set(_EXPORTED) - item.keys() or not isinstance(item["body"], str):
            raise StoreError(f"{path} line {number}: not a sample with the fields {', '.join(_EXPORTED)}")
        if hashlib.sha256(item["body"].encode()).hexdigest() != item["request_key"]:
            raise StoreError(f"{path} line {number}: the request key does not match its request")
        items.append(item)
    return header, items


class CompletionStore(VersionedSQLite):
    """Completions on disk. Open with `CompletionStore(path)`; close with `close()` or `with`."""

    KIND = "completion store"
    DDL = _SCHEMA
    SCHEMA_VERSION = SCHEMA_VERSION
    HINT = "use a new store path (or delete the old file)"

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        try:
            self._db.executescript(_ALTERNATIVES)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.KIND} {self.path}: {exc}; {self.HINT}") from exc

    def get(self, key: str, indices: Iterable[int]) -> dict[int, Completion]:
        """Stored samples of request `key` among `indices`, by index; marked `cached`."""
        wanted = set(indices)
        if not wanted:
            return {}
        with self._lock:
            rows = self._db.execute(
                "SELECT s.sample_index, s.text, s.finish_reason, s.prompt_tokens, s.completion_tokens, "
                "s.token_logprobs, a.top FROM samples s LEFT JOIN alternatives a USING (request_key, sample_index) "
                "WHERE s.request_key=? AND s.sample_index BETWEEN ? AND ?",
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
                top_logprobs=None if top is None else _decode_top(top),
            )
            for index, text, finish, prompt_tokens, completion_tokens, blob, top in rows
            if index in wanted
        }

    def put(self, key: str, model_id: str, request: ChatRequest, completions: Sequence[Completion]) -> None:
        """Record one call's samples (and the request, once) in a single transaction.

        The time is taken once the write lock is held, so creation times follow commit order and
        an export of everything after a time misses nothing committed later."""
        logprobs = [None if c.token_logprobs is None else array("d", c.token_logprobs).tobytes() for c in completions]
        body = json.dumps(_body(model_id, request), sort_keys=True)
        with self._lock, self._transaction():
            now = time.time()
            rows = [(key, c.index, c.text, c.finish_reason, c.prompt_tokens, c.completion_tokens, lp, now)
                    for c, lp in zip(completions, logprobs)]
            self._db.execute("INSERT OR IGNORE INTO requests VALUES (?, ?, ?)", (key, model_id, body))
            self._db.executemany("INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany("INSERT OR REPLACE INTO alternatives VALUES (?, ?, ?)",
                                 [(key, c.index, json.dumps(c.top_logprobs)) for c in completions if c.top_logprobs])

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

    def export_jsonl(self, out: str | Path, since: float = 0.0) -> tuple[int, float]:
        """Write the samples created after `since` to `out` (atomically); return how many and the
        newest one's creation time (`since` if none), to pass as `since` next time."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.request_key, r.model_id, r.body, s.sample_index, s.text, s.finish_reason, "
                "s.prompt_tokens, s.completion_tokens, s.token_logprobs, s.created, a.top FROM samples s "
                "JOIN requests r USING (request_key) LEFT JOIN alternatives a USING (request_key, sample_index) "
                "WHERE s.created > ? ORDER BY s.created, s.request_key, s.sample_index", (since,)).fetchall()
        newest = max((row[-2] for row in rows), default=since)
        header = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "created_after": since,
                  "created_until": newest, "samples": len(rows)}
        write_objects(out, [header, *map(_exported, rows)], compress=True, error=StoreError)
        return len(rows), newest

    def import_jsonl(self, path: str | Path) -> tuple[int, float]:
        """Add the samples of an export (those already here are kept as they are); return how many
        the file holds and its `created_until`. A damaged or foreign file is refused whole."""
        header, items = read_export(path)
        requests, samples, tops = {}, [], []
        try:
            for item in items:
                if item.get("top_logprobs"):
                    tops.append((item["request_key"], item["sample_index"], json.dumps(item["top_logprobs"])))
                blob = item["token_logprobs"]
                requests[item["request_key"]] = (item["request_key"], item["model_id"], item["body"])
                samples.append((item["request_key"], item["sample_index"], item["text"], item["finish_reason"],
                                item["prompt_tokens"], item["completion_tokens"],
                                None if blob is None else base64.b64decode(blob), item["created"]))
        except (ValueError, TypeError) as exc:  # logprobs that are not base64
            raise StoreError(f"cannot read completions export {path}: {exc}") from exc
        with self._lock, self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO requests VALUES (?, ?, ?)", requests.values())
            self._db.executemany("INSERT OR IGNORE INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)", samples)
            self._db.executemany("INSERT OR IGNORE INTO alternatives VALUES (?, ?, ?)", tops)
        return len(samples), float(header.get("created_until", 0.0))

    def _transaction(self) -> "sqlite3.Connection":
        self._db.execute("BEGIN IMMEDIATE")
        return self._db


def sync_increments(store: str | Path, directory: str | Path, save: bool = False,
                    imports: Sequence[str | Path] = ()) -> tuple[Path | None, int]:
    """Import every increment (`NNN.jsonl.gz` exports) in `directory` into the completion store at
    `store`; with `save`, then write the samples created since the newest increment as the next
    one. Returns the new increment's path and its sample count ((None, 0) when nothing was new):
    how a long run's model answers are committed beside its results and replayed elsewhere.
    `imports` are other runs' increment directories to import first (never written), say answers
    a benchmark re-reads; what they hold is not saved again."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    parts = [*(p for d in imports for p in sorted(Path(d).glob("*.jsonl.gz"))), *sorted(directory.glob("*.jsonl.gz"))]
    with CompletionStore(store) as completions:
        newest = max((completions.import_jsonl(part)[1] for part in parts), default=0.0)
        if not save:
            return None, 0
        path = directory / f"{len(list(directory.glob('*.jsonl.gz'))):03d}.jsonl.gz"
        count, _ = completions.export_jsonl(path, since=newest)
    if not count:
        path.unlink()
        return None, 0
    return path, count


def _decode_top(text: str) -> tuple[tuple[tuple[str, float], ...], ...]:
    return tuple(tuple((str(token), float(lp)) for token, lp in position) for position in json.loads(text))
