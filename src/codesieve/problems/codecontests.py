"""CodeContests (DeepMind) test split, shared part (135 of 165 problems, bundled).

Programs read stdin and write stdout; tests are the public and private tests (the generated
tests of the original dataset are not available). In the bundled file 44 problems have no
private test and 5 more have private tests identical to the public ones: all 49 are graded on
their public examples, which makes pass rates optimistic. Such a problem's `hidden_tests` equal
its `public_tests`; `grades_on_public_tests` tells them apart, and loading logs how many there
are. Time limits are the problem's own, capped at 10 s.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from codesieve.problems._files import Row, bundled, read_jsonl
from codesieve.problems._reference import Runner
from codesieve.types import Problem, StdioTest, TaskKind

FORMAT = ("CodeContests JSONL (.jsonl or .jsonl.gz) with id, description, time_limit_seconds, "
          "memory_limit_bytes, public_tests and private_tests as {input: [...], output: [...]}")
DEFAULT_PATH = bundled("codecontests_test_shared.jsonl.gz")
MAX_TIME_LIMIT_S = 10.0

log = logging.getLogger("codesieve.problems")


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def prepare(problems: Sequence[Problem], path: Path, runner: Runner) -> list[Problem]:
    """Report the problems graded on their public tests only (nothing runs)."""
    weak = [p.id for p in problems if grades_on_public_tests(p)]
    if weak:
        log.warning("codecontests: %d of %d problems have no private tests of their own and are graded "
                    "on their public examples only: %s", len(weak), len(problems), ", ".join(weak))
    return list(problems)


def grades_on_public_tests(problem: Problem) -> bool:
    """True when a problem has no hidden tests of its own (its hidden tests are the public ones)."""
    return bool(problem.public_tests) and problem.hidden_tests == problem.public_tests


def _problem(row: Row) -> Problem:
    public = _tests(row, "public_tests")
    private = _tests(row, "private_tests")
    limit = row.get("time_limit_seconds", (int, float), MAX_TIME_LIMIT_S)
    memory = row.get("memory_limit_bytes", int, 256_000_000)
    if limit <= 0 or memory <= 0:
        raise row.error("time_limit_seconds" if limit <= 0 else "memory_limit_bytes", "must be positive")
    return Problem(
        id=row.get("id", str),
        prompt=row.get("description", str),
        kind=TaskKind.STDIO,
        public_tests=public,
        hidden_tests=private or public,
        time_limit_s=min(float(limit), MAX_TIME_LIMIT_S),
        memory_limit_mb=max(1, round(memory / 1_000_000)),
        benchmark="codecontests",
    )


def _tests(row: Row, field: str) -> tuple[StdioTest, ...]:
    tests = row.get(field, dict, {})
    inputs, outputs = tests.get("input", []), tests.get("output", [])
    if not (isinstance(inputs, list) and isinstance(outputs, list) and len(inputs) == len(outputs)):
        raise row.error(field, "expected {input: [...], output: [...]} with lists of equal length")
    if not all(isinstance(s, str) for s in inputs + outputs):
        raise row.error(field, "test inputs and outputs must be strings")
    return tuple(StdioTest(i, o) for i, o in zip(inputs, outputs))
