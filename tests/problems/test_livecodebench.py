import base64
import json
import os
import pickle
import zlib

import pytest

from codesieve.errors import ProblemError
from codesieve.execution import Job
from codesieve.problems import load_benchmark
from codesieve.problems.livecodebench import decode_private_tests, encode_private_tests
from codesieve.types import CallTest, Comparison, StdioTest, TaskKind
from tests.problems.conftest import NoExecutor

TWO_SUM_STUB = "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        "
TWO_SUM = """
from typing import List

class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        seen = {}
        for i, x in enumerate(nums):
            if target - x in seen:
                return (seen[target - x], i)
            seen[x] = i
"""


def lcb_row(qid, content, tests_public, tests_private, *, starter="", metadata="{}", compress=True, **extra):
    private = encode_private_tests(tests_private) if compress else json.dumps(tests_private)
    row = {
        "question_title": qid.upper(), "question_content": content, "platform": "atcoder",
        "question_id": qid, "contest_id": qid.split("_")[0], "contest_date": "2024-05-04T00:00:00",
        "starter_code": starter, "difficulty": "easy",
        "public_test_cases": json.dumps(tests_public), "private_test_cases": private, "metadata": metadata,
    }
    row.update(extra)
    return row


def stdin_case(i, o):
    return {"input": i, "output": o, "testtype": "stdin"}


def functional_case(i, o):
    return {"input": i, "output": o, "testtype": "functional"}


@pytest.fixture
def lcb_file(tmp_path):
    rows = [
        lcb_row("abc350_a", "Print A+B.", [stdin_case("1 2\n", "3\n")],
                [stdin_case("5 5\n", "10\n"), stdin_case("0 0\n", "0\n")]),
        lcb_row("1", "Two sum.", [functional_case("[2,7,11,15]\n9", "[0, 1]")],
                [functional_case("[3,2,4]\n6", "[1, 2]"), functional_case("[3,3]\n6", "[0, 1]")],
                starter=TWO_SUM_STUB, metadata=json.dumps({"func_name": "twoSum"}), platform="leetcode"),
        lcb_row("abc350_b", "Echo.", [stdin_case("x\n", "x\n")], [stdin_case("y\n", "y\n")], compress=False),
    ]
    path = tmp_path / "lcb.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_stdin_and_functional_rows(lcb_file):
    stdin, functional, plain = load_benchmark("livecodebench", data=lcb_file, executor=NoExecutor())
    assert stdin.kind is TaskKind.STDIO and stdin.starter_code is None
    assert stdin.public_tests == (StdioTest("1 2\n", "3\n"),)
    assert stdin.hidden_tests == (StdioTest("5 5\n", "10\n"), StdioTest("0 0\n", "0\n"))
    assert functional.kind is TaskKind.FUNCTION
    assert functional.entry_point == "Solution.twoSum"
    assert functional.starter_code == TWO_SUM_STUB
    assert functional.comparison == Comparison(sequences_as_lists=True)
    assert functional.public_tests == (CallTest(([2, 7, 11, 15], 9), [0, 1]),)
    assert functional.hidden_tests == (CallTest(([3, 2, 4], 6), [1, 2]), CallTest(([3, 3], 6), [0, 1]))
    assert plain.hidden_tests == (StdioTest("y\n", "y\n"),)
    assert {p.benchmark for p in (stdin, functional, plain)} == {"livecodebench"}


def test_private_tests_round_trip():
    tests = [stdin_case("1\n" * 1000, "2\n"), functional_case("[1]", "1")]
    encoded = encode_private_tests(tests)
    assert decode_private_tests(encoded) == tests
    assert decode_private_tests(json.dumps(tests)) == tests


class Evil:
    def __reduce__(self):
        return os.system, ("touch pwned-by-pickle",)


def test_hostile_pickle_is_refused_without_running_anything(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = base64.b64encode(zlib.compress(pickle.dumps(Evil()))).decode()
    path = tmp_path / "evil.jsonl"
    row = lcb_row("abc1_a", "x", [stdin_case("1", "1")], [])
    row["private_test_cases"] = payload
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ProblemError, match=r"evil\.jsonl, line 1, field 'private_test_cases'.*refusing"):
        load_benchmark("livecodebench", data=path)
    assert not (tmp_path / "pwned-by-pickle").exists()


def test_pickle_of_something_else_than_a_string_is_refused(tmp_path):
    row = lcb_row("abc1_a", "x", [stdin_case("1", "1")], [])
    row["private_test_cases"] = base64.b64encode(zlib.compress(pickle.dumps([1, 2]))).decode()
    path = tmp_path / "l.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ProblemError, match="not a JSON string"):
        load_benchmark("livecodebench", data=path)


@pytest.mark.parametrize("change, message", [
    ({"metadata": "{}"}, "metadata.func_name"),
    ({"metadata": "{oops"}, "field 'metadata': not valid JSON"),
    ({"public_test_cases": "[{\"input\": 1}]"}, "field 'public_test_cases': expected a list of"),
    ({"private_test_cases": "not base64 or json!"}, "field 'private_test_cases': cannot decode"),
])
def test_malformed_rows(tmp_path, change, message):
    row = lcb_row("1", "x", [functional_case("[1]", "1")], [], metadata=json.dumps({"func_name": "f"}))
    row.update(change)
    path = tmp_path / "l.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ProblemError, match=message):
        load_benchmark("livecodebench", data=path)


def test_mixed_test_types_are_an_error(tmp_path):
    row = lcb_row("1", "x", [functional_case("[1]", "1")], [stdin_case("1", "1")])
    path = tmp_path / "l.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ProblemError, match="testtype"):
        load_benchmark("livecodebench", data=path)


def test_real_executor_runs_stdin_and_leetcode_solutions(lcb_file, executor):
    stdin, functional, _ = load_benchmark("livecodebench", data=lcb_file, executor=executor)
    programs = {stdin.id: "a, b = map(int, input().split())\nprint(a + b)\n", functional.id: TWO_SUM}
    jobs = [Job.for_problem(p, programs[p.id], p.public_tests + p.hidden_tests) for p in (stdin, functional)]
    results = executor.run(jobs)
    assert [r.passed for r in results] == [True, True]
    wrong = executor.run([Job.for_problem(functional, TWO_SUM.replace("(seen[target - x], i)", "[i]"),
                                          functional.hidden_tests)])
    assert not wrong[0].passed
