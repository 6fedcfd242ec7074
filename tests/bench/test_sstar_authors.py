"""bench/sstar_authors.py, its analysis of one problem (bench/sstar_authors_analysis.py) and its
pure rules (bench/sstar_replay.py): the authors' picks (first best-rate sample, per-input
tournament), S*'s tournament under other scores, settling over unknown verdicts, and one synthetic
record analysed end to end (no executor, no model)."""

import pytest

from codesieve.execution.behaviour import Cluster
from codesieve.generate.debug import Lineage
from codesieve.select import evidence as ev
from codesieve.stages import Cost, SelectConfig
from codesieve.store import ProblemRecord
from codesieve.store.problems import Pools
from codesieve.store.records import SelectionRecord
from codesieve import types
from codesieve.types import Attempt, CallTest, Candidate, ExecResult, Problem, TaskKind, Verdict
from tests.bench_scripts import bench_module


@pytest.fixture(scope="module")
def script():
    return bench_module("sstar_authors")


@pytest.fixture(scope="module")
def analysis():
    return bench_module("sstar_authors_analysis")


@pytest.fixture(scope="module")
def rules():
    return bench_module("sstar_replay")


def attempt(index: int, rnd: int, passed: int, of: int = 4, problem: str = "t/p") -> Attempt:
    outcomes = tuple(types.TestOutcome(Verdict.PASSED if k < passed else Verdict.WRONG_ANSWER) for k in range(of))
    verdict = Verdict.PASSED if passed == of else Verdict.WRONG_ANSWER
    return Attempt(Candidate(problem, index, f"def f(x):\n    return {index * 10 + rnd}\n", rnd),
                   ExecResult(verdict, outcomes))


def test_first_best_is_the_first_sample_with_the_best_rate(rules):
    assert rules.first_best([attempt(0, 0, 1), attempt(1, 0, 3), attempt(2, 0, 3)]) == 1
    assert rules.first_best([attempt(0, 0, 2), attempt(1, 0, 2)]) == 0


def test_per_input_groups_drop_failures(rules):
    rows = [[(True, "1"), (True, "a"), (False, "timeout")],
            [(True, "1"), (False, "runtime_error"), (False, "timeout")],
            [(True, "2"), (True, "a"), (False, "runtime_error")]]
    assert rules.per_input(rows) == [[(0, 1), (2,)], [(0, 2)], []]
    assert rules.table_groups(rows) == [(0,), (1,), (2,)]  # S*: every signature differs
    # 0 and 1 differ only where 1 failed: S* tells them apart, the authors do not
    assert rules.told_apart(rows, 0, 1, authors=False)
    assert not rules.told_apart(rows, 0, 1, authors=True)
    assert rules.told_apart(rows, 0, 2, authors=True)
    assert rules.mixed_together(rows, [True, False, False], authors=True)
    assert not rules.mixed_together(rows, [True, False, False], authors=False)


def test_authors_tournament_scores_inputs_not_groups(rules):
    # four kept candidates in S*'s groups G0 = {2, 3} (right), G1 = {0}, G2 = {1}; S*'s duels: G0-G1
    # level, G0 beats G2, G1 beats G2: S* gives G0 and G1 3 points each and the larger, G0, wins
    group_of = [1, 2, 0, 0]
    verdicts = {(0, 1): (1.0, 1.0), (0, 2): (2.0, 0.0), (1, 2): (2.0, 0.0)}
    rows = [[(True, "x"), (True, "p"), (True, "q")],
            [(True, "y"), (True, "q"), (True, "q")],
            [(True, "x"), (True, "q"), (True, "q")],
            [(True, "x"), (True, "q"), (True, "q")]]
    # input 0: {0, 2, 3} beats {1} (3-0): all three get 1; inputs 1, 2: {0} beats {1, 2, 3} (2-1): 0 gets 2
    assert rules.authors_possible(rows, group_of, verdicts) == {0}
    clusters = [Cluster((2, 3), ()), Cluster((0,), ()), Cluster((1,), ())]
    assert rules.our_possible(clusters, list(verdicts.items()), 4) == {0}


def test_authors_fall_back_to_any_candidate_when_no_input_decides(rules):
    rows = [[(True, "a")], [(True, "b")]]
    assert rules.authors_possible(rows, [0, 1], {(0, 1): (1.0, 1.0)}) == {0, 1}  # a tie scores both alike
    assert rules.authors_possible(rows, [0, 1], {(0, 1): (0.0, 2.0)}) == {1}
    assert rules.authors_possible(rows, [0, 1], {}) == {0, 1}  # unknown: every verdict tried


