import logging

from codesieve.problems._reference import Runner, drop_failing_public_tests
from codesieve.types import CallTest, Problem, TaskKind, Verdict
from tests.problems.conftest import FakeExecutor, NoExecutor

GOOD, BAD = CallTest((1,), 2), CallTest((1,), 3)


def problem(pid: str, *tests, reference: str | None = "def f(x):\n    return x + 1\n") -> Problem:
    return Problem(id=pid, prompt="", kind=TaskKind.FUNCTION, public_tests=tests, entry_point="f",
                   reference=reference)


def judge(job, test):
    return (Verdict.PASSED if test.expected == test.args[0] + 1 else Verdict.WRONG_ANSWER), None


def test_public_tests_the_reference_fails_are_dropped_and_counted(caplog):
    fake = FakeExecutor(judge)
    problems = [problem("a", GOOD, BAD), problem("b", GOOD), problem("c", BAD, reference=None)]
    with caplog.at_level(logging.INFO, logger="codesieve.problems"), Runner(fake) as runner:
        out = drop_failing_public_tests(problems, runner, "toy")
    assert [p.public_tests for p in out] == [(GOOD,), (GOOD,), (BAD,)]
    assert "toy: dropped 1 of 3 public tests" in caplog.text
    assert all(not job.probe and not job.stop_on_fail for job in fake.jobs)


def test_verdicts_are_cached_by_content():
    problems = [problem("a", GOOD, BAD)]
    with Runner(FakeExecutor(judge)) as runner:
        first = drop_failing_public_tests(problems, runner, "toy")
    with Runner(NoExecutor()) as runner:
        assert drop_failing_public_tests(problems, runner, "toy") == first


def test_timeouts_are_not_cached():
    problems = [problem("t", GOOD, CallTest((2,), 3))]
    slow = FakeExecutor(lambda job, test: (Verdict.TIMEOUT, None))
    with Runner(slow) as runner:
        assert drop_failing_public_tests(problems, runner, "toy")[0].public_tests == ()
    again = FakeExecutor(judge)
    with Runner(again) as runner:
        assert len(drop_failing_public_tests(problems, runner, "toy")[0].public_tests) == 2
    assert again.jobs


def test_runner_starts_no_executor_when_nothing_runs():
    with Runner() as runner:
        assert runner.run([]) == []
        assert runner._executor is None
