"""codesieve's native problem format: one JSON object per line (docs/problem-format.md).

    {"id": "add", "prompt": "Write add(a, b).", "kind": "function", "entry_point": "add",
     "public_tests": [{"args": [1, 2], "expected": 3}],
     "hidden_tests": [{"args": [2, 2], "expected": 4}, {"code": "assert add(-1, 1) == 0"}]}
    {"id": "echo", "prompt": "Print the input line.", "kind": "stdio",
     "hidden_tests": [{"input": "hi\n", "output": "hi\n"}]}

Required: `id`, `prompt`, `kind` ("function" or "stdio"), `hidden_tests` (may be empty when
nothing is to be graded). Optional: `public_tests`, `entry_point` (required by `args` tests; a
"Class.method" name instantiates the class first), `starter_code`, `completion_prefix`,
`reference`, `time_limit_s`, `memory_limit_mb`, `comparison` ({"atol", "rtol",
"sequences_as_lists"}), `benchmark` (default "jsonl").

Tests: stdio `{"input": str, "output": str}`; function `{"args": [...], "expected": value}` or
`{"code": "assert ..."}`. Values that JSON cannot hold (tuples, sets, bytes, complex, inf, dicts
with non-string keys) are written in `codesieve.execution.codec` form, e.g.
`{"§": "t", "v": [1, 2]}` for `(1, 2)`; `write_problems_jsonl` does this, so problems round-trip.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable

from codesieve.errors import ProblemError
from codesieve.execution.codec import decode, encode
from codesieve.jsonl import write_objects
from codesieve.problems._files import Row, read_jsonl
from codesieve.types import AssertTest, CallTest, Comparison, Problem, StdioTest, TaskKind, Test

FORMAT = "codesieve problem JSONL (one object per line with id, prompt, kind, hidden_tests; see docs/problem-format.md)"
DEFAULT_PATH = None

_FIELDS = {"id", "prompt", "kind", "public_tests", "hidden_tests", "entry_point", "starter_code",
           "completion_prefix", "reference", "time_limit_s", "memory_limit_mb", "comparison", "benchmark"}
_DEFAULTS = {f.name: f.default for f in fields(Problem)}


def read(path: Path) -> list[Problem]:
    problems = [problem_from_row(row) for row in read_jsonl(path, FORMAT)]
    seen: set[str] = set()
    for problem in problems:
        if problem.id in seen:
            raise ProblemError(f"{path}: problem id {problem.id!r} appears more than once; ids must be unique")
        seen.add(problem.id)
    return problems


def write_problems_jsonl(problems: Iterable[Problem], path: str | Path) -> Path:
    """Write problems in the native format (gzip if the name ends in .gz); `read` gives them back."""
    path = Path(path)
    return write_objects(path, map(problem_to_json, problems), compress=path.suffix == ".gz", error=ProblemError,
                         ensure_ascii=False, allow_nan=False)


def problem_to_json(problem: Problem) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": problem.id,
        "prompt": problem.prompt,
        "kind": str(problem.kind),
        "public_tests": [test_to_json(t) for t in problem.public_tests],
        "hidden_tests": [test_to_json(t) for t in problem.hidden_tests],
        "benchmark": problem.benchmark,
    }
    for name in ("entry_point", "starter_code", "completion_prefix", "reference", "time_limit_s", "memory_limit_mb"):
        value = getattr(problem, name)
        if value != _DEFAULTS[name]:
            obj[name] = value
    if problem.comparison != Comparison():
        c = problem.comparison
        obj["comparison"] = {"atol": c.atol, "rtol": c.rtol, "sequences_as_lists": c.sequences_as_lists}
    return obj


def test_to_json(test: Test) -> dict[str, Any]:
    if isinstance(test, StdioTest):
        return {"input": test.input, "output": test.output}
    if isinstance(test, CallTest):
        return {"args": encode(list(test.args)), "expected": encode(test.expected)}
    return {"code": test.code}


def problem_from_row(row: Row) -> Problem:
    """One problem of the native format from its row, every field checked as a problem file's is
    (`codesieve serve` reads a request's tests through it; `row.error` names the field)."""
    unknown = sorted(set(row.data) - _FIELDS)
    if unknown:
        raise row.error(unknown[0], f"unknown field; known fields: {', '.join(sorted(_FIELDS))}")
    kind_name = row.get("kind", str)
    try:
        kind = TaskKind(kind_name)
    except ValueError:
        raise row.error("kind", f"must be 'function' or 'stdio', got {kind_name!r}") from None
    entry_point = row.get("entry_point", str, None)
    public = _tests(row, "public_tests", kind, entry_point, required=False)
    hidden = _tests(row, "hidden_tests", kind, entry_point, required=True)
    time_limit = row.get("time_limit_s", (int, float), _DEFAULTS["time_limit_s"])
    memory = row.get("memory_limit_mb", int, _DEFAULTS["memory_limit_mb"])
    if time_limit <= 0:
        raise row.error("time_limit_s", "must be positive")
    if memory <= 0:
        raise row.error("memory_limit_mb", "must be positive")
    return Problem(
        id=row.get("id", str),
        prompt=row.get("prompt", str),
        kind=kind,
        public_tests=public,
        hidden_tests=hidden,
        entry_point=entry_point,
        starter_code=row.get("starter_code", str, None),
        time_limit_s=float(time_limit),
        memory_limit_mb=memory,
        comparison=_comparison(row),
        reference=row.get("reference", str, None),
        benchmark=row.get("benchmark", str, "jsonl"),
        completion_prefix=row.get("completion_prefix", str, None),
    )


def _comparison(row: Row) -> Comparison:
    spec = row.get("comparison", dict, {})
    unknown = set(spec) - {"atol", "rtol", "sequences_as_lists"}
    if unknown:
        raise row.error("comparison", f"unknown keys {sorted(unknown)}; known: atol, rtol, sequences_as_lists")
    default = Comparison()
    atol, rtol = spec.get("atol", default.atol), spec.get("rtol", default.rtol)
    as_lists = spec.get("sequences_as_lists", default.sequences_as_lists)
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in (atol, rtol)):
        raise row.error("comparison", "atol and rtol must be non-negative numbers")
    if not isinstance(as_lists, bool):
        raise row.error("comparison", "sequences_as_lists must be true or false")
    return Comparison(atol=float(atol), rtol=float(rtol), sequences_as_lists=as_lists)


def _tests(row: Row, field: str, kind: TaskKind, entry_point: str | None, *, required: bool) -> tuple[Test, ...]:
    items = row.get(field, list) if required else row.get(field, list, [])
    tests = []
    for i, item in enumerate(items):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise row.error(where, "expected an object")
        tests.append(_test(row, where, item, kind, entry_point))
    return tuple(tests)


def _test(row: Row, where: str, item: dict[str, Any], kind: TaskKind, entry_point: str | None) -> Test:
    keys = set(item)
    if kind is TaskKind.STDIO:
        if keys != {"input", "output"} or not all(isinstance(item[k], str) for k in keys):
            raise row.error(where, 'a stdio test is {"input": str, "output": str}')
        return StdioTest(item["input"], item["output"])
    if keys == {"code"} and isinstance(item["code"], str):
        return AssertTest(item["code"])
    if keys == {"args", "expected"} and isinstance(item["args"], list):
        if entry_point is None:
            raise row.error("entry_point", "required when function tests give args")
        try:
            return CallTest(tuple(decode(item["args"])), decode(item["expected"]))
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise row.error(where, f"cannot decode a codec value ({exc})") from exc
    raise row.error(where, 'a function test is {"args": [...], "expected": value} or {"code": "assert ..."}')