def test_halving_never_changes_a_pick_but_sizes_can(rules):
    clusters = [Cluster((0, 1, 2), ()), Cluster((3, 4), ()), Cluster((5,), ())]
    # a cycle: G1 beats G0, G0 beats G2, G2 beats G1; 2 points each, so the largest group wins
    duels = [((0, 1), (0.0, 2.0)), ((0, 2), (2.0, 0.0)), ((1, 2), (0.0, 2.0))]
    assert rules.our_possible(clusters, duels, 4) == {0}
    assert rules.our_possible(clusters, duels, 4, lambda g, h: 0.5) == {0}
    # member pairs: G1's win counts 3 x 2 pairs, G0's 3 x 1, G2's 2 x 1: G1 wins
    sizes = [3, 2, 1]
    assert rules.our_possible(clusters, duels, 4, lambda g, h: sizes[g] * sizes[h] / 2) == {1}
    assert rules.our_possible(clusters, [((0, 1), (1.0, 1.0))], 4) == {0}  # nothing decided: the fallback


def test_unknown_verdicts_are_tried_every_way(rules):
    clusters = [Cluster((0, 1, 2), ()), Cluster((3,), ()), Cluster((4,), ())]
    unknown = [((0, 1), None), ((0, 2), (0.0, 2.0))]  # G2 beat G0; G0 against G1 unknown
    # G0 wins it: G0 and G2 level, G0 larger; G1 wins: G1 and G2 level, G1 first; tie or neither: G2
    assert rules.our_possible(clusters, unknown, 4) == {0, 1, 2}
    assert rules.our_possible(clusters, [((0, 1), None)] * 6, 4) is None  # too many to try


def test_settled_only_when_every_possible_pick_grades_alike(rules):
    assert rules.settled({0, 1}, [True, True, False]) is True
    assert rules.settled({0, 2}, [True, True, False]) is None
    assert rules.settled(None, [False, False]) is False  # all alike: whatever is picked
    assert rules.settled(None, [True, False]) is None


def test_compare_counts_settled_problems_only(rules):
    found = rules.compare({"a": True, "b": False, "c": True}, {"a": False, "b": True, "c": None})
    assert found == {"problems": 3, "settled": 2, "unsettled": 1, "sstar": 2, "alternative": 1,
                     "sstar_on_settled": 1, "won": 1, "lost": 1, "p": 1.0}


def test_samples_compared_counts_problems_with_a_correct_sample(rules):
    found = rules.samples_compared({"a": ([("x", True), ("x", True)], [("y", False), ("z", False)]),
                                     "b": ([("x", False), ("x", False)], [("y", True), ("z", False)]),
                                     "c": ([("x", True), ("w", False)], [("y", True), ("y", True)])})
    assert found == {"problems": 3, "any_correct": 2, "any_correct_other": 2, "only": 1, "only_other": 1, "p": 1.0,
                     "correct": 1.0, "correct_other": 1.0, "distinct": 1.333, "distinct_other": 1.667}


def test_feedback_counts(rules):
    lineage = Lineage((attempt(0, 0, 0, of=5), attempt(0, 1, 1, of=5), attempt(0, 2, 1, of=5)))
    counts = rules.feedback_counts([lineage, Lineage((attempt(1, 0, 5, of=5),))])
    assert counts == {"requests": 2, "more_than_shown": 2, "with_passing": 1, "hidden_failures": 3}


def test_hours_scales_an_unmeasured_benchmark_by_its_tokens(rules):
    assert rules.hours({"a": 36.0, "b": None}, {"a": 100.0, "b": 300.0}, {"a": 100, "b": 100}) == pytest.approx(4.0)
    assert rules.hours({"a": None}, {}, {"a": 10}) is None


def test_grouping_inputs_are_the_model_s_then_mutants_then_edge_cases(analysis):
    problem = Problem(id="t/f", prompt="def f(xs):\n    pass\n", kind=TaskKind.FUNCTION, entry_point="f",
                      public_tests=(CallTest(([1, 2, 3],), [1, 2, 3]),))
    raw = "```python\nf([9, 9])\nf([1, 2, 3])\n```"
    tests = analysis.grouping_inputs(problem, raw, ["def f(xs):\n    return xs\n"], SelectConfig(n_mutants=4))
    assert tests[:2] == (CallTest(([9, 9],)), CallTest(([1, 2, 3],)))
    assert len(tests) == len(set(map(repr, tests))) > 2
    with pytest.raises(analysis.Unsettled):
        analysis.grouping_inputs(problem, raw, [], SelectConfig(inputs="model+cheap+generator"))


