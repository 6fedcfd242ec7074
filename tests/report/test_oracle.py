"""codesieve.report.oracle: every stored candidate graded on the hidden tests by the real executor."""

from codesieve.execution import Executor
from codesieve.report.oracle import POOLS, correct_candidates, hidden_results
from codesieve.store import Pools, ProblemRecord
from codesieve.types import CallTest, Problem, TaskKind, Verdict

from tests.store.stored import lineage

RIGHT, WRONG = "def double(x):\n    return 2 * x\n", "def double(x):\n    return x + 2\n"


def stored(problem_id, pools):
    return ProblemRecord("k", problem_id, "toy", pools, {})


def test_each_pool_keeps_its_own_ids_and_results():
    problem = Problem("t/0", "double x", TaskKind.FUNCTION, entry_point="double",
                      hidden_tests=(CallTest((2,), 4), CallTest((3,), 6)))
    sampled = (lineage("t/0", 0, (WRONG, None), (RIGHT, None)), lineage("t/0", 1, (WRONG, None)))
    greedy = (lineage("t/0", 0, (RIGHT, None)),)  # the same id as a sampled one, another program
    records = [stored("t/0", Pools(sampled=sampled, greedy=greedy)),
               stored("t/unknown", Pools(sampled=(lineage("t/unknown", 0, (RIGHT, None)),))),
               stored("t/0-greedy-only", Pools(greedy=()))]
    with Executor(workers=1) as executor:
        results = hidden_results(records, {"t/0": problem}, executor, POOLS)
        assert set(results) == {"t/0"}
        assert {cid: r.verdict for cid, r in results["t/0"]["sampled"].items()} == {
            "t/0#0.0": Verdict.WRONG_ANSWER, "t/0#0.1": Verdict.PASSED, "t/0#1.0": Verdict.WRONG_ANSWER}
        assert results["t/0"]["greedy"]["t/0#0.0"].passed
        assert results["t/0"]["sampled"]["t/0#1.0"].outcomes[1].verdict is Verdict.WRONG_ANSWER  # 3 + 2 != 6
        assert correct_candidates(records, {"t/0": problem}, executor) == {"t/0": {"t/0#0.1"}}
