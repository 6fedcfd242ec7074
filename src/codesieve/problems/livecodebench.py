"""LiveCodeBench `code_generation_lite` (not bundled: pass the JSONL file of a release).

Each row holds `question_id`, `question_title`, `question_content`, `platform`, `contest_id`,
`contest_date`, `starter_code`, `difficulty`, `public_test_cases` (a JSON string),
`private_test_cases` and `metadata` (a JSON string; `func_name` for LeetCode tasks).
`private_test_cases` is a JSON string, or base64 of zlib of a pickle of that JSON string. The
pickle is read by an unpickler that refuses every class, so it can yield plain strings only: a
hostile file cannot run code while loading.

Tests of type "stdin" make a STDIO task. Tests of type "functional" make a FUNCTION task: the
entry point is `Solution.<func_name>`, each input line is one JSON argument, the output is JSON,
and lists match tuples (`sequences_as_lists`). All rows of the file are loaded; pick a release
file (or `ids`) to choose the contest window.
"""

from __future__ import annotations

import base64
import io
import json
import pickle
import zlib
from pathlib import Path
from typing import Any

from codesieve.problems._files import Row, read_jsonl
from codesieve.types import CallTest, Comparison, Problem, StdioTest, TaskKind, Test

FORMAT = ("LiveCodeBench code_generation_lite JSONL with question_id, question_content, starter_code, "
          "public_test_cases, private_test_cases, metadata")
DEFAULT_PATH = None


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


class _NoClassesUnpickler(pickle.Unpickler):
    """Unpickles only primitive values: any class or function reference is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}: only plain strings are expected")


def decode_private_tests(text: str) -> Any:
    """The private tests as JSON data: plain JSON, or base64 -> zlib -> pickle -> JSON string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    payload = _NoClassesUnpickler(io.BytesIO(zlib.decompress(base64.b64decode(text, validate=True)))).load()
    if not isinstance(payload, str):
        raise ValueError(f"the pickle holds a {type(payload).__name__}, not a JSON string")
    return json.loads(payload)


def encode_private_tests(tests: list[dict[str, str]]) -> str:
    """The compressed form LiveCodeBench uses (inverse of `decode_private_tests`)."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode("ascii")


def _problem(row: Row) -> Problem:
    public = _cases(row, "public_test_cases", json.loads)
    private = _cases(row, "private_test_cases", decode_private_tests)
    kinds = {case["testtype"] for case in public + private}
    if len(kinds) != 1 or not kinds <= {"stdin", "functional"}:
        raise row.error("public_test_cases", f"expected tests all of testtype 'stdin' or all 'functional', got {sorted(kinds)}")
    starter = row.get("starter_code", str, "") or None
    common = dict(id=row.get("question_id", str), prompt=row.get("question_content", str),
                  starter_code=starter, benchmark="livecodebench")
    if kinds == {"stdin"}:
        return Problem(kind=TaskKind.STDIO, public_tests=_stdio(public), hidden_tests=_stdio(private), **common)
    func_name = _metadata(row).get("func_name")
    if not isinstance(func_name, str) or not func_name:
        raise row.error("metadata", "functional tests need metadata.func_name")
    return Problem(kind=TaskKind.FUNCTION, public_tests=_calls(row, "public_test_cases", public),
                   hidden_tests=_calls(row, "private_test_cases", private),
                   entry_point=f"Solution.{func_name}", comparison=Comparison(sequences_as_lists=True), **common)


def _cases(row: Row, field: str, parse: Any) -> list[dict[str, str]]:
    raw = row.get(field, str)
    try:
        cases = parse(raw)
    except (ValueError, TypeError, IndexError, KeyError, EOFError, zlib.error, pickle.UnpicklingError) as exc:
        raise row.error(field, f"cannot decode ({type(exc).__name__}: {exc})") from exc
    ok = isinstance(cases, list) and all(
        isinstance(c, dict) and all(isinstance(c.get(k), str) for k in ("input", "output", "testtype"))
        for c in cases
    )
    if not ok:
        raise row.error(field, "expected a list of {input, output, testtype} strings")
    return cases


def _metadata(row: Row) -> dict[str, Any]:
    try:
        meta = json.loads(row.get("metadata", str, "{}"))
    except ValueError as exc:
        raise row.error("metadata", f"not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise row.error("metadata", "expected a JSON object")
    return meta


def _stdio(cases: list[dict[str, str]]) -> tuple[Test, ...]:
    return tuple(StdioTest(c["input"], c["output"]) for c in cases)


def _calls(row: Row, field: str, cases: list[dict[str, str]]) -> tuple[Test, ...]:
    tests = []
    for case in cases:
        try:
            args = tuple(json.loads(line) for line in case["input"].split("\n") if line.strip())
            expected = json.loads(case["output"])
        except ValueError as exc:
            raise row.error(field, f"functional test input/output is not JSON ({exc})") from exc
        tests.append(CallTest(args, expected))
    return tuple(tests)
