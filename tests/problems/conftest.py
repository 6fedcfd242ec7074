import os
from typing import Callable, Sequence

import pytest

from codesieve.execution import Executor, Job
from codesieve.types import ExecResult, TestOutcome, Verdict


USER_CACHE = os.environ.get("CODESIEVE_CACHE")  # for slow tests that should compute things once


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch, tmp_path):
    """Loader caches go to a fresh folder per test (fakes must not feed later tests)."""
    monkeypatch.setenv("CODESIEVE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


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

    @staticmethod
    def with_public_checks() -> FakeExecutor:
        """Passes public-test checks, fails the test if a probe (expected-output computation) runs."""

        def verdict(job: Job, test: object) -> tuple[Verdict, object]:
            if job.probe:
                raise AssertionError("expected the expected outputs to come from the cache")
            return Verdict.PASSED, None

        return FakeExecutor(verdict)
