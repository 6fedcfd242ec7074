import json
import logging

import pytest

from codesieve.errors import ProblemError
from codesieve.execution import Job
from codesieve.problems import grades_on_public_tests, load_benchmark
from codesieve.types import StdioTest, TaskKind
from tests.problems.conftest import NoExecutor


def row(pid="cc_x", *, private=None, **extra):
    data = {"id": pid, "description": "Print the sum of two integers.", "time_limit_seconds": 2.0,
            "memory_limit_bytes": 256000000, "public_tests": {"input": ["1 2\n"], "output": ["3\n"]},
            "private_tests": private if private is not None else {"input": ["5 6\n"], "output": ["11\n"]}}
    data.update(extra)
    return data


def write(tmp_path, *rows):
    path = tmp_path / "cc.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_bundled_split(caplog):
    with caplog.at_level(logging.WARNING, logger="codesieve.problems"):
        problems = load_benchmark("codecontests", executor=NoExecutor())
    assert len(problems) == 135
    assert all(p.kind is TaskKind.STDIO and p.public_tests and p.hidden_tests for p in problems)
    public_only = [p for p in problems if grades_on_public_tests(p)]
    assert len(public_only) == 49  # 44 without private tests, 5 whose private tests repeat the public ones
    assert "49 of 135 problems have no private tests of their own" in caplog.text
    assert all(p.time_limit_s <= 10 for p in problems)
    assert {p.memory_limit_mb for p in problems} <= {256, 512, 1024}


def test_limits_and_public_fallback(tmp_path):
    path = write(tmp_path, row("a", time_limit_seconds=25, memory_limit_bytes=512000000),
                 row("b", private={"input": [], "output": []}))
    a, b = load_benchmark("codecontests", data=path, executor=NoExecutor())
    assert (a.time_limit_s, a.memory_limit_mb) == (10.0, 512)
    assert a.hidden_tests == (StdioTest("5 6\n", "11\n"),) and not grades_on_public_tests(a)
    assert b.hidden_tests == b.public_tests == (StdioTest("1 2\n", "3\n"),) and grades_on_public_tests(b)


@pytest.mark.parametrize("change, message", [
    ({"public_tests": {"input": ["1"], "output": []}}, "field 'public_tests': expected {input"),
    ({"private_tests": {"input": [1], "output": ["1"]}}, "field 'private_tests': test inputs and outputs must be strings"),
    ({"time_limit_seconds": -1}, "field 'time_limit_seconds': must be positive"),
    ({"description": None}, "field 'description': expected string, got null"),
])
def test_malformed_rows(tmp_path, change, message):
    with pytest.raises(ProblemError, match=rf"cc\.jsonl, line 1, {message}"):
        load_benchmark("codecontests", data=write(tmp_path, row(**change)))


def test_real_executor_judges_stdio(tmp_path, executor):
    (problem,) = load_benchmark("codecontests", data=write(tmp_path, row()), executor=executor)
    right, wrong = executor.run([
        Job.for_problem(problem, "a, b = map(int, input().split())\nprint(a + b)\n", problem.hidden_tests),
        Job.for_problem(problem, "print(11 if False else 0)\n", problem.hidden_tests),
    ])
    assert right.passed and not wrong.passed
