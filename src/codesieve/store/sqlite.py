"""The run store: every problem's candidates, selections and grades, in one SQLite file.

A run is identified by a key derived from everything that changes its results except the list of
strategies, so running again with the same options resumes (finished problem/strategy pairs are
skipped) and adding a strategy later reuses the stored work. Writes are one transaction per
problem, so a killed run loses at most the problems in flight. Model completions live in a
separate completion store (`codesieve.llm.store`) next to this file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterator

from codesieve._sqlite import VersionedSQLite
from codesieve.errors import StoreError
from codesieve.jsonl import write_objects
from codesieve.store import schema
from codesieve.store.problems import ProblemRecord, read_problem
from codesieve.store.records import SelectionRecord


def run_key(config: dict[str, Any]) -> str:
    """A stable key for a run's configuration: '<benchmark>-<hash>'."""
    text = json.dumps(config, sort_keys=True, default=str)
    return f"{config.get('benchmark', 'run')}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class SelectionRow:
    """One strategy's result on one problem, with its cost and the full JSON record."""

    problem_id: str
    strategy: str
    benchmark: str
    passed: bool
    model_calls: int
    tokens: int
    executions: int
    wall_s: float
    record: dict[str, Any]


@dataclass(frozen=True)
class StrategyTotals:
    """Aggregates of one strategy over a run's finished problems."""

    strategy: str
    problems: int
    passed: int
    model_calls: int
    tokens: int
    executions: int
    wall_s: float

    @property
    def accuracy(self) -> float:
        return self.passed / self.problems if self.problems else 0.0


