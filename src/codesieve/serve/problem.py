"""A chat request as a codesieve `Problem`: the last user message, and tests from one of three places.

1. The request's `codesieve.tests` (read by the problem file reader, so they take the shapes of
   docs/problem-format.md and a malformed one is named as `tests[i]`);
2. failing that, the examples written in the message (`codesieve.serve.examples`);
3. failing that, none: selection then works from behaviour on generated inputs alone.

The tests are the problem's public tests (what debugging and selection see) and also its hidden
ones, so a stored run records whether the pick passes them. A problem's id is a hash of its
content: the same task with the same tests is the same problem, and its run resumes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from codesieve.errors import ProblemError
from codesieve.problems._files import Row
from codesieve.problems.jsonl import problem_from_row, problem_to_json
from codesieve.serve.examples import read_examples
from codesieve.serve.request import ChatCall
from codesieve.types import Problem, TaskKind

BENCHMARK = "jsonl"  # served problems are stored as problem files, so `codesieve run` replays them
NO_TESTS = ("no tests were given or found in the prompt: candidates were compared by their behaviour on "
            "generated inputs")


@dataclass(frozen=True)
class ServedProblem:
    """The problem of one request, and where its tests came from: request, prompt or none."""

    problem: Problem
    tests_from: str

    @property
    def note(self) -> str:
        if self.tests_from == "request":
            return f"{len(self.problem.public_tests)} tests given in the request"
        if self.tests_from == "prompt":
            return f"{len(self.problem.public_tests)} tests read from the examples in the prompt"
        return NO_TESTS


class _RequestRow(Row):
    """The extension's fields as a problem file row whose errors name the request's field."""

    def error(self, field: str, problem: str) -> ProblemError:
        return ProblemError(f"codesieve.{field.replace('public_tests', 'tests')}: {problem}")


def served_problem(call: ChatCall) -> ServedProblem:
    """The problem `call` asks to solve; a malformed test is a `ProblemError` naming it."""
    ext = call.extension
    found = read_examples(call.task)
    if ext.tests:
        kind = ext.kind or ("stdio" if isinstance(ext.tests[0], dict) and "input" in ext.tests[0] else "function")
        entry_point = ext.entry_point or (found.entry_point if kind == "function" else None)
        row: dict[str, Any] = {"id": "", "prompt": call.task, "kind": kind, "entry_point": entry_point,
                               "public_tests": ext.tests, "hidden_tests": []}
        problem, source = problem_from_row(_RequestRow(row, Path("request"), 0)), "request"
    else:
        kind = ext.kind or found.kind
        tests = found.tests if kind == found.kind else ()
        entry_point = ext.entry_point or (found.entry_point if kind == "function" else None)
        problem = Problem(id="", prompt=call.task, kind=TaskKind(kind), public_tests=tests,
                          entry_point=entry_point, benchmark=BENCHMARK)
        source = "prompt" if tests else "none"
    problem = replace(problem, hidden_tests=problem.public_tests)
    return ServedProblem(replace(problem, id=f"chat-{_content_hash(problem)}"), source)


def _content_hash(problem: Problem) -> str:
    text = json.dumps(problem_to_json(problem), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
