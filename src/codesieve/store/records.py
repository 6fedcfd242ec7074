"""The run store's records: one schema, with a version, for writing and for reading back.

A selection record is written by `selection_record` and read by `read_selection` into a frozen
`SelectionRecord` whose `evidence` is the strategy's typed evidence: the type registered with the
strategy (`codesieve.stages.registry`: S*'s `SStarEvidence`, a cascade's `CascadeEvidence`, the
baselines' classes, a plugin's own).

Record versions:
  1: strategy, winner, program, reason, trace (the evidence as JSON), cost, wall_s, passed, grade.
  2: also `version` and `evidence`: a strategy registered with the evidence's type (the shortest
     such name: S*'s variants store "sstar"), so a reader decodes the trace without guessing.
     Version-1 records are read by taking the type from the strategy's name (every "sstar..."
     from S*'s); a record of a newer version is refused with a message saying so.

Values become JSON with `jsonable`: dataclasses become dicts, enums their values, and test values
(arguments, return values) go through `codesieve.execution.codec`, so tuples, sets and non-finite
floats survive the trip; `dataclass_from_json` reads them back.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Mapping, TypeVar

from codesieve.errors import StoreError
from codesieve.execution import codec
from codesieve.stages import Cost, Selection, evidence_type, registered
from codesieve.types import Candidate, ExecResult, stored_fields

RECORD_VERSION = 2
TEST_VALUES = ("args", "expected", "value")  # fields holding test values: kept exact through `codec`
T = TypeVar("T")


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of `value`."""
    if isinstance(value, Candidate):  # its id (problem#index.round) is how records refer to it
        return {"id": value.id, **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _field(f.name, getattr(value, f.name)) for f in stored_fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return codec.encode(value)


def _field(name: str, value: Any) -> Any:
    if name in TEST_VALUES:
        return codec.encode(value)
    return jsonable(value)


@dataclass(frozen=True)
class SelectionRecord:
    """One strategy's stored result on one problem. `evidence` is typed when its type is known
    (else the stored JSON); `grade` is the pick's hidden-test result (None: nothing was picked)."""

    problem_id: str
    strategy: str
    winner: str | None
    program: str | None
    reason: str
    evidence: object
    cost: Cost
    wall_s: float
    passed: bool
    grade: ExecResult | None
    version: int = RECORD_VERSION


def selection_record(strategy: str, selection: Selection, cost: Cost, wall_s: float, passed: bool,
                     grade: ExecResult | None) -> dict[str, Any]:
    """The stored form of one strategy's result (the current record version)."""
    winner = selection.winner
    return {
        "version": RECORD_VERSION,
        "strategy": strategy,
        "winner": winner.id if winner else None,
        "program": winner.program if winner else None,
        "reason": selection.reason,
        "evidence": _evidence_name(selection.trace),
        "trace": jsonable(selection.trace),
        "cost": dataclasses.asdict(cost),
        "wall_s": wall_s,
        "passed": passed,
        "grade": jsonable(grade),
    }


def _evidence_name(evidence: object) -> str:
    """The name a record stores for `evidence`'s type: the shortest strategy name registered with
    it, "" when none is (the trace is then read back as plain JSON)."""
    names = sorted(registered("strategy"), key=len)  # stable: alphabetical among equal lengths
    return next((name for name in names if evidence_type(name) is type(evidence)), "")


def read_evidence(strategy: str, record: Mapping[str, Any]) -> object:
    """The trace of `strategy`'s record as its typed evidence (the raw JSON when its type is not
    known); a type with `from_json` reads itself, the others are decoded field by field."""
    trace = record.get("trace")
    if record.get("version", 1) >= 2:
        name = record.get("evidence", "")
    else:
        name = "sstar" if strategy.startswith("sstar") else strategy
    cls = evidence_type(name) if name else None
    if cls is None or not isinstance(trace, Mapping):
        return trace
    if hasattr(cls, "from_json"):
        return cls.from_json(trace)
    return dataclass_from_json(cls, trace)


def read_selection(problem_id: str, strategy: str, record: Mapping[str, Any]) -> SelectionRecord:
    """`strategy`'s stored record (any version up to RECORD_VERSION) as a `SelectionRecord`."""
    version = record.get("version", 1)
    if not isinstance(version, int) or version > RECORD_VERSION:
        raise StoreError(f"selection record of {problem_id} has version {version!r}; this codesieve reads "
                         f"versions up to {RECORD_VERSION}: upgrade codesieve to read this store")
    try:
        cost = Cost(**record.get("cost", {}))
        grade = record.get("grade")
        return SelectionRecord(problem_id, strategy, record.get("winner"), record.get("program"),
                               record.get("reason", ""), read_evidence(strategy, record), cost,
                               float(record.get("wall_s", 0.0)), bool(record.get("passed")),
                               None if grade is None else dataclass_from_json(ExecResult, grade), version)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"selection record of {problem_id} cannot be read ({exc!r})") from exc


def dataclass_from_json(cls: type[T], data: Mapping[str, Any]) -> T:
    """A frozen dataclass (fields: JSON types, enums, tuples, optionals, nested dataclasses, test
    values) from its JSON, as `jsonable` wrote it; keys that are not fields (a candidate's id) are ignored."""
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            value = data[f.name]
            values[f.name] = codec.decode(value) if f.name in TEST_VALUES else _decode_as(hints[f.name], value)
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode_as(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode_as(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode_as(args[0], v) for v in value)
        return tuple(_decode_as(a, v) for a, v in zip(args, value))
    if dataclasses.is_dataclass(hint):
        return dataclass_from_json(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if hint is float:
        return float(value)
    return value
