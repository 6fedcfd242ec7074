"""bench/sstar_tiebreak.py: stored S* picks settled again under each setting, from hand-built
evidence (no executor, no model)."""

from dataclasses import replace

import pytest

from codesieve.select.evidence import (BY_EXECUTION, BY_JUDGE, TOURNAMENT, Duel, Group, OutputPrediction, Separating,
                                       SStarEvidence)
from codesieve.store import ProblemRecord
from codesieve.store.problems import Pools
from codesieve.store.records import SelectionRecord
from codesieve.stages import Cost
from codesieve.types import CallTest, Problem, TaskKind
from tests.bench_scripts import bench_module

F = Problem("t/f", "f", TaskKind.FUNCTION, entry_point="f", starter_code="def f(x):\n    ''''''\n",
            public_tests=(CallTest((1,), 1),))


@pytest.fixture(scope="module")
def script():
    return bench_module("sstar_tiebreak")


def evidence(decided_by: str, points, on: str, raw: str = "```python\nf(1)\n```", **kw) -> SStarEvidence:
    """A lone candidate c1 beat the group {w1, w2} in the only duel, on input `on`."""
    found = (Group(("w1", "w2"), "w1"), Group(("c1",), "c1"))
    duel = Duel((0, 1), "w1", "c1", (Separating(on, "error", "2"),), decided_by, points, **kw)
    return SStarEvidence(kept=("w1", "w2", "c1"), groups=found, duels=(duel,), points=points, winner_group=1,
                         decided_by=TOURNAMENT, inputs_raw=raw, inputs_edge=2)


def test_a_win_by_execution_on_added_inputs_alone_is_drawn_under_the_draw_rule(script):
    added_only = evidence(BY_EXECUTION, (0.0, 2.0), on="f(0)")
    default, drawn = script.SETTINGS[0], script.Setting(added="draw")
    assert script.settle(added_only, default, 4, F) == 1  # the win stands: c1
    assert script.settle(added_only, drawn, 4, F) == 0  # a draw: the larger group
    assert script.settle(added_only, drawn, 4, None) == 1  # problem unknown: inputs taken as the model's
    written = evidence(BY_EXECUTION, (0.0, 2.0), on="f(1)")  # the model wrote f(1)
    assert script.settle(written, drawn, 4, F) == 1
    judged = evidence(BY_JUDGE, (0.0, 2.0), on="f(0)")
    assert script.settle(judged, drawn, 4, F) == 1  # only wins by execution are drawn


def test_measure_counts_problems_each_setting_solves(script):
    trace = evidence(BY_EXECUTION, (0.0, 2.0), on="f(0)")
    selection = SelectionRecord("t/f", "sstar", "c1", None, "", trace, Cost(), 0.0, True, None)
    record = ProblemRecord("run", "t/f", "b", Pools(), {"sstar": selection})
    found = script.measure([record], {"t/f": {"c1"}}, "sstar", 4, {"t/f": F})
    assert found["problems"] == 1 and found["replayed"] == 0
    drawn = found[script.Setting(added="draw").name]
    assert (drawn["solved"], drawn["changed"], drawn["lost"], drawn["lost_problems"]) == (0, 1, 1, ["t/f"])
    assert found[script.DEFAULT]["solved"] == 1


def test_copied_predictions_vote_again_under_the_vote_rule(script):
    """On f(5) w1 returned 1 and c1 returned 2. A prediction stored as copied casts no vote by
    default; under the vote rule it is matched again against the recorded outputs."""
    copied = OutputPrediction("f(5)", "1", "1", None, copied=True)
    trace = evidence(BY_JUDGE, (1.0, 1.0), on="f(5)", raw="```python\nf(5)\n```")
    trace = replace(trace, duels=(replace(trace.duels[0], evidence=(Separating("f(5)", "1", "2", "ok", "ok"),),
                                          predictions=(copied,)),))
    assert script.settle(trace, script.SETTINGS[0], 4, F) == 0  # level: the larger group
    assert script.settle(trace, script.Setting(copies="vote"), 4, F) == 0  # 1 is w1's output: w1's group
    for_c1 = replace(copied, predicted="2", copied=True)
    trace = replace(trace, duels=(replace(trace.duels[0], predictions=(for_c1,)),))
    assert script.settle(trace, script.Setting(copies="vote"), 4, F) == 1
    cut = replace(trace.duels[0], evidence=(Separating("f(5)", "1", "2\n... (cut)", "ok", "ok"),))
    assert script.settle(replace(trace, duels=(cut,)), script.Setting(copies="vote"), 4, F) == 0  # cut: no match


def test_only_copied_true_or_false_vote_again_under_the_vote_bool_rule(script):
    """A copied True (two possible answers: equal to an example's by chance half the time) votes
    under vote-bool; a copied 1 does not."""
    duel = Duel((0, 1), "w1", "c1", (Separating("f(5)", "False", "True", "ok", "ok"),), BY_JUDGE, (1.0, 1.0),
                predictions=(OutputPrediction("f(5)", "True", "True", None, copied=True),))
    trace = replace(evidence(BY_JUDGE, (1.0, 1.0), on="f(5)"), duels=(duel,))
    assert script.settle(trace, script.SETTINGS[0], 4, F) == 0  # discarded: level, the larger group
    assert script.settle(trace, script.Setting(copies="vote-bool"), 4, F) == 1  # True is c1's output
    one = replace(duel, evidence=(Separating("f(5)", "2", "1", "ok", "ok"),),
                  predictions=(OutputPrediction("f(5)", "1", "1", None, copied=True),))
    assert script.settle(replace(trace, duels=(one,)), script.Setting(copies="vote-bool"), 4, F) == 0
    assert script.settle(replace(trace, duels=(one,)), script.Setting(copies="vote"), 4, F) == 1


