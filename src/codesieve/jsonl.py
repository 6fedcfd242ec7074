"""The one JSON Lines reader and writer: problem files, candidate pools, completion exports and
generated samples all go through them.

A file may be gzip-compressed (recognised by its first bytes, whatever its name). Blank lines are
skipped; every other line must be a JSON object. Errors name the file and line (and the column
of a JSON syntax error) and are raised as the caller's error class, so a bad problem file is a
`ProblemError`, a bad pool a `ConfigError` and a damaged export a `StoreError`. Files are written
whole or not at all (to PATH.part, then renamed), so a reader never sees half a file.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Iterator

from codesieve.errors import CodesieveError, ConfigError


def read_objects(path: str | Path, *, error: type[CodesieveError] = ConfigError, expected: str = ""
                 ) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of `path`. `expected` (what the file
    should be) is added to messages about lines that are not JSON."""
    path = Path(path)
    hint = f"; expected {expected}" if expected else ""
    try:
        with open(path, "rb") as fh:
            zipped = fh.read(2) == b"\x1f\x8b"
        with (gzip.open(path, "rt", encoding="utf-8") if zipped else open(path, encoding="utf-8")) as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise error(f"{path}, line {number}: not valid JSON ({exc.msg} column {exc.colno}){hint}"
                                ) from exc
                if not isinstance(value, dict):
                    raise error(f"{path}, line {number}: expected a JSON object, got {type(value).__name__}")
                yield number, value
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {path}: {exc}{hint}") from exc


def write_objects(path: str | Path, objects: Iterable[Mapping[str, Any]], *, compress: bool = False,
                  error: type[CodesieveError] = ConfigError, **dumps: Any) -> Path:
    """Write one JSON object a line (gzip-compressed with `compress`; `dumps` go to `json.dumps`),
    atomically; a failure to write is raised as `error`, naming the file. Returns the path."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with (gzip.open(tmp, "wt", encoding="utf-8") if compress else open(tmp, "w", encoding="utf-8")) as fh:
            for obj in objects:
                fh.write(json.dumps(obj, **dumps) + "\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise error(f"cannot write {path}: {exc}") from exc
    finally:
        if tmp.exists():  # a failed write leaves nothing behind
            tmp.unlink()
    return path
