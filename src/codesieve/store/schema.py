"""The run store's SQLite schema and its version.

Version history:
  1: runs (key, config), pools (candidates of one pool of one problem, as JSON),
     selections (one row per problem and strategy: the verdict, costs and the full record as JSON).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from codesieve.errors import StoreError

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS run_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_configs (
    run_key TEXT PRIMARY KEY, config TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pools (
    run_key TEXT NOT NULL, problem_id TEXT NOT NULL, pool TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (run_key, problem_id, pool));
CREATE TABLE IF NOT EXISTS selections (
    run_key TEXT NOT NULL, problem_id TEXT NOT NULL, strategy TEXT NOT NULL, seq INTEGER NOT NULL,
    benchmark TEXT NOT NULL, passed INTEGER NOT NULL, model_calls INTEGER NOT NULL, tokens INTEGER NOT NULL,
    executions INTEGER NOT NULL, wall_s REAL NOT NULL, record TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (run_key, problem_id, strategy));
"""


def check(db: sqlite3.Connection, path: Path) -> None:
    """Create the schema in a new store; refuse a store written by another schema version."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "run_store_meta" not in tables:
        raise StoreError(f"{path} is not a codesieve run store; choose another --store path")
    if "run_store_meta" in tables:
        row = db.execute("SELECT value FROM run_store_meta WHERE key='schema_version'").fetchone()
        if row is None or int(row[0]) != SCHEMA_VERSION:
            found = row[0] if row else "unknown"
            raise StoreError(f"{path} has run-store schema {found}; this codesieve reads {SCHEMA_VERSION}. "
                             "Use a new --store path (or export the old one with the codesieve that wrote it).")
        return
    db.executescript(DDL)
    db.execute("INSERT OR IGNORE INTO run_store_meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
