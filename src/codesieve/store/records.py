"""The run store's records: one schema, with a version, for writing and for reading back.

A selection record is written by `selection_record` and read by `read_selection` into a frozen
`SelectionRecord` whose `evidence` is the strategy's typed evidence (S*'s `SStarEvidence`, a
cascade's `CascadeEvidence`, the baselines' classes in `select.baseline_evidence`).

Record versions:
  1: strategy, winner, program, reason, trace (the evidence as JSON), cost, wall_s, passed, grade.
  2: also `version` and `evidence`, the name of the evidence's type (`EVIDENCE`), so a reader
     decodes the trace without guessing. Version-1 records are read by taking the type from the
     strategy's name; a record of a newer version is refused with a message saying so.

Values become JSON with `jsonable`: dataclasses become dicts, enums their values, and test values
(arguments, return values) go through `codesieve.execution.codec`, so tuples, sets and non-finite
floats survive the trip.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any, Mapping

from codesieve.errors import StoreError
from codesieve.execution import codec
from codesieve.select.base import Cost, Selection
from codesieve.select.baseline_evidence import CodeTEvidence, JudgeEvidence, MajorityEvidence, PublicFilterEvidence
from codesieve.select.evidence import SStarEvidence
from codesieve.types import Candidate, ExecResult
from codesieve.verify.strategy import CascadeEvidence

RECORD_VERSION = 2

# evidence type name -> class; a class with `from_json` reads itself, the others are decoded field by field
EVIDENCE: dict[str, type] = {
    "sstar": SStarEvidence, "cascade": CascadeEvidence, "majority-vote": MajorityEvidence,
    "codet": CodeTEvidence, "llm-judge": JudgeEvidence, "public-filter": PublicFilterEvidence,
}
_NAMES = {cls: name for name, cls in EVIDENCE.items()}


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of `value`."""
    if isinstance(value, Candidate):  # its id (problem#index.round) is how records refer to it
        return {"id": value.id, **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _field(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    if name in ("args", "expected", "value"):  # test values: keep their exact types
        return codec.encode(value)
    return jsonable(value)


@dataclass(frozen=True)
class SelectionRecord:
    """One strategy's stored result on one problem. `evidence` is typed when its type is known
    (else the stored JSON); `grade` is the hidden-test result as stored (JSON)."""

    problem_id: str
    strategy: str
    winner: str | None
    program: str | None
    reason: str
    evidence: Any
    cost: Cost
    wall_s: float
    passed: bool
    grade: Mapping[str, Any] | None
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
        "evidence": _NAMES.get(type(selection.trace), ""),
        "trace": jsonable(selection.trace),
        "cost": dataclasses.asdict(cost),
        "wall_s": wall_s,
        "passed": passed,
        "grade": jsonable(grade),
    }


def evidence_type(record: Mapping[str, Any]) -> str:
    """The evidence type of a stored record: named in it (version 2) or implied by the strategy."""
    if record.get("version", 1) >= 2:
        return record.get("evidence", "")
    strategy = str(record.get("strategy", ""))
    if strategy.startswith("sstar"):
        return "sstar"
    if strategy.startswith("cascade:"):
        return "cascade"
    return strategy if strategy in EVIDENCE else ""


def read_evidence(record: Mapping[str, Any]) -> Any:
    """The record's trace as its typed evidence (the raw JSON when its type is not known)."""
    trace = record.get("trace")
    cls = EVIDENCE.get(evidence_type(record))
    if cls is None or not isinstance(trace, Mapping):
        return trace
    if hasattr(cls, "from_json"):
        return cls.from_json(trace)
    return dataclass_from_json(cls, trace)


def read_selection(problem_id: str, record: Mapping[str, Any]) -> SelectionRecord:
    """A stored record (any version up to RECORD_VERSION) as a `SelectionRecord`."""
    version = record.get("version", 1)
    if not isinstance(version, int) or version > RECORD_VERSION:
        raise StoreError(f"selection record of {problem_id} has version {version!r}; this codesieve reads "
                         f"versions up to {RECORD_VERSION}: upgrade codesieve to read this store")
    try:
        cost = Cost(**record.get("cost", {}))
        return SelectionRecord(problem_id, record["strategy"], record.get("winner"), record.get("program"),
                               record.get("reason", ""), read_evidence(record), cost,
                               float(record.get("wall_s", 0.0)), bool(record.get("passed")), record.get("grade"),
                               version)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"selection record of {problem_id} cannot be read ({exc!r})") from exc


def dataclass_from_json(cls: type, data: Any) -> Any:
    """A frozen dataclass (fields: JSON types, tuples, optionals, nested dataclasses) from its JSON."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _decode_as(hints[f.name], data[f.name])
    return cls(**values)


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
    if hint is float:
        return float(value)
    return value
