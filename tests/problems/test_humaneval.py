from codesieve.execution import Job
from codesieve.problems import load_benchmark
from codesieve.problems.humaneval import DEFAULT_PATH, read
from codesieve.types import AssertTest, CallTest, TaskKind


def test_all_164_problems_with_continuation_fields():
    problems = read(DEFAULT_PATH)
    assert len(problems) == 164
    first = problems[0]
    assert first.id == "HumanEval/0" and first.kind is TaskKind.FUNCTION
    assert first.entry_point == "has_close_elements"
    assert first.starter_code == first.completion_prefix == first.prompt
    assert first.reference.startswith(first.prompt)
    assert first.hidden_tests == (AssertTest(first.hidden_tests[0].code),)
    assert first.hidden_tests[0].code.endswith("\ncheck(has_close_elements)")
    assert first.public_tests == (CallTest(([1.0, 2.0, 3.0], 0.5), False),
                                  CallTest(([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3), True))


def test_most_problems_keep_public_tests_after_the_reference_check(executor):
    problems = load_benchmark("humaneval", executor=executor)
    with_public = [p for p in problems if p.public_tests]
    assert len(with_public) >= 150  # 154 of 164 at the time of writing
    # HumanEval/47's docstring claims median([-10, 4, 6, 1000, 10, 20]) is 15.0; the reference says 8.0
    median = next(p for p in problems if p.id == "HumanEval/47")
    assert median.public_tests == (CallTest(([3, 1, 2, 4, 5],), 3),)


def test_references_pass_and_wrong_programs_fail_on_the_real_executor(executor):
    problems = load_benchmark("humaneval", ids=["HumanEval/0", "HumanEval/32", "HumanEval/113"], executor=executor)
    right = executor.run([Job.for_problem(p, p.reference, p.public_tests + p.hidden_tests) for p in problems])
    assert [r.passed for r in right] == [True, True, True]
    wrong = executor.run([Job.for_problem(p, p.completion_prefix + "    return None\n", p.hidden_tests) for p in problems])
    assert [r.passed for r in wrong] == [False, False, False]
