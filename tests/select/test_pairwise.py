from dataclasses import replace

from codesieve.execution.behaviour import Cluster
from codesieve.llm.fake import FakeBackend
from codesieve.select.judges.base import Evidence
from codesieve.select.judges.verdict_first import VerdictFirst, parse_verdict
from codesieve.select import evidence as ev
from codesieve.select.pairwise import duel, execution_decision, held, pick_winner, round_robin
from codesieve.stages import Cost, SelectConfig, Toolbox
from codesieve.types import Attempt, CallTest, Candidate, Problem, TaskKind, TestOutcome as Outcome, Verdict

from tests.select.conftest import asked, run

OK = Outcome(Verdict.OK, output="1", output_hash="1")
OK2 = Outcome(Verdict.OK, output="2", output_hash="2")
CRASH = Outcome(Verdict.RUNTIME_ERROR)


def test_round_robin_bounded_by_max_groups():
    assert round_robin(3, 4) == [(0, 1), (0, 2), (1, 2)]
    assert len(round_robin(10, 4)) == 6
    assert round_robin(1, 4) == []


def test_parse_verdict():
    assert parse_verdict("Program B is wrong.\nAnswer: A") == "A"
    assert parse_verdict("answer is **B**") == "B"
    assert parse_verdict("Answer: (B) because A crashes. Answer: A would be wrong") == "B"
    assert parse_verdict("A\nbecause it returns the sum") == "A"
    assert parse_verdict("B") == "B"
    assert parse_verdict("Program A.") == "A"
    assert parse_verdict("Both are fine") is None
    assert parse_verdict("") is None


def test_execution_decides_only_when_one_side_always_fails():
    t = CallTest((1,))
    assert execution_decision([Evidence(t, OK, CRASH), Evidence(t, OK2, CRASH)]) == "A"
    assert execution_decision([Evidence(t, CRASH, OK)]) == "B"
    assert execution_decision([Evidence(t, OK, CRASH), Evidence(t, CRASH, OK)]) is None
    assert execution_decision([Evidence(t, OK, OK2)]) is None
    assert execution_decision([Evidence(t, OK, CRASH), Evidence(t, OK, OK2)]) is None


def test_winner_by_points_then_size_then_order():
    groups = [Cluster((0, 1, 2), ()), Cluster((3, 4), ()), Cluster((5,), ())]
    assert pick_winner(groups, [1.0, 3.0, 2.0]) == 1
    assert pick_winner(groups, [2.0, 2.0, 2.0]) == 0
    assert pick_winner([Cluster((4,), ()), Cluster((1,), ())], [1.0, 1.0]) == 1


def test_duel_on_list_arguments_joins_fresh_and_known_evidence(executor):
    problem = Problem(id="t/total", prompt="def total(xs):\n    '''Sum of xs.'''\n", kind=TaskKind.FUNCTION,
                      entry_point="total", public_tests=(CallTest(([1],), 1),))
    a, b = (Attempt(Candidate(problem.id, i, f"def total(xs):\n    return {body}\n"), None)
            for i, body in enumerate(["sum(xs)", "sum(xs[:-1]) + (xs[0] if len(xs) == 1 else 0)"]))
    known = [Evidence(CallTest(([1, 2],)), OK, OK2)]

    def respond(request, index):
        text = asked(request)
        if "different outputs" in text:
            return "```python\ntotal([3, 4])\n```"
        return "Answer: A" if "A gives: 7" in text else "Answer: B"

    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=SelectConfig.verdict_first())
    record = run(duel(problem, a, b, known, tools, Cost(), VerdictFirst()))
    assert [e.input for e in record.evidence] == ["total([3, 4])", "total([1, 2])"]
    assert record.points == (2.0, 0.0) and record.decided_by == "judge" and record.winner == a.candidate.id


def test_agreement_breaks_ties_on_points_before_size():
    groups = [Cluster((0, 1, 2), ()), Cluster((3, 4), ()), Cluster((5,), ())]
    assert pick_winner(groups, [2.0, 2.0, 2.0], [1, 5, 3]) == 1
    assert pick_winner(groups, [2.0, 2.0, 3.0], [1, 5, 3]) == 2  # points first
    assert pick_winner(groups, [2.0, 2.0, 2.0], [5, 5, 5]) == 0  # then size


def test_a_judges_win_for_the_smaller_group_needs_the_overrule_lead():
    def judged(points, *votes):
        return ev.Duel((0, 1), "a", "b", (), ev.BY_JUDGE, points,
                       predictions=tuple(ev.OutputPrediction("x", "", "1", v) for v in votes))

    one_for_b = judged((0.0, 2.0), "B", None)
    assert held(one_for_b, (2, 1), 2) == replace(one_for_b, points=(1.0, 1.0), levelled=True)
    assert held(one_for_b, (2, 1), 1) == one_for_b  # the default: any lead
    assert held(one_for_b, (1, 2), 2) == one_for_b  # the larger group won: it stands
    assert held(one_for_b, (1, 1), 2) == one_for_b  # groups of one size: it stands
    two_for_b = judged((0.0, 2.0), "B", "B", "A", "B")
    assert held(two_for_b, (3, 1), 2) == two_for_b
    by_execution = ev.Duel((0, 1), "a", "b", (), ev.BY_EXECUTION, (0.0, 2.0))
    assert held(by_execution, (3, 1), 5) == by_execution
