"""Turning run values (candidates, results, selections) into JSON for the store and for export.

Dataclasses become dicts, enums their values, and test values (arguments, return values) go
through `codesieve.execution.codec`, so tuples, sets and non-finite floats survive the trip.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from codesieve.execution import codec
from codesieve.types import Candidate


def to_json(value: Any) -> Any:
    """A JSON-ready copy of `value`."""
    if isinstance(value, Candidate):  # its id (problem#index.round) is how records refer to it
        return {"id": value.id, **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _field(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return codec.encode(value)


def _field(name: str, value: Any) -> Any:
    if name in ("args", "expected", "value"):  # test values: keep their exact types
        return codec.encode(value)
    return to_json(value)
