import asyncio

from codesieve.stages import ProblemCandidates
from codesieve.types import AssertTest, StdioTest, TaskKind, Problem
from codesieve.verify.majority import MajorityVerifier, probe_inputs

from tests.verify.conftest import ADD, cands


def test_bigger_clusters_rank_higher_and_crashes_are_pruned(executor):
    group = ProblemCandidates(ADD, cands(
        ADD,
        "def add(a, b):\n    return a + b\n",
        "def add(x, y):\n    return y + x\n",
        "def add(a, b):\n    return a - b\n",
        "def add(a, b):\n    raise ValueError\n",
    ))
    [scores] = asyncio.run(MajorityVerifier(executor, 3).check([group]))
    assert [s.keep for s in scores] == [True, True, True, False]
    assert scores[0].value == scores[1].value == 2 / 4 and scores[2].value == 1 / 4
    assert scores[3].note == "runtime_error"


def test_probe_inputs_drop_expected_outputs_and_skip_asserts():
    problem = Problem("p", "", TaskKind.STDIO, hidden_tests=(StdioTest("1", "2"), StdioTest("3", "4")))
    assert probe_inputs(problem, 1) == (StdioTest("1", None),)
    assert probe_inputs(ADD, 2)[1].expected is None
    only_asserts = Problem("q", "", TaskKind.FUNCTION, hidden_tests=(AssertTest("assert True"),))
    assert probe_inputs(only_asserts, 5) == ()
