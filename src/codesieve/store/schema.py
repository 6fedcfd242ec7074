"""The run store's SQLite schema and its version.

Version history:
  1: runs (key, config), pools (candidates of one pool of one problem, as JSON),
     selections (one row per problem and strategy: the verdict, costs and the full record as JSON).

The JSON of a selection record has its own version (`codesieve.store.records.RECORD_VERSION`):
records change more often than tables, and old records are read as they were written.
"""

from __future__ import annotations

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
