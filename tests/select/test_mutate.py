from codesieve.select.mutate import added, input_mutants, stdin_mutants, variants
from codesieve.types import CallTest, Problem, StdioTest, TaskKind

from tests.select.conftest import DOUBLE


def test_variants_keep_the_type_and_differ_from_the_value():
    for value in (5, -2, 1.5, "abc", [3, 1, 2], (1, 2), {"a": 1, "b": 2}, True):
        out = variants(value)
        assert out and all(type(v) is type(value) and v != value for v in out), value
        assert len(out) == len({repr(v) for v in out})  # distinct


def test_variants_reach_the_usual_edge_cases():
    assert "" in variants("ab") and "ba" in variants("ab")
    assert [] in variants([2, 1]) and [1, 2] in variants([2, 1])
    assert 0 in variants(3) and 4 in variants(3) and 2 in variants(3)
    assert -1 not in variants(1) and -1 not in variants(0)  # a size stays a size
    assert [1, 4, 3] in variants([1, 3, 3])  # the middle element mutated
    assert variants(None) == [] and variants(object()) == []


def test_unsortable_lists_still_mutate():
    out = variants(["a", 3.14, 5])
    assert [5, 3.14, "a"] in out and [] in out


def test_mutants_are_new_bounded_and_fixed_by_the_seed():
    problem = Problem(id="t/two", prompt="", kind=TaskKind.FUNCTION, entry_point="f",
                      public_tests=(CallTest(([1, 2, 3], "x")), CallTest(([3], "yz"))))
    found = input_mutants(problem, 6, seed=0)
    assert len(found) == 6 and all(isinstance(t, CallTest) and len(t.args) == 2 for t in found)
    assert not [t for t in found if t in problem.public_tests]
    assert found == input_mutants(problem, 6, seed=0)
    assert found != input_mutants(problem, 6, seed=1)
    assert len(input_mutants(problem, 1000)) > 6 and input_mutants(problem, 0) == ()


def test_mutants_of_a_one_argument_problem():
    assert {t.args for t in input_mutants(DOUBLE, 10)} == {(2,), (0,)}


def test_stdio_problems_get_no_mutants():
    problem = Problem(id="t/io", prompt="", kind=TaskKind.STDIO, public_tests=(StdioTest("3\n1 2 3\n", "6\n"),))
    assert input_mutants(problem, 8) == ()


def test_added_keeps_order_and_drops_repeats():
    a, b, c = CallTest((1,)), CallTest((2,)), CallTest((3,))
    assert added((a, b), (b, c)) == (a, b, c)


def test_stdin_mutants_keep_every_count_consistent():
    problem = Problem(id="t/io", prompt="", kind=TaskKind.STDIO, public_tests=(StdioTest("3\n1 2 3\n", "6\n"),))
    found = [t.input for t in stdin_mutants(problem, 100)]
    assert "2\n1 2\n" in found and "4\n1 2 3 1\n" in found and "3\n3 2 1\n" in found
    assert "3\n1 2 4\n" in found and "3\n0 2 3\n" in found  # numbers that count nothing move
    for text in found:
        count, items = text.split("\n")[:2]
        assert int(count) == len(items.split()), text
    assert "3\n1 2 3\n" not in found and len(found) == len(set(found))
    assert [t.input for t in stdin_mutants(problem, 3, seed=0)] == [t.input for t in stdin_mutants(problem, 3, seed=0)]
    assert stdin_mutants(problem, 0) == () and stdin_mutants(DOUBLE, 8) == ()
