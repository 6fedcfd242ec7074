"""Verifiers that run candidates on tests: `tests:K` (first K hidden tests), `sample:K` (K hidden
tests spread evenly over the suite), `public`, `full`.

All jobs of a call go to the executor in one batch, so both workers stay busy across problems.
Jobs stop at the first failing test: a verifier only needs pass or fail, and a wrong program
usually fails early, which is most of the saving over running whole suites. Each job costs a
few milliseconds of sandbox overhead however short it is, so checking 50 tests costs little
more than checking one.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from codesieve.execution import Job, JobRunner
from codesieve.stages import ProblemCandidates, Score
from codesieve.types import ExecResult, Problem, Test

TestPicker = Callable[[Problem], Sequence[Test]]


def _same_object(pick: TestPicker) -> TestPicker:
    """The same tuple for a problem every time: the executor encodes a test set once per object."""
    picked: dict[str, tuple[Problem, Sequence[Test]]] = {}

    def memo(problem: Problem) -> Sequence[Test]:
        hit = picked.get(problem.id)
        if hit is None or hit[0] is not problem:
            hit = picked[problem.id] = (problem, tuple(pick(problem)))
        return hit[1]

    return memo


def first_hidden(k: int) -> TestPicker:
    return _same_object(lambda problem: problem.hidden_tests[:k])


def spread_hidden(k: int) -> TestPicker:
    """K tests evenly spaced from the first to the last: suites often put hand-written tests first
    and generated edge cases later, and a sample reaches both."""

    def pick(problem: Problem) -> Sequence[Test]:
        tests = problem.hidden_tests
        if len(tests) <= k:
            return tests
        if k == 1:
            return tests[:1]
        return tuple(tests[round(i * (len(tests) - 1) / (k - 1))] for i in range(k))

    return _same_object(pick)


def all_public(problem: Problem) -> Sequence[Test]:
    return problem.public_tests


def all_hidden(problem: Problem) -> Sequence[Test]:
    return problem.hidden_tests


async def check_all(executor: JobRunner, groups: Sequence[ProblemCandidates], pick: TestPicker, *, probe: bool = False,
              missing: str = "no tests", time_s: float | None = None,
              ) -> tuple[list[list[Score]], dict[tuple[int, int], ExecResult]]:
    """Run every candidate on its problem's picked tests, all in one executor batch, with at most
    `time_s` CPU seconds per test if given (the problem's own limit if lower).

    Returns a score per candidate (kept if it ran clean; a problem with nothing picked keeps all,
    noting `missing`) and the results by (group, candidate) index. The batch's wall time is split in
    proportion to the time each job spent in its worker, so per-candidate costs include the
    executor's overhead and add up to the measured batch time.
    """
    jobs, owners = [], []
    for g, group in enumerate(groups):
        tests = tuple(pick(group.problem))
        if not tests:
            continue
        for i, candidate in enumerate(group.candidates):
            jobs.append(Job.for_problem(group.problem, candidate.program, tests, stop_on_fail=True, probe=probe,
                                        max_time_s=time_s))
            owners.append((g, i))
    start = time.perf_counter()
    results = await executor.run_async(jobs) if jobs else []
    wall = time.perf_counter() - start
    busy = sum(r.wall_s for r in results)
    scores = [[Score(True, note=missing) for _ in group.candidates] for group in groups]
    for (g, i), result in zip(owners, results):
        share = wall * result.wall_s / busy if busy > 0 else wall / len(results)
        scores[g][i] = Score(result.passed, 0.0, share, "" if result.passed else str(result.verdict))
    return scores, dict(zip(owners, results))


class TestsVerifier:
    """Keeps the candidates that pass every picked test (within `time_s` CPU seconds per test, if
    given). A problem with no such tests keeps all."""

    __test__ = False  # not a pytest class, whatever its name

    def __init__(self, executor: JobRunner, pick: TestPicker, *, time_s: float | None = None):
        self.executor = executor
        self.pick = pick
        self.time_s = time_s

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        return (await check_all(self.executor, groups, self.pick, time_s=self.time_s))[0]
