"""MBPP (Austin et al. 2021, original release, bundled): 974 short Python tasks with 3 asserts each.

By the usual convention the model sees one test: the prompt is the task text followed by the first
assert, which is also the public test. The hidden tests are all asserts plus the challenge asserts,
each preceded by the row's `test_setup_code`. Without `ids`, only the test split (task_ids
11-510) is loaded; `ids` ("mbpp/601", ...) may pick from any split.
"""

from __future__ import annotations

import ast
from pathlib import Path

from codesieve.problems._examples import assertion_test, called_function, quietly
from codesieve.problems._files import Row, bundled, read_jsonl
from codesieve.types import AssertTest, Problem, TaskKind

FORMAT = ("MBPP JSONL (.jsonl or .jsonl.gz) with task_id, text, code, test_list, test_setup_code, "
          "challenge_test_list")
DEFAULT_PATH = bundled("mbpp.jsonl.gz")
TEST_SPLIT = range(11, 511)


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def in_default_split(problem: Problem) -> bool:
    return int(problem.id.rsplit("/", 1)[1]) in TEST_SPLIT


def _problem(row: Row) -> Problem:
    task_id = row.get("task_id", int)
    asserts = [*row.get("test_list", list), *row.get("challenge_test_list", list, [])]
    if not row.data["test_list"] or not all(isinstance(a, str) for a in asserts):
        raise row.error("test_list", "expected a non-empty list of assert strings")
    first = asserts[0]
    reference = row.get("code", str).replace("\r\n", "\n")
    entry_point = called_function(first, _defined_functions(reference))
    if entry_point is None:
        raise row.error("test_list", f"cannot tell which function the first assert calls: {first!r}")
    setup = row.get("test_setup_code", str, "").replace("\r\n", "\n").strip()
    prefix = f"{setup}\n" if setup else ""
    return Problem(
        id=f"mbpp/{task_id}",
        prompt=f"{row.get('text', str)}\n{first}",
        kind=TaskKind.FUNCTION,
        public_tests=(assertion_test(prefix + first, entry_point),),
        hidden_tests=tuple(AssertTest(prefix + a) for a in asserts),
        entry_point=entry_point,
        reference=reference,
        benchmark="mbpp",
    )


@quietly
def _defined_functions(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