def test_groups_level_on_points_go_to_more_fresh_samples_under_the_samples_tiebreak(script):
    """{w1.1, w2.1} (two debug revisions) and {c1.0} drew: size gives it to the pair, samples to c1."""
    found = (Group(("t/f#1.1", "t/f#2.1"), "t/f#1.1"), Group(("t/f#3.0",), "t/f#3.0"))
    duel = Duel((0, 1), "t/f#1.1", "t/f#3.0", (), BY_JUDGE, (1.0, 1.0))
    trace = SStarEvidence(kept=("t/f#1.1", "t/f#2.1", "t/f#3.0"), groups=found, duels=(duel,), points=(1.0, 1.0),
                          winner_group=0, decided_by=TOURNAMENT)
    assert script.settle(trace, script.SETTINGS[0], 4, F) == 0
    assert script.settle(trace, script.Setting("samples"), 4, F) == 1


def test_measure_counts_picks_that_are_debug_revisions(script):
    found = (Group(("t/f#1.1",), "t/f#1.1"), Group(("t/f#3.0",), "t/f#3.0"))
    trace = SStarEvidence(kept=("t/f#1.1", "t/f#3.0"), groups=found, points=(2.0, 0.0), winner_group=0,
                          duels=(Duel((0, 1), "t/f#1.1", "t/f#3.0", (), BY_JUDGE, (2.0, 0.0)),), decided_by=TOURNAMENT)
    selection = SelectionRecord("t/f", "sstar", "t/f#1.1", None, "", trace, Cost(), 0.0, False, None)
    record = ProblemRecord("run", "t/f", "b", Pools(), {"sstar": selection})
    found = script.measure([record], {"t/f": {"t/f#3.0"}}, "sstar", 4, {"t/f": F})
    assert (found["revisions_picked"], found["revisions_picked_passing"]) == (1, 0)
    assert found["replayed"] == 0


def test_the_judges_votes_on_added_inputs_are_dropped_under_the_unjudged_rule(script):
    """c1's group won on the judge's one vote, on f(0), an edge case the model did not write."""
    voted = OutputPrediction("f(0)", "2", "2", "B")
    trace = evidence(BY_JUDGE, (0.0, 2.0), on="f(0)", predictions=(voted,))
    assert script.settle(trace, script.SETTINGS[0], 4, F) == 1
    assert script.settle(trace, script.Setting(added="unjudged"), 4, F) == 0  # no vote left: level, the larger
    written = evidence(BY_JUDGE, (0.0, 2.0), on="f(1)", predictions=(replace(voted, input="f(1)"),))
    assert script.settle(written, script.Setting(added="unjudged"), 4, F) == 1  # the model wrote f(1): it stands


def test_a_stdio_prediction_of_the_first_line_stands_by_default_and_matches_nothing_under_the_whole_rule(script):
    """On a two-case input w1 printed 4 then 7, c1 printed 3 then 7; the judge predicted the first
    line, 3, and so voted for c1."""
    stdio = Problem("t/s", "s", TaskKind.STDIO)
    first_line = OutputPrediction("2\n1 2\n3 4", "3", repr("3\n"), "B")
    trace = evidence(BY_JUDGE, (0.0, 2.0), on="2\n1 2\n3 4", predictions=(first_line,))
    trace = replace(trace, duels=(replace(trace.duels[0], evidence=(Separating("2\n1 2\n3 4", "4\n7\n", "3\n7\n",
                                                                              "ok", "ok"),)),))
    assert script.settle(trace, script.SETTINGS[0], 4, stdio) == 1
    assert script.settle(trace, script.Setting(lines="whole"), 4, stdio) == 0  # no vote left: the larger group
    cut = replace(trace.duels[0], evidence=(Separating("2\n1 2\n3 4", "4\n... (cut)", "3\n... (cut)", "ok", "ok"),))
    assert script.settle(replace(trace, duels=(cut,)), script.Setting(overrule=2), 4, stdio) == 0  # held: one vote
    assert script.calls([cut], {"c1"}) == (1, 0)
    assert script.calls(list(replace(trace, duels=(replace(cut, points=(2.0, 0.0)),)).duels), {"c1"}) == (0, 1)


def test_a_cut_output_matches_a_prediction_only_on_lines_recorded_before_the_cut(script):
    stdio = Problem("t/s", "s", TaskKind.STDIO)
    assert script._matches(stdio, "3\n", "ok", "3\n7\n... (cut)")
    assert not script._matches(stdio, "3\n7\n", "ok", "3\n7\n... (cut)")  # the second line may go on after the cut
    assert not script._matches(stdio, "3\n", "ok", "3\n7\n", whole=True)


def test_stdio_predictions_shorter_than_both_outputs_are_counted(script):
    stdio = Problem("t/s", "s", TaskKind.STDIO)
    predictions = (OutputPrediction("2\n1 2\n3 4", "3", repr("3\n"), "B"), OutputPrediction("2\n1 2\n3 4", "?", None),
                   OutputPrediction("2\n1 2\n3 4", "3 7", repr("3\n7\n")))
    trace = evidence(BY_JUDGE, (0.0, 2.0), on="2\n1 2\n3 4", predictions=predictions)
    trace = replace(trace, duels=(replace(trace.duels[0], evidence=(Separating("2\n1 2\n3 4", "4\n7\n", "3\n7\n",
                                                                              "ok", "ok"),)),))
    assert script.first_lines_only(trace, stdio) == (1, 2)  # the unreadable one is not counted
    assert script.first_lines_only(trace, F) == (0, 0)  # function problems: values, not lines
