from codesieve.problems.calls import ParsedTests
from codesieve.select.inputs import known_parameters, parameters, parse_inputs, parse_tests, show_input
from codesieve.select.synthesis import EDGE, GENERATED, MODEL, MUTANT, SourcedInputs
from codesieve.types import CallTest, Problem, StdioTest, TaskKind

FUNC = Problem(id="t/1", prompt="def add(a, b):\n    '''Add.'''\n", kind=TaskKind.FUNCTION, entry_point="add",
               starter_code="def add(a, b):\n    '''Add.'''\n")
ONE = Problem(id="t/2", prompt="def f(xs):\n    pass\n", kind=TaskKind.FUNCTION, entry_point="f")
STDIO = Problem(id="t/3", prompt="Read two numbers.", kind=TaskKind.STDIO)


def test_calls_in_a_python_block():
    text = "Here:\n```python\nadd(1, 2)\nadd([1, 2], 'x')\n# comment\nadd(a=1, b=3)\n```\nThanks"
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((1, 2)), CallTest(([1, 2], "x")), CallTest((1, 3)))
    assert parsed.invalid == 0


def test_asserts_prints_and_assignments_give_the_call():
    text = "assert add(1, 2) == 3\nprint(add(0, 0))\nx = add(-1, 1)\n"
    assert parse_inputs(FUNC, text, ["a", "b"]).tests == (CallTest((1, 2)), CallTest((0, 0)), CallTest((-1, 1)))


def test_invalid_inputs_are_dropped_and_counted():
    text = "```python\nadd(x, 2)\nadd(1, 2, 3)\nadd(1, 2)\nthis is prose\nadd(1, 2)\n```"
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((1, 2)),)  # duplicates removed
    assert parsed.invalid == 3


def test_multi_line_literals_and_bare_values():
    text = "```python\nf([1,\n   2,\n   3])\n[4, 5]\n(6, 7)\n```"
    parsed = parse_inputs(ONE, text, ["xs"])
    assert parsed.tests == (CallTest(([1, 2, 3],)), CallTest(([4, 5],)), CallTest(((6, 7),)))


def test_bare_tuple_is_the_argument_tuple_for_several_parameters():
    assert parse_inputs(FUNC, "(1, 2)\n", ["a", "b"]).tests == (CallTest((1, 2)),)


def test_function_definitions_are_not_counted_as_inputs():
    text = "```python\nimport math\ndef add(a, b):\n    return a + b\nadd(2, 2)\n```"
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((2, 2)),) and parsed.invalid == 0


def test_calls_inside_test_functions_and_the_main_guard_count():
    """The 0.5B often wraps its asserts in `def test_...():`; the function under test stays skipped."""
    text = ("```python\ndef add(a, b):\n    return add(a, 0)\n\ndef test_add():\n    # edges\n"
            "    assert add(-1, 1) == 0\n    assert add(0, 0) == 0\n\nif __name__ == '__main__':\n"
            "    print(add(2, 3))\n```")
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((-1, 1)), CallTest((0, 0)), CallTest((2, 3))) and parsed.invalid == 0
    cut = ("Edge cases first.\n```python\ndef test_add():\n    assert add(5, 6) == 11\n"
           "    assert add(7, [\n        8]) == 1\n    assert")
    assert parse_inputs(FUNC, cut, ["a", "b"]).tests == (CallTest((5, 6)), CallTest((7, [8])))  # cut at the cap


def test_stdio_blocks_are_raw_inputs():
    text = "First:\n```\n1 2\n```\nSecond:\n```text\n3 4\n5\n```\n```\n\n```"
    parsed = parse_inputs(STDIO, text)
    assert parsed.tests == (StdioTest("1 2\n"), StdioTest("3 4\n5\n"))
    assert parsed.invalid == 1


def test_stdio_without_blocks_counts_one_invalid():
    parsed = parse_inputs(STDIO, "just use 1 2")
    assert parsed.tests == () and parsed.invalid == 1


def test_codet_asserts_with_expected_values():
    text = "```python\nassert add(1, 2) == 3\nassert 0 == add(0, 0)\nassert add(1, 1) != 3\n```"
    parsed = parse_tests(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((1, 2), 3), CallTest((0, 0), 0))
    assert parsed.invalid == 1


def test_codet_stdio_pairs():
    text = "```input\n1 2\n```\n```output\n3\n```\n```input\n5 5\n```\n```output\n10\n```\n```input\n9\n```"
    parsed = parse_tests(STDIO, text)
    assert parsed.tests == (StdioTest("1 2\n", "3\n"), StdioTest("5 5\n", "10\n"))
    assert parsed.invalid == 1


def test_parameters_of_functions_and_methods():
    assert parameters("def add(a, b=2):\n    pass", "add") == ["a", "b"]
    assert parameters("class S:\n    def f(self, x):\n        pass", "f") == ["x"]
    assert parameters("def broken(:", "add") is None
    assert known_parameters(ONE, ["def f(ys):\n    return ys"]) == ["ys"]


def test_show_input():
    assert show_input(FUNC, CallTest((1, "a"))) == "add(1, 'a')"
    assert show_input(STDIO, StdioTest("1 2\n")) == "1 2\n"


def test_calls_may_use_variables_assigned_literals_before():
    text = "```python\nxs = [1, 2]\nk = 3\nadd(xs, k)\ny = add(xs, 0)\nadd(zs, 1)\n```"
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest(([1, 2], 3)), CallTest(([1, 2], 0)))
    assert parsed.invalid == 1  # zs is unknown


def test_a_repeated_unparsable_function_is_skipped():
    text = ('```python\ndef add(a, b):\n    """Add.\n    >>> add(1, 2)\n    3\n    """\n    return a +\n'
            "add(5, 6)\nadd(7, 8)\n```")
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((5, 6)), CallTest((7, 8)), CallTest((1, 2))) and parsed.invalid == 0


def test_doctest_calls_in_a_repeated_function_count_and_open_fences_are_ignored():
    text = ('```python\ndef add(a, b):\n    """Add.\n    >>> add(1, 2)\n    3\n    >>> add(4, 5)\n    9\n'
            "    >>> add(1")  # cut off at max_tokens: no closing fence
    parsed = parse_inputs(FUNC, text, ["a", "b"])
    assert parsed.tests == (CallTest((1, 2)), CallTest((4, 5)))
    assert parsed.invalid == 1


def test_sourced_inputs_count_what_the_grouping_dropped_per_source():
    tests = tuple(CallTest((k,)) for k in range(5))
    found = SourcedInputs(ParsedTests(tests[:1], 2), "raw", tests, (MODEL, MUTANT, MUTANT, EDGE, EDGE),
                          {MUTANT: 3, EDGE: 2})
    recorded = found.recorded((tests[0], tests[2]))
    assert recorded == {"inputs_raw": "raw", "inputs_invalid": 2, "inputs_mutated": 3, "inputs_edge": 2,
                        "inputs_generated": 0, "generator_failed": 0, "generator_raw": "", "rejected_mutated": 1,
                        "rejected_edge": 2, "rejected_generated": 0}
    assert GENERATED not in found.made
