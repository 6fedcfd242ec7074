"""Running reference solutions while loading, to drop the public tests they fail.

Public tests parsed from prose (docstring examples) or copied from a dataset can be wrong; a test
that the benchmark's own reference solution fails would mislead debugging and selection, so it is
dropped, counted and logged. Results are cached under the cache dir by content hash (program,
entry point and tests), so a benchmark's references run once per machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve._paths import cache_root
from codesieve.problems._files import read_json, write_json_atomic
from codesieve.problems.jsonl import test_to_json
from codesieve.types import ExecResult, Problem, Verdict

log = logging.getLogger("codesieve.problems")

# Verdicts that say something about the program rather than about the machine's load.
_STABLE = {Verdict.PASSED, Verdict.WRONG_ANSWER, Verdict.RUNTIME_ERROR}
_CACHE_VERSION = 1


class Runner:
    """Runs jobs on the caller's executor, or on one started at first use and closed on exit.

    Loading from cache then starts no sandbox at all.
    """

    def __init__(self, executor: JobRunner | None = None) -> None:
        self._executor = executor
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def run(self, jobs: Sequence[Job]) -> list[ExecResult]:
        if not jobs:
            return []
        if self._executor is None:
            from codesieve.execution import Executor  # noqa: PLC0415 - only when something must run

            self._executor = self._stack.enter_context(Executor())
        return self._executor.run(list(jobs))


def drop_failing_public_tests(problems: Sequence[Problem], runner: Runner, benchmark: str) -> list[Problem]:
    """Remove the public tests that each problem's reference fails; log how many went."""
    todo = [p for p in problems if p.reference is not None and p.public_tests]
    keys = {p.id: _public_key(p) for p in todo}
    verdicts = {p.id: _cached_verdicts(keys[p.id], len(p.public_tests)) for p in todo}
    missing = [p for p in todo if verdicts[p.id] is None]
    jobs = [Job.for_problem(p, p.reference or "", p.public_tests, stop_on_fail=False) for p in missing]
    for problem, result in zip(missing, runner.run(jobs)):
        got = [o.verdict for o in result.outcomes]
        verdicts[problem.id] = got
        if len(got) == len(problem.public_tests) and all(v in _STABLE for v in got):
            write_json_atomic(_cache_path("public", keys[problem.id]), [str(v) for v in got])
    out, dropped, total = [], 0, 0
    for problem in problems:
        got = verdicts.get(problem.id)
        if got is None:
            out.append(problem)
            continue
        keep = tuple(t for t, v in zip(problem.public_tests, got) if v == Verdict.PASSED)
        total += len(problem.public_tests)
        if len(keep) < len(problem.public_tests):
            dropped += len(problem.public_tests) - len(keep)
            log.debug("%s: reference fails %d of %d public tests; dropped", problem.id,
                      len(problem.public_tests) - len(keep), len(problem.public_tests))
        out.append(replace(problem, public_tests=keep))
    if total:
        log.info("%s: dropped %d of %d public tests that the reference solution fails", benchmark, dropped, total)
    return out


def _public_key(problem: Problem) -> str:
    return _digest([problem.reference, problem.kind, problem.entry_point, repr(problem.comparison),
                    [test_to_json(t) for t in problem.public_tests]])


def _cached_verdicts(key: str, n: int) -> list[Verdict] | None:
    cached = read_json(_cache_path("public", key))
    if not isinstance(cached, list) or len(cached) != n:
        return None
    try:
        return [Verdict(v) for v in cached]
    except ValueError:
        return None


def _cache_path(kind: str, key: str) -> Path:
    return cache_root() / "problems" / f"{kind}-v{_CACHE_VERSION}" / f"{key}.json"


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
