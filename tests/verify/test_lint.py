import asyncio

from codesieve.stages import ProblemCandidates
from codesieve.types import Problem, TaskKind
from codesieve.verify.lint import LintVerifier, fatal_lint, top_level_names
from codesieve.verify.syntax import parse

from tests.verify.conftest import ADD, cands


def test_fatal_findings_prune_and_warnings_do_not():
    group = ProblemCandidates(ADD, cands(
        ADD,
        "import os\ndef add(a, b):\n    unused = 1\n    return a + b\n",  # only warnings
        "def add(a, b):\n    return a + c\n",  # undefined name
        "def plus(a, b):\n    return a + b\n",  # no entry point
        "def add(a, b):\n    return a +\n",  # does not parse
    ))
    [scores] = asyncio.run(LintVerifier().check([group]))
    assert [s.keep for s in scores] == [True, False, False, False]
    assert "undefined name 'c'" in scores[1].note
    assert "entry point 'add'" in scores[2].note


def test_entry_point_may_be_a_class_method_or_an_import():
    problem = Problem("p", "", TaskKind.FUNCTION, entry_point="Solution.solve")
    assert fatal_lint(problem, "class Solution:\n    def solve(self):\n        return 1\n") == ""
    assert top_level_names(parse("from math import gcd as g\nimport os.path\nx: int = 1\n")) == {"g", "os", "x"}


def test_stdio_programs_need_no_entry_point():
    problem = Problem("p", "", TaskKind.STDIO)
    assert fatal_lint(problem, "print(int(input()) * 2)\n") == ""


def test_findings_in_helpers_that_never_run_are_ignored():
    helper = "def unused(s):\n    return s + undefined\n\n"
    assert fatal_lint(ADD, helper + "def add(a, b):\n    return a + b\n") == ""
    called = "def helper(s):\n    return s + undefined\n\ndef add(a, b):\n    return helper(a) + b\n"
    assert "undefined name 'undefined'" in fatal_lint(ADD, called)
    via_chain = "def h2():\n    return nope\n\ndef h1():\n    return h2()\n\ndef add(a, b):\n    return h1()\n"
    assert "nope" in fatal_lint(ADD, via_chain)
    from_module_code = "def h():\n    return nope\n\nX = h\n\ndef add(a, b):\n    return a + b\n"
    assert "nope" in fatal_lint(ADD, from_module_code)
    default_runs_at_import = "def unused(s=nope):\n    return s\n\ndef add(a, b):\n    return a + b\n"
    assert "nope" in fatal_lint(ADD, default_runs_at_import)
