"""Candidate pools: many labelled programs per problem, the input of `orm` and `pareto`.

File format, version 1: gzip-compressed JSON Lines (plain JSON Lines is read too).

    line 1   {"format": "codesieve-pool", "version": 1, "benchmark": "humaneval+", "meta": {...}}
    then     one object per candidate:
             {"problem_id": "HumanEval/0", "index": 3, "round": 0, "program": "...",
              "mean_logprob": -0.21, "completion_tokens": 87, "passed": true, "verdict": "passed"}

`benchmark` names the problems for `codesieve.problems.load_benchmark`; `meta` is free-form
(generator, temperature, date). `passed` is the label: the candidate passed every hidden test;
`verdict` is the first failing test's verdict. `mean_logprob` may be null; `round` and `raw`
(the model's text) are optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from codesieve.errors import ConfigError
from codesieve.jsonl import read_objects, write_objects
from codesieve.types import Candidate, Problem, Verdict

FORMAT = "codesieve-pool"
VERSION = 1


@dataclass(frozen=True)
class PoolEntry:
    """A candidate with its label from full verification."""

    candidate: Candidate
    passed: bool
    verdict: Verdict


@dataclass(frozen=True)
class LabelledPool:
    benchmark: str
    entries: tuple[PoolEntry, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def by_problem(self) -> dict[str, list[PoolEntry]]:
        """Entries grouped by problem, problems in order of first appearance."""
        groups: dict[str, list[PoolEntry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.candidate.problem_id, []).append(entry)
        return groups

    def only(self, problem_ids: Iterable[str]) -> "LabelledPool":
        keep = set(problem_ids)
        return LabelledPool(self.benchmark, tuple(e for e in self.entries if e.candidate.problem_id in keep), self.meta)


def load_problems(pool: LabelledPool, executor: Any = None, data: str | Path | None = None) -> list[Problem]:
    """The pool's problems from its benchmark (`data` replaces the bundled file)."""
    from codesieve.problems import load_benchmark  # noqa: PLC0415 - loaders import lazily

    if not pool.benchmark:
        raise ConfigError("the pool names no benchmark; set 'benchmark' in its header line")
    return load_benchmark(pool.benchmark, data=data, ids=list(pool.by_problem()), executor=executor)


def write_pool(path: str | Path, pool: LabelledPool) -> None:
    """Write `pool` gzip-compressed; atomically, so a pool rewritten as it grows is never half written."""
    path = Path(path)
    header = {"format": FORMAT, "version": VERSION, "benchmark": pool.benchmark, "meta": dict(pool.meta)}
    write_objects(path, [header, *map(_row, pool.entries)], compress=True)


def read_pool(path: str | Path) -> LabelledPool:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"pool file not found: {path}")
    rows = read_objects(path, error=ConfigError, expected="a candidate pool")
    number, header = next(rows, (1, {}))
    if number != 1 or header.get("format") != FORMAT:
        raise ConfigError(f"{path}: line 1 is not a {FORMAT} header; write pools with codesieve.verify.write_pool")
    if header.get("version") != VERSION:
        raise ConfigError(f"{path}: pool format version {header.get('version')!r}; this codesieve reads "
                          f"version {VERSION}")
    entries = tuple(_entry(path, n, row) for n, row in rows)
    return LabelledPool(str(header.get("benchmark", "")), entries, header.get("meta") or {})


def _row(entry: PoolEntry) -> dict[str, Any]:
    c = entry.candidate
    row = {"problem_id": c.problem_id, "index": c.index, "round": c.round, "program": c.program,
           "mean_logprob": c.mean_logprob, "completion_tokens": c.completion_tokens,
           "passed": entry.passed, "verdict": str(entry.verdict)}
    if c.raw:
        row["raw"] = c.raw
    return row


def _entry(path: Path, line: int, row: dict[str, Any]) -> PoolEntry:
    def need(name: str, kind: type) -> Any:
        value = row.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{path}, line {line}: field {name!r} must be {kind.__name__}, got {value!r}")
        return value

    logprob = row.get("mean_logprob")
    if logprob is not None and not isinstance(logprob, (int, float)):
        raise ConfigError(f"{path}, line {line}: field 'mean_logprob' must be a number or null")
    try:
        verdict = Verdict(need("verdict", str))
    except ValueError as exc:
        raise ConfigError(f"{path}, line {line}: unknown verdict {row['verdict']!r}") from exc
    candidate = Candidate(
        problem_id=need("problem_id", str), index=need("index", int), program=need("program", str),
        round=row.get("round", 0), raw=row.get("raw", ""),
        mean_logprob=None if logprob is None else float(logprob),
        completion_tokens=row.get("completion_tokens", 0),
    )
    return PoolEntry(candidate, need("passed", bool), verdict)