def test_analyse_a_problem_no_sample_passes(analysis, script):
    """Sample 0's last revision is worse than its first; sample 1 is best on its last: S* kept
    both best revisions (0.0 and 1.1, rate 3/4) and picked 1.1; the authors read the last
    revisions (0.1 at 1/4, 1.1 at 3/4) and take 1.1 too; the first best-rate sample is 0.0."""
    lineages = (Lineage((attempt(0, 0, 3), attempt(0, 1, 1))), Lineage((attempt(1, 0, 2), attempt(1, 1, 3))))
    trace = ev.SStarEvidence(kept=("t/p#0.0", "t/p#1.1"), public_rate=0.75, winner_group=1,
                             groups=(ev.Group(("t/p#0.0",), "t/p#0.0"), ev.Group(("t/p#1.1",), "t/p#1.1")),
                             behaviour=(ev.Behaviour("t/p#0.0", (ev.Observed("ok", "1"),)),
                                        ev.Behaviour("t/p#1.1", (ev.Observed("ok", "2"),))),
                             duels=(ev.Duel((0, 1), "t/p#0.0", "t/p#1.1", (), ev.BY_JUDGE, (0.0, 2.0)),),
                             decided_by=ev.TOURNAMENT)
    selection = SelectionRecord("t/p", "sstar", "t/p#1.1", None, "", trace, Cost(), 0.0, True, None)
    record = ProblemRecord("run", "t/p", "b", Pools(sampled=lineages), {"sstar": selection})
    grades = {"t/p#0.0": False, "t/p#0.1": False, "t/p#1.0": False, "t/p#1.1": True}
    found = analysis.analyse(record, None, grades, SelectConfig(), executor=None)
    outcomes, counts = found["outcomes"], found["counts"]
    assert found["sstar"] and found["kept_matches"]
    assert outcomes[analysis.COMPARISONS[0]] is False  # first best-rate sample: 0.0
    assert outcomes[analysis.COMPARISONS[1]] is True  # the authors: 1.1
    assert outcomes[analysis.COMPARISONS[2]] is True  # last revisions keep 1.1 alone
    assert outcomes[analysis.COMPARISONS[3]] is True  # one input, 1.1's group wins it
    assert outcomes[analysis.COMPARISONS[4]] is True and outcomes[analysis.COMPARISONS[5]] is True
    assert analysis.COMPARISONS[6] not in outcomes  # no duel was won by execution
    assert counts["no_pass"] and counts["kept_changed"] and counts["best_not_last"] == 1
    assert counts["tournament_replays"] and not counts["halved_changes"]
    summary = script.summarise([found])
    assert summary["n_problems"] == 1 and summary["comparisons"][" / ".join(analysis.COMPARISONS[0])]["lost"] == 1
    rows = script.table_rows({"b": {**summary}})
    assert [r[1] for r in rows][:2] == ["no sample passes every public test"] * 2


def test_without_public_tests_the_authors_take_the_first_sample(analysis):
    """No public tests: S* keeps every sample (rate 1) and picked sample 1; the authors' rate is 0
    for every sample, so they take sample 0."""
    lineages = tuple(Lineage((Attempt(Candidate("t/q", i, f"def f():\n    return {i}\n")),)) for i in range(2))
    trace = ev.SStarEvidence(kept=("t/q#0.0", "t/q#1.0"), public_rate=1.0, winner_group=0,
                             groups=(ev.Group(("t/q#1.0", "t/q#0.0"), "t/q#1.0"),), decided_by=ev.ONE_GROUP)
    selection = SelectionRecord("t/q", "sstar", "t/q#1.0", None, "", trace, Cost(), 0.0, True, None)
    record = ProblemRecord("run", "t/q", "b", Pools(sampled=lineages), {"sstar": selection})
    found = analysis.analyse(record, None, {"t/q#0.0": False, "t/q#1.0": True}, SelectConfig(), executor=None)
    assert found["counts"]["no_public_tests"] and not found["counts"]["no_pass"]
    assert found["outcomes"][analysis.COMPARISONS[1]] is False and found["sstar"]
    assert found["outcomes"][analysis.COMPARISONS[3]] is None  # one group, grades differ: the code judge decides
