"""One SQLite file with a versioned schema, shared by a process's tasks: the base of codesieve's stores.

WAL mode and a busy timeout let a second process (an `export`, a resumed run) read while one
writes; one connection guarded by a lock serves the event loop and worker threads. A file written
by another schema version, or by something that is not this kind of store, is refused with a
message naming the file, rather than read wrongly.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from codesieve.errors import StoreError


class VersionedSQLite:
    """Subclasses name their `KIND` (for messages), `META` table, `DDL` and `SCHEMA_VERSION`."""

    KIND = "store"
    META = "meta"
    DDL = ""
    SCHEMA_VERSION = 1
    HINT = "use a new path (or delete the old file)"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._check_schema()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.KIND} {self.path}: {exc}; {self.HINT}") from exc
        self._lock = threading.Lock()

    def _check_schema(self) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:  # a new store; both statements are idempotent if another process races us
            self._db.executescript(self.DDL)
            self._db.execute(f"INSERT OR IGNORE INTO {self.META} VALUES ('schema_version', ?)",
                             (str(self.SCHEMA_VERSION),))
            return
        if self.META not in tables:
            raise StoreError(f"{self.path} is not a codesieve {self.KIND}; {self.HINT}")
        row = self._db.execute(f"SELECT value FROM {self.META} WHERE key='schema_version'").fetchone()
        if row is None or int(row[0]) != self.SCHEMA_VERSION:
            found = row[0] if row else "unknown"
            raise StoreError(f"{self.path} has {self.KIND} schema {found}; this codesieve reads "
                             f"{self.SCHEMA_VERSION}: {self.HINT}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