class RunStore(VersionedSQLite):
    """Open with `RunStore(path)` (created if missing); use as a context manager or call `close()`."""

    KIND = "run store"
    META = "run_store_meta"
    DDL = schema.DDL
    SCHEMA_VERSION = schema.SCHEMA_VERSION
    HINT = "use a new --store path (or export the old one with the codesieve that wrote it)"

    def open_run(self, key: str, config: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO run_configs VALUES (?, ?, ?)",
                             (key, json.dumps(config, sort_keys=True, default=str), time.time()))

    def runs(self) -> list[tuple[str, dict[str, Any]]]:
        """(key, config) of every run, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT run_key, config FROM run_configs ORDER BY created").fetchall()
        return [(k, json.loads(c)) for k, c in rows]

    def finished(self, key: str) -> set[tuple[str, str]]:
        """(problem_id, strategy) pairs of `key` that are done."""
        with self._lock:
            rows = self._db.execute("SELECT problem_id, strategy FROM selections WHERE run_key=?", (key,)).fetchall()
        return {(p, s) for p, s in rows}

    def save_problem(self, key: str, problem_id: str, pools: dict[str, Any], rows: list[SelectionRow]) -> None:
        """The pools and the selections of one problem, in one transaction."""
        now = time.time()
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for pool, data in pools.items():
                    self._db.execute("INSERT OR REPLACE INTO pools VALUES (?, ?, ?, ?)",
                                     (key, problem_id, pool, json.dumps(data)))
                seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM selections WHERE run_key=?",
                                       (key,)).fetchone()[0]
                for n, r in enumerate(rows, 1):
                    self._db.execute(
                        "INSERT OR REPLACE INTO selections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (key, r.problem_id, r.strategy, seq + n, r.benchmark, int(r.passed), r.model_calls,
                         r.tokens, r.executions, r.wall_s, json.dumps(r.record), now))
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"cannot write to run store {self.path}: {exc}") from exc

    def totals(self, key: str, problems: Collection[str] | None = None) -> list[StrategyTotals]:
        """Per-strategy aggregates of run `key`, over `problems` only when given (a command that
        asked for some problems reports those, not everything the run stored before)."""
        where, args = _where(key, problems)
        with self._lock:
            rows = self._db.execute(
                "SELECT strategy, COUNT(*), SUM(passed), SUM(model_calls), SUM(tokens), SUM(executions), "
                f"SUM(wall_s) FROM selections {where} GROUP BY strategy ORDER BY MIN(seq)", args).fetchall()
        return [StrategyTotals(*r) for r in rows]

    def pools_of(self, key: str) -> dict[str, set[str]]:
        """problem_id -> the pools ('greedy', 'sampled') run `key` generated for it."""
        with self._lock:
            rows = self._db.execute("SELECT problem_id, pool FROM pools WHERE run_key=?", (key,)).fetchall()
        out: dict[str, set[str]] = {}
        for problem_id, pool in rows:
            out.setdefault(problem_id, set()).add(pool)
        return out

    def discard(self, key: str, problems: Collection[str]) -> None:
        """Forget run `key`'s results for `problems` (a replay re-scores them instead of skipping them)."""
        where, args = _where(key, problems)
        with self._lock:
            with self._db:
                self._db.execute(f"DELETE FROM selections {where}", args)
                self._db.execute(f"DELETE FROM pools {where}", args)

    def results(self, key: str) -> dict[str, dict[str, bool]]:
        """strategy -> problem_id -> passed, for run `key`."""
        with self._lock:
            rows = self._db.execute("SELECT strategy, problem_id, passed FROM selections WHERE run_key=?",
                                    (key,)).fetchall()
        out: dict[str, dict[str, bool]] = {}
        for strategy, problem_id, passed in rows:
            out.setdefault(strategy, {})[problem_id] = bool(passed)
        return out

    def _stored(self, key: str | None = None, exclude: Collection[str] = (),
                problems: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
        """One dict per (run, problem), as stored and exported: its pools and every strategy's record, in finishing order;
        only `problems` when given. Problems in `exclude` (say, those a reader already has: a
        stored record never changes) are skipped before their JSON is parsed, which is most of the cost."""
        with self._lock:
            where, args = _where(key, problems) if key else ("", ())
            rows = self._db.execute(
                f"SELECT run_key, problem_id, benchmark, strategy, record FROM selections {where} "
                "ORDER BY run_key, seq", args).fetchall()
            pools = self._db.execute(f"SELECT run_key, problem_id, pool, data FROM pools {where}", args).fetchall()
        by_problem: dict[tuple[str, str], dict[str, Any]] = {}
        for run, problem_id, benchmark, strategy, record in rows:
            if problem_id in exclude:
                continue
            entry = by_problem.setdefault((run, problem_id), {"run": run, "problem_id": problem_id,
                                                              "benchmark": benchmark, "pools": {}, "strategies": {}})
            entry["strategies"][strategy] = json.loads(record)
        for run, problem_id, pool, data in pools:
            if (run, problem_id) in by_problem:
                by_problem[(run, problem_id)]["pools"][pool] = json.loads(data)
        yield from by_problem.values()

    def problems(self, key: str, problems: Collection[str] | None = None,
                 exclude: Collection[str] = ()) -> Iterator[ProblemRecord]:
        """Run `key`'s finished problems read back typed, in finishing order: their pools and every
        strategy's record (records of older versions as they were written; see `codesieve.store.records`).
        Only `problems` when given; those in `exclude` are skipped before they are read."""
        for stored in self._stored(key, exclude=exclude, problems=problems):
            yield read_problem(stored)

    def selections(self, key: str, problems: Collection[str] | None = None) -> Iterator[SelectionRecord]:
        """Every strategy's record in `problems(key, problems)`: the selections without the pools."""
        for record in self.problems(key, problems):
            yield from record.strategies.values()

    def export_jsonl(self, out: str | Path, key: str | None = None, problems: Collection[str] | None = None) -> int:
        """Write each (run, problem) as stored, as JSON lines to `out` (`RunStore.problems` reads them
        typed); return how many lines were written."""
        records = list(self._stored(key, problems=problems))
        write_objects(out, records, error=StoreError)
        return len(records)


def _where(key: str, problems: Collection[str] | None) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause for run `key`, limited to `problems` when given."""
    if problems is None:
        return "WHERE run_key=?", (key,)
    ids = tuple(problems)
    return f"WHERE run_key=? AND problem_id IN ({', '.join('?' * len(ids))})", (key, *ids)
