"""Running candidates on the public tests: the evidence debugging shows and selection starts from.

Simple `assert f(args) == value` lines run as call tests, so a wrong answer comes back with the
value the program actually returned; every test runs (no early stop), so feedback can show them all.
"""

from __future__ import annotations

from typing import Sequence

from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve.problems.calls import function_name, read_calls
from codesieve.types import AssertTest, Attempt, Candidate, Problem, TaskKind, Test


def public_tests(problem: Problem) -> tuple[Test, ...]:
    """The public tests as run for feedback: `assert f(args) == value` lines become call tests, so a
    wrong answer comes back with the value the program actually returned."""
    if problem.kind != TaskKind.FUNCTION:
        return problem.public_tests
    out: list[Test] = []
    for test in problem.public_tests:
        if isinstance(test, AssertTest):
            parsed = read_calls(test.code, function_name(problem), None, with_expected=True)
            if len(parsed.tests) == 1 and not parsed.invalid:
                test = parsed.tests[0]
        out.append(test)
    return tuple(out)


def public_jobs(problem: Problem, programs: Sequence[str]) -> list[Job]:
    """Jobs running each program on every public test (no early stop: feedback wants them all)."""
    tests = public_tests(problem)
    return [Job.for_problem(problem, p, tests, stop_on_fail=False) for p in programs]


async def run_public(executor: JobRunner, pairs: Sequence[tuple[Problem, Candidate]]) -> list[Attempt]:
    """Each candidate with its result on its problem's public tests (None where there are none)."""
    jobs = [(k, job) for k, (problem, cand) in enumerate(pairs) if problem.public_tests
            for job in public_jobs(problem, [cand.program])]
    results = await executor.run_async([job for _, job in jobs]) if jobs else []
    by_pair = {k: r for (k, _), r in zip(jobs, results)}
    return [Attempt(cand, by_pair.get(k)) for k, (_, cand) in enumerate(pairs)]
