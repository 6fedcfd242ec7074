"""Shared pieces for selector tests: a real executor and a small function problem with candidates."""

from __future__ import annotations

import asyncio
import re

import pytest

from codesieve.execution import Executor, Job
from codesieve.types import Attempt, CallTest, Candidate, Problem, TaskKind

DOUBLE = Problem(id="t/double", prompt="def double(x):\n    '''Return twice x.'''\n", kind=TaskKind.FUNCTION,
                 entry_point="double", starter_code="def double(x):\n    '''Return twice x.'''\n",
                 public_tests=(CallTest((1,), 2),), hidden_tests=(CallTest((1,), 2), CallTest((7,), 14)))
BODIES = ["return x * 2", "return x + x", "return x + 1", "return 2", "return x * 3",
          "return 2 if x == 1 else 1 // 0"]


@pytest.fixture(scope="session")
def executor():
    with Executor(workers=2) as ex:
        yield ex


@pytest.fixture()
def attempts(executor):
    """Candidates 0-1 correct, 2-3 wrong but pass the public test, 4 fails it, 5 crashes off it."""
    cands = [Candidate(DOUBLE.id, i, f"def double(x):\n    {b}\n") for i, b in enumerate(BODIES)]
    results = executor.run([Job.for_problem(DOUBLE, c.program, DOUBLE.public_tests, stop_on_fail=False)
                            for c in cands])
    return [Attempt(c, r) for c, r in zip(cands, results)]


def asked(request):
    """What a request asks: its last user message (the `reason` judge's request ends with the
    opening words of the answer, as an assistant message)."""
    return next(m.content for m in reversed(request.messages) if m.role == "user")


def truthful_judge(request, index):
    """Scripted model: inputs for grouping and duels; as judge, names the side that doubles (after
    its reasoning, or first when asked for the verdict first), or predicts the doubled value."""
    text = asked(request)
    if "Write 5 new test inputs" in text or "complete set of such inputs, up to 5" in text:
        return "Edge cases: zero, negative.\n```python\ndouble(0)\ndouble(5)\ndouble(-3)\n```"
    if "give different outputs" in text:
        return "```python\ndouble(10)\n```"
    if "Which outputs are correct" in text:
        first = re.search(r"Input: double\((-?\d+)\)\nA gives: (.*)\nB gives: (.*)", text)
        x, a, b = int(first.group(1)), first.group(2), first.group(3)
        return "Answer: A" if a == str(2 * x) else "Answer: B" if b == str(2 * x) else "no idea"
    if "Which program's results are correct" in text:
        x, a, b = first_case(text)
        verdict = "A" if a == str(2 * x) else "B" if b == str(2 * x) else "tie"
        return f"double({x}) should be {2 * x}. A gives {a}, B gives {b}.\n{verdict}"
    if "What does a correct `double` return" in text:
        x = int(re.search(r"for `double\((-?\d+)\)`", text).group(1))
        return f"```python\n{2 * x}\n```"
    if "test cases" in text:
        return "```python\nassert double(3) == 6\nassert double(0) == 0\nassert double(1) == 3\n```"
    if "Which program solves" in text:
        return "Program 3 looks right. Answer: 3"
    return "?"


def first_case(text):
    """(x, A's result, B's result) for the first input a pairwise judge is shown, whether each input
    comes with both results (the logprob judge) or each program's results are listed apart (reason)."""
    together = re.search(r"Input: \w+\((-?\d+)\)\nProgram A's result: (.*)\nProgram B's result: (.*)", text)
    if together:
        return int(together.group(1)), together.group(2), together.group(3)
    x = re.search(r"run on these inputs:\n1\. \w+\((-?\d+)\)", text).group(1)
    a = re.search(r"Program A's results:\n1\. (.*)", text).group(1)
    b = re.search(r"Program B's results:\n1\. (.*)", text).group(1)
    return int(x), a, b


def truthful_alternatives(request, index):
    """The first-token log-probabilities of a judge that believes `truthful_judge`'s verdict."""
    verdict = truthful_judge(request, index).splitlines()[-1]
    return (("A", -0.1), ("B", -2.4)) if verdict == "A" else (("B", -0.1), ("A", -2.4)) if verdict == "B" else \
        (("A", -0.7), ("B", -0.7))


def run(coro):
    return asyncio.run(coro)
