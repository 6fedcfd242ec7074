"""Reading benchmark files: bundled paths, JSON Lines with line numbers, checked fields, caches.

Every loader reads through here so that a missing file names its path and the expected format,
and a malformed row names the file, the line and the field.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from codesieve.errors import ProblemError
from codesieve.jsonl import read_objects

DATA_DIR = Path(__file__).parent / "data"


def bundled(filename: str) -> Path:
    """Path of a dataset file shipped inside the package (see data/NOTICE.md)."""
    return DATA_DIR / filename


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_file(path: Path, expected: str) -> Path:
    if not path.is_file():
        raise ProblemError(f"benchmark file not found: {path} (expected {expected}); check the path")
    return path


@dataclass(frozen=True)
class Row:
    """One JSON object of a JSON Lines file, with where it came from for error messages."""

    data: dict[str, Any]
    path: Path
    line: int

    def error(self, field: str, problem: str) -> ProblemError:
        return ProblemError(f"{self.path}, line {self.line}, field {field!r}: {problem}")

    def get(self, field: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        """The field's value, checked against `kind`; a missing field is an error unless defaulted."""
        if field not in self.data or (self.data[field] is None and default is not ...):
            if default is ...:
                raise self.error(field, "missing")
            return default
        value = self.data[field]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            got = "null" if value is None else type(value).__name__
            raise self.error(field, f"expected {_names(kind)}, got {got}")
        return value


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _names(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", float: "number", list: "list", dict: "object", bool: "boolean"}
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def read_jsonl(path: Path, expected: str) -> Iterator[Row]:
    """Yield each non-blank line of a JSON Lines file (gzip or plain) as a `Row`."""
    require_file(path, expected)
    for line_no, data in read_objects(path, error=ProblemError, expected=expected):
        yield Row(data, path, line_no)


def write_json_atomic(path: Path, obj: Any) -> None:
    """Write JSON so that a reader never sees half a file (caches shared by parallel runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> Any | None:
    """A cached JSON value, or None when absent or unreadable (it is then recomputed)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
