"""Execution result cache keyed by sha256(harness version, program, tests, limits, mode).

In memory by default (bounded, least recently used out first); give a path to persist results in
SQLite so a resumed or re-scored run never executes the same program on the same tests twice.
Results larger than `max_entry_bytes` (probes returning big values) are not kept: re-running is
cheaper than a cache that grows by gigabytes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from codesieve.errors import StoreError


class ExecutionCache:
    def __init__(self, path: str | Path | None = None, max_memory_items: int = 50_000,
                 max_entry_bytes: int = 256 * 1024):
        self._mem: OrderedDict[str, str] = OrderedDict()
        self._max = max_memory_items
        self._max_entry = max_entry_bytes
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)  # a first run: no runs/ yet
                self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS exec_cache (key TEXT PRIMARY KEY, result TEXT)")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open execution cache {path}: {exc}") from exc

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._mem.get(key)
            if value is not None:
                self._mem.move_to_end(key)
            elif self._db is not None:
                row = self._db.execute("SELECT result FROM exec_cache WHERE key=?", (key,)).fetchone()
                value = row[0] if row else None
                if value is not None:
                    self._remember(key, value)
            return value

    def put(self, key: str, value: str) -> None:
        if len(value) > self._max_entry:
            return
        with self._lock:
            self._remember(key, value)
            if self._db is not None:
                self._db.execute("INSERT OR REPLACE INTO exec_cache VALUES (?, ?)", (key, value))

    def _remember(self, key: str, value: str) -> None:
        self._mem[key] = value
        self._mem.move_to_end(key)
        while len(self._mem) > self._max:
            self._mem.popitem(last=False)
