from typing import Callable, Sequence

import pytest

from codesieve.execution import Executor, Job
from codesieve.types import ExecResult, TestOutcome, Verdict


@pytest.fixture(scope="session")
def problems_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("codesieve-cache")


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch, problems_cache):
    """Loader caches go to a per-session folder, never to the user's ~/.cache."""
    monkeypatch.setenv("CODESIEVE_CACHE", str(problems_cache))
    return problems_cache


@pytest.fixture(scope="session")
def executor():
    with Executor() as ex:
        yield ex


class FakeExecutor:
    """Answers each test with `verdict(job, test)`; records the jobs it was given."""

    def __init__(self, verdict: Callable[[Job, object], tuple[Verdict, object]] | None = None):
        self.verdict = verdict or (lambda job, test: (Verdict.OK if job.probe else Verdict.PASSED, None))
        self.jobs: list[Job] = []

    def run(self, jobs: Sequence[Job]) -> list[ExecResult]:
        self.jobs.extend(jobs)
        results = []
        for job in jobs:
            outcomes = []
            for test in job.tests:
                verdict, value = self.verdict(job, test)
                outcomes.append(TestOutcome(verdict, value=value))
            results.append(ExecResult(Verdict.PASSED, tuple(outcomes)))
        return results


class NoExecutor:
    """Fails the test if anything is run (checks that caches are used)."""

    def run(self, jobs: Sequence[Job]) -> list[ExecResult]:
        if jobs:
            raise AssertionError(f"expected nothing to run, got {len(jobs)} jobs")
        return []
