"""A request's JSON read into a problem: its checks, and where the tests come from."""

from __future__ import annotations

import pytest

from codesieve.errors import ProblemError
from codesieve.serve.errors import APIError
from codesieve.serve.examples import read_examples
from codesieve.serve.problem import served_problem
from codesieve.serve.request import chat_call
from codesieve.types import AssertTest, CallTest, StdioTest, TaskKind


def call(text="Write add(a, b).", model="m", **fields):
    return chat_call({"model": model, "messages": [{"role": "system", "content": "be brief"},
                                                   {"role": "user", "content": text}], **fields}, ["m"])


@pytest.mark.parametrize("body, status, says", [
    ([], 400, "must be a JSON object"),
    ({"messages": []}, 400, "'model' is required"),
    ({"model": "other", "messages": []}, 404, "does not exist"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 2}, 400, "n must be 1"),
    ({"model": "m", "messages": [{"role": "system", "content": "x"}]}, 400, "no user message"),
    ({"model": "m", "messages": "hi"}, 400, "must be a list"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "codesieve": {"test": []}}, 400,
     "unknown field codesieve.test"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "codesieve": {"n": 0}}, 400, "1 to 64"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "codesieve": {"kind": "repl"}}, 400,
     "'function' or 'stdio'"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "codesieve": {"tests": {}}}, 400,
     "codesieve.tests must be a list"),
])
def test_malformed_requests_are_refused_naming_the_field(body, status, says):
    with pytest.raises(APIError) as caught:
        chat_call(body, ["m"])
    assert caught.value.status == status and says in caught.value.message


def test_the_task_is_the_last_user_message_and_text_parts_are_joined():
    parts = [{"type": "text", "text": "Write add(a, b)."}, {"type": "image_url", "image_url": {}}]
    got = chat_call({"model": "m", "messages": [{"role": "user", "content": "old"},
                                                {"role": "user", "content": parts}], "stream": True}, ["m"])
    assert got.task == "Write add(a, b)." and got.stream and not got.include_usage


def test_tests_in_the_request_are_public_and_hidden_and_the_id_is_their_content():
    served = served_problem(call(codesieve={"tests": [{"args": [1, 2], "expected": 3},
                                                      {"code": "assert add(0, 0) == 0"}], "entry_point": "add"}))
    problem = served.problem
    assert served.tests_from == "request" and problem.kind is TaskKind.FUNCTION and problem.entry_point == "add"
    assert problem.public_tests == problem.hidden_tests == (CallTest((1, 2), 3), AssertTest("assert add(0, 0) == 0"))
    assert problem.id.startswith("chat-")
    again = served_problem(call(codesieve={"tests": [{"args": [1, 2], "expected": 3},
                                                     {"code": "assert add(0, 0) == 0"}], "entry_point": "add"}))
    other = served_problem(call(codesieve={"tests": [{"args": [1, 2], "expected": 3}], "entry_point": "add"}))
    assert again.problem.id == problem.id != other.problem.id


def test_stdio_tests_make_a_stdio_problem_and_malformed_ones_are_named():
    served = served_problem(call("Echo stdin.", codesieve={"tests": [{"input": "a\n", "output": "a\n"}]}))
    assert served.problem.kind is TaskKind.STDIO and served.problem.public_tests == (StdioTest("a\n", "a\n"),)
    with pytest.raises(ProblemError, match=r"^codesieve.tests\[1\]: a stdio test is"):
        served_problem(call(codesieve={"kind": "stdio", "tests": [{"input": "a", "output": "a"}, {"input": 1}]}))
    with pytest.raises(ProblemError, match=r"^codesieve.entry_point: required"):
        served_problem(call("Write a function.", codesieve={"tests": [{"args": [1], "expected": 1}]}))


def test_without_tests_in_the_request_the_prompt_examples_are_used_else_none():
    found = served_problem(call("Write it.\nassert add(1, 2) == 3\nassert add(0, 0) == 0"))
    assert found.tests_from == "prompt" and found.problem.entry_point == "add"
    assert found.problem.public_tests == (CallTest((1, 2), 3), CallTest((0, 0), 0))
    none = served_problem(call("Write a function that adds two numbers."))
    assert none.tests_from == "none" and none.problem.public_tests == () and "generated inputs" in none.note


def test_examples_are_read_from_docstrings_asserts_and_input_output_blocks():
    doc = read_examples('Do this:\n```python\ndef helper(x):\n    pass\n\ndef f(x):\n    """\n    >>> f(2)\n    4\n\n'
                        '    f(3) -> 9\n    """\n```\n')
    assert (doc.kind, doc.entry_point, doc.tests) == (TaskKind.FUNCTION, "f", (CallTest((2,), 4), CallTest((3,), 9)))
    stdin = read_examples("Read n from standard input.\n\nSample Input 1:\n```\n3\n1 2 3\n```\nSample Output 1:\n6\n\n"
                          "Input: 1\nOutput: 1\n")
    assert (stdin.kind, stdin.tests) == (TaskKind.STDIO, (StdioTest("3\n1 2 3\n", "6\n"), StdioTest("1\n", "1\n")))
    assert read_examples("Output the answer to every question.").tests == ()
    statement = ("Input\n\nThe first line contains the number of cases t.\n\nOutput\n\nPrint one sum per case.\n\n"
                 "Example\n\nInput\n\n\n2\n\n1 2\n\n3 4\n\n\nOutput\n\n\n3\n7\n\nNote\n\nSums.")
    assert read_examples(statement).tests == (StdioTest("2\n\n1 2\n\n3 4\n", "3\n7\n"),)  # format sections skipped
