import json

import pytest

from codesieve.errors import ProblemError
from codesieve.execution import Job
from codesieve.problems import load_benchmark, write_problems_jsonl
from codesieve.problems import codecontests, humaneval, humanevalplus, mbpp, mbppplus
from codesieve.problems.jsonl import read
from codesieve.types import AssertTest, CallTest, Comparison, Problem, StdioTest, TaskKind
from tests.problems.conftest import NoExecutor

ODD_VALUES = Problem(
    id="odd", prompt="Return the pair.", kind=TaskKind.FUNCTION, entry_point="Solution.pair",
    public_tests=(CallTest(((1, 2), {3}, frozenset({4}), b"x", 1 + 2j, float("inf")), {1: (2,)}),),
    hidden_tests=(CallTest(([],), None), AssertTest("assert Solution().pair(1) == (1,)")),
    starter_code="class Solution:\n", completion_prefix="class Solution:\n", reference="class Solution: ...",
    time_limit_s=1.5, memory_limit_mb=256, comparison=Comparison(atol=1e-3, rtol=0.0, sequences_as_lists=True),
    benchmark="",
)
STDIO = Problem(id="echo", prompt="Echo.", kind=TaskKind.STDIO, hidden_tests=(StdioTest("a\n", "a\n"),))


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_problems_round_trip(tmp_path, suffix):
    path = write_problems_jsonl([ODD_VALUES, STDIO], tmp_path / f"p{suffix}")
    assert read(path) == [ODD_VALUES, STDIO]


def test_bundled_benchmarks_round_trip(tmp_path):
    for module in (humaneval, humanevalplus, mbppplus, mbpp, codecontests):
        problems = module.read(module.DEFAULT_PATH)[:40]
        path = write_problems_jsonl(problems, tmp_path / f"{module.__name__}.jsonl")
        assert read(path) == problems, module.__name__


def test_minimal_rows_get_defaults(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": "add", "prompt": "Add.", "kind": "function", "entry_point": "add",
                                "hidden_tests": [{"args": [1, 2], "expected": 3}]}) + "\n")
    (problem,) = load_benchmark("jsonl", data=path, executor=NoExecutor())
    assert problem == Problem(id="add", prompt="Add.", kind=TaskKind.FUNCTION, entry_point="add",
                              hidden_tests=(CallTest((1, 2), 3),), benchmark="jsonl")


GOOD = {"id": "a", "prompt": "p", "kind": "function", "entry_point": "f", "hidden_tests": [{"code": "assert f()"}]}


@pytest.mark.parametrize("change, message", [
    ({"hiden_tests": []}, "field 'hiden_tests': unknown field; known fields: "),
    ({"kind": "python"}, "field 'kind': must be 'function' or 'stdio', got 'python'"),
    ({"id": 3}, "field 'id': expected string, got int"),
    ({"prompt": None}, "field 'prompt': expected string, got null"),
    ({"hidden_tests": {"code": "x"}}, "field 'hidden_tests': expected list, got dict"),
    ({"hidden_tests": [{"args": [1]}]}, r"field 'hidden_tests\[0\]': a function test is"),
    ({"hidden_tests": [{"args": [1], "expected": 2}], "entry_point": None}, "field 'entry_point': required"),
    ({"public_tests": ["assert f()"]}, r"field 'public_tests\[0\]': expected an object"),
    ({"kind": "stdio", "hidden_tests": [{"input": "1"}]}, r"field 'hidden_tests\[0\]': a stdio test is \{\"input\": str, \"output\": str\}"),
    ({"time_limit_s": 0}, "field 'time_limit_s': must be positive"),
    ({"time_limit_s": True}, "field 'time_limit_s': expected integer or number, got bool"),
    ({"comparison": {"atol": -1}}, "field 'comparison': atol and rtol must be non-negative"),
    ({"comparison": {"tol": 1}}, "field 'comparison': unknown keys"),
    ({"hidden_tests": [{"args": [{"§": "zz", "v": 1}], "expected": 1}]}, r"field 'hidden_tests\[0\]': cannot decode a codec value"),
])
def test_malformed_rows_name_line_and_field(tmp_path, change, message):
    path = tmp_path / "bad.jsonl"
    row = {**GOOD, "id": "b", **change}
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(ProblemError, match=rf"bad\.jsonl, line 2, {message}"):
        read(path)


def test_missing_required_field(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({k: v for k, v in GOOD.items() if k != "hidden_tests"}) + "\n")
    with pytest.raises(ProblemError, match=r"bad\.jsonl, line 1, field 'hidden_tests': missing"):
        read(path)


def test_duplicate_ids_and_non_objects(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(GOOD) + "\n")
    with pytest.raises(ProblemError, match="'a' appears more than once"):
        read(path)
    path.write_text("[1, 2]\n")
    with pytest.raises(ProblemError, match="line 1: expected a JSON object, got list"):
        read(path)


def test_real_executor_grades_native_problems(tmp_path, executor):
    path = write_problems_jsonl([
        Problem(id="pair", prompt="", kind=TaskKind.FUNCTION, entry_point="pair",
                hidden_tests=(CallTest((1,), (1, 1)), CallTest(({2},), ({2}, {2})), AssertTest("assert pair(0) == (0, 0)")),
                reference="def pair(x):\n    return (x, x)\n"),
        STDIO,
    ], tmp_path / "native.jsonl")
    problems = load_benchmark("jsonl", data=path, executor=executor)
    programs = ["def pair(x):\n    return (x, x)\n", "print(input())\n"]
    results = executor.run([Job.for_problem(p, prog, p.hidden_tests) for p, prog in zip(problems, programs)])
    assert [r.passed for r in results] == [True, True]
    lists = executor.run([Job.for_problem(problems[0], "def pair(x):\n    return [x, x]\n", problems[0].hidden_tests)])
    assert not lists[0].passed
