"""A job: one program and the tests to run it on, with its limits and comparison rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from codesieve.types import Comparison, Limits, Problem, TaskKind, Test


@dataclass(frozen=True)
class Job:
    """Run `program` on `tests`.

    `stop_on_fail` skips the remaining tests after the first failure (grading); debugging
    feedback and selection want every test. `probe` records outputs without comparing
    (generated inputs have no expected answer): each outcome is then `Verdict.OK` or a failure.
    """

    program: str
    kind: TaskKind
    tests: tuple[Test, ...]
    entry_point: str | None = None
    limits: Limits = field(default_factory=Limits)
    comparison: Comparison = field(default_factory=Comparison)
    stop_on_fail: bool = True
    probe: bool = False

    @classmethod
    def for_problem(
        cls,
        problem: Problem,
        program: str,
        tests: Sequence[Test],
        *,
        stop_on_fail: bool = True,
        probe: bool = False,
        max_time_s: float | None = None,
    ) -> "Job":
        """The problem's limits, with CPU seconds per test capped at `max_time_s` if given."""
        time_s = problem.time_limit_s if max_time_s is None else min(problem.time_limit_s, max_time_s)
        limits = Limits(time_s=time_s, memory_mb=problem.memory_limit_mb)
        return cls(
            program=program,
            kind=problem.kind,
            tests=tuple(tests),
            entry_point=problem.entry_point,
            limits=limits,
            comparison=problem.comparison,
            stop_on_fail=stop_on_fail,
            probe=probe,
        )
