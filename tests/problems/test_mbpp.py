from codesieve.execution import Job
from codesieve.problems import load_benchmark
from codesieve.problems.mbpp import DEFAULT_PATH, read
from codesieve.types import AssertTest, CallTest
from tests.problems.conftest import FakeExecutor


def test_test_split_by_default_and_any_split_by_id():
    fake = FakeExecutor()
    problems = load_benchmark("mbpp", executor=fake)
    assert len(problems) == 500
    assert (problems[0].id, problems[-1].id) == ("mbpp/11", "mbpp/510")
    assert [p.id for p in load_benchmark("mbpp", ids=["mbpp/2", "mbpp/974"], executor=fake)] == ["mbpp/2", "mbpp/974"]
    assert len(read(DEFAULT_PATH)) == 974


def test_one_visible_assert_and_all_asserts_hidden():
    p = next(p for p in read(DEFAULT_PATH) if p.id == "mbpp/11")
    assert p.prompt == ('Write a python function to remove first and last occurrence of a given character from '
                        'the string.\nassert remove_Occ("hello","l") == "heo"')
    assert p.entry_point == "remove_Occ"
    assert p.public_tests == (CallTest(("hello", "l"), "heo"),)
    assert p.hidden_tests[0] == AssertTest('assert remove_Occ("hello","l") == "heo"')
    assert len(p.hidden_tests) == 5  # 3 asserts + 2 challenge asserts
    assert "\r" not in p.reference
    assert p.starter_code is None and p.completion_prefix is None


def test_entry_point_may_shadow_a_builtin_and_setup_code_is_prepended():
    by_id = {p.id: p for p in read(DEFAULT_PATH)}
    assert by_id["mbpp/126"].entry_point == "sum"
    tree = by_id["mbpp/367"]
    assert all(t.code.startswith("root = Node(1) \nroot.left = Node(2)") for t in tree.hidden_tests)
    assert "\r" not in tree.hidden_tests[0].code
    assert tree.public_tests == (tree.hidden_tests[0],)


def test_references_pass_on_the_real_executor(executor):
    problems = load_benchmark("mbpp", ids=["mbpp/11", "mbpp/126", "mbpp/367"], executor=executor)
    results = executor.run([Job.for_problem(p, p.reference, p.public_tests + p.hidden_tests) for p in problems])
    assert [r.passed for r in results] == [True, True, True]
    wrong = executor.run([Job.for_problem(problems[0], "def remove_Occ(s, ch):\n    return s\n", problems[0].hidden_tests)])
    assert not wrong[0].passed
