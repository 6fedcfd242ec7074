"""Expected outputs from the reference (`_evalplus`), through HumanEval+ and MBPP+."""

import logging

import pytest

from codesieve.execution import Job
from codesieve.problems import load_benchmark
from codesieve.problems._evalplus import py_source
from codesieve.problems.humanevalplus import ORACLES
from codesieve.types import AssertTest, CallTest, Verdict
from tests.problems.conftest import USER_CACHE, FakeExecutor, NoExecutor

SPECIAL = ["HumanEval/32", "HumanEval/2", "HumanEval/8"]


@pytest.mark.parametrize("value", [
    [1, (2,), (), {3, 4}, frozenset(), {"a": [None, True]}, {(1, 2): b"x"}, 1 + 2j, "q'\"", 1.5,
     float("inf"), float("-inf")],
])
def test_py_source_rebuilds_plain_values(value):
    assert eval(py_source(value)) == value  # noqa: S307 - our own output


def test_nan_source():
    assert py_source(float("nan")) == "float('nan')"


def test_expected_outputs_come_from_the_reference_and_are_cached(caplog):
    def probe(job, test):
        if not job.probe:
            return Verdict.PASSED, None  # the public-test check
        if test.args == (1.33,):
            return Verdict.RUNTIME_ERROR, None
        return Verdict.OK, ("value", test.args)

    fake = FakeExecutor(probe)
    with caplog.at_level(logging.INFO, logger="codesieve.problems"):
        (problem,) = load_benchmark("humaneval+", ids=["HumanEval/2"], executor=fake)
    probes = [job for job in fake.jobs if job.probe]
    assert probes and all(job.program == problem.reference and not job.stop_on_fail for job in probes)
    assert len(problem.hidden_tests) == 974 - 1
    assert problem.hidden_tests[0] == CallTest((3.5,), ("value", (3.5,)))
    assert "could not answer 1 of 974 hidden inputs (runtime_error: 1)" in caplog.text
    again = load_benchmark("humaneval+", ids=["HumanEval/2"], executor=NoExecutor.with_public_checks())
    assert again == [problem]


def test_inputs_a_killed_process_left_unrun_are_retried():
    calls = []

    def probe(job, test):
        calls.append(len(job.tests))
        if any(t.args == (1.33,) for t in job.tests) and len(job.tests) > 1:
            return Verdict.NOT_RUN, None  # as if an earlier input had killed the process
        return Verdict.OK, 0.0

    (problem,) = load_benchmark("humaneval+", ids=["HumanEval/2"], executor=FakeExecutor(probe))
    assert len(problem.hidden_tests) == 974
    assert 1 in calls  # the last round runs inputs one by one


def test_mbpp_plus_restores_tuples_and_complex_numbers():
    fake = FakeExecutor()
    by_id = {p.id: p for p in load_benchmark("mbpp+", ids=["Mbpp/2", "Mbpp/124", "Mbpp/722"], executor=fake)}
    probed = [test.args for job in fake.jobs if job.probe for test in job.tests]
    assert ((3, 4, 5, 6), (5, 7, 4, 10)) in probed
    assert any(isinstance(args[1], complex) for args in probed if len(args) == 2 and isinstance(args[0], float))
    assert all(isinstance(v, tuple) for args in probed if isinstance(args[0], dict) for v in args[0].values())
    assert by_id["Mbpp/2"].starter_code is None and by_id["Mbpp/2"].completion_prefix is None
    assert by_id["Mbpp/2"].prompt.startswith('"""\nWrite a function to find the shared elements')
    assert by_id["Mbpp/2"].public_tests == (
        AssertTest("assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))"),)


def test_humaneval_plus_on_the_real_executor(executor):
    problems = load_benchmark("humaneval+", ids=SPECIAL, executor=executor)
    by_id = {p.id: p for p in problems}
    assert all(isinstance(t, AssertTest) for t in by_id["HumanEval/32"].hidden_tests)  # any root is right
    assert by_id["HumanEval/2"].comparison.atol == 1e-6
    right = executor.run([Job.for_problem(p, p.reference, p.hidden_tests, stop_on_fail=False) for p in problems])
    assert [r.n_passed for r in right] == [len(p.hidden_tests) for p in problems]
    any_root = ORACLES["find_zero"]("find_zero", ([-6, 11, -6, 1],), 1.0, 1e-4)  # roots 1, 2 and 3
    answers = [f"def find_zero(xs):\n    return {x}\n" for x in (3.0, 2.5)]
    results = executor.run([Job.for_problem(by_id["HumanEval/32"], a, (any_root,)) for a in answers])
    assert [r.passed for r in results] == [True, False]
    off_by = by_id["HumanEval/2"].completion_prefix + "    return number - int(number) + 1e-3\n"
    assert not executor.run([Job.for_problem(by_id["HumanEval/2"], off_by, by_id["HumanEval/2"].hidden_tests)])[0].passed


MBPP_SPECIAL = ["Mbpp/2", "Mbpp/124", "Mbpp/558", "Mbpp/581", "Mbpp/737", "Mbpp/722"]


def test_mbpp_plus_special_oracles_on_the_real_executor(executor):
    problems = load_benchmark("mbpp+", ids=MBPP_SPECIAL, executor=executor)
    right = executor.run([Job.for_problem(p, p.reference, p.public_tests + p.hidden_tests, stop_on_fail=False)
                          for p in problems])
    assert [(p.id, r.n_passed) for p, r in zip(problems, right)] == [
        (p.id, len(p.public_tests + p.hidden_tests)) for p in problems]
    similar = problems[0]
    as_list = "def similar_elements(a, b):\n    return list(set(a) & set(b))\n"
    assert executor.run([Job.for_problem(similar, as_list, similar.hidden_tests)])[0].passed  # compared as sets
    check_str = problems[4]
    as_bool = "import re\ndef check_str(s):\n    return bool(re.match('^[aeiouAEIOU]', s))\n"
    assert executor.run([Job.for_problem(check_str, as_bool, check_str.hidden_tests)])[0].passed


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", ["humaneval+", "mbpp+"])
def test_every_reference_passes_its_own_hidden_tests(name, executor, monkeypatch):
    """Computes all expected outputs once (cached in the user's cache dir), then grades them."""
    if USER_CACHE is None:
        monkeypatch.delenv("CODESIEVE_CACHE")
    else:
        monkeypatch.setenv("CODESIEVE_CACHE", USER_CACHE)
    problems = load_benchmark(name, executor=executor)
    results = executor.run([Job.for_problem(p, p.reference, p.hidden_tests, stop_on_fail=False) for p in problems])
    failing = {p.id: len(p.hidden_tests) - r.n_passed for p, r in zip(problems, results) if not r.passed}
    assert failing == {}
    kept = sum(len(p.hidden_tests) for p in problems)
    assert kept >= {"humaneval+": 124_000, "mbpp+": 40_900}[name]  # of 124,253 and 41,015 inputs
