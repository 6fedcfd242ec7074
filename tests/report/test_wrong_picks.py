"""Why S* picked wrong (codesieve.report.wrong_picks): one reason per problem, from hand-built
evidence for every reason, its order of precedence, and the counts the report writes."""

from __future__ import annotations

from dataclasses import replace

from codesieve.report import wrong_picks
from codesieve.report.decisions import decisions
from codesieve.report.wrong_picks import reason
from codesieve.select.evidence import (BY_EXECUTION, BY_JUDGE, NO_DIFFERENCE, ONE_GROUP, ONE_KEPT, TOURNAMENT,
                                       Duel, Group, SStarEvidence, Separating)
from codesieve.types import CallTest, Problem, TaskKind

# c* pass the hidden tests, w* fail them
CORRECT = {"c1", "c2"}
F = Problem("t/f", "f", TaskKind.FUNCTION, entry_point="f", starter_code="def f(x):\n    ''''''\n",
            public_tests=(CallTest((1,), 1),))


def groups(*members: str) -> tuple[Group, ...]:
    """Groups from space-separated member ids, the first of each its representative."""
    return tuple(Group(tuple(m.split()), m.split()[0]) for m in members)


def duel(g: int, h: int, found: tuple[Group, ...], decided_by: str, points=(1.0, 1.0), on=("f(0)",), **kw) -> Duel:
    return Duel((g, h), found[g].representative, found[h].representative,
                tuple(Separating(i, "1", "2") for i in on) if decided_by != NO_DIFFERENCE else (),
                decided_by, points, **kw)


def tournament(found: tuple[Group, ...], duels: tuple[Duel, ...], winner: int = 0, **kw) -> SStarEvidence:
    points = [0.0] * len(found)
    for d in duels:
        points[d.groups[0]] += d.points[0]
        points[d.groups[1]] += d.points[1]
    return SStarEvidence(kept=tuple(m for g in found for m in g.members), groups=found, duels=duels,
                         points=tuple(points), winner_group=winner, decided_by=TOURNAMENT, **kw)


def two(decided_by: str, points, **kw) -> SStarEvidence:
    """A larger wrong group (the winner) against a correct one, in one duel."""
    found = groups("w1 w2", "c1")
    return tournament(found, (duel(0, 1, found, decided_by, points, **kw),))


def test_the_pick_passing_when_graded_again_is_graded_apart():
    assert reason(SStarEvidence(kept=("c1",), winner_group=0, decided_by=ONE_KEPT), CORRECT)[0] == "graded_apart"
    found = groups("c1 w1")
    assert reason(SStarEvidence(kept=("c1", "w1"), groups=found, winner_group=0, decided_by=ONE_GROUP),
                  CORRECT)[0] == "graded_apart"


def test_no_correct_candidate_kept():
    assert reason(SStarEvidence(kept=("w1",), winner_group=0, decided_by=ONE_KEPT), CORRECT) == ("not_kept", ())
    found = groups("w1 w2", "w3")
    assert reason(tournament(found, (duel(0, 1, found, BY_JUDGE, (2.0, 0.0)),)), CORRECT)[0] == "not_kept"
    assert reason(SStarEvidence(decided_by="no_candidates"), CORRECT)[0] == "not_kept"


def test_one_group_with_a_wrong_representative():
    found = groups("w1 c1 c2")
    assert reason(SStarEvidence(kept=("w1", "c1", "c2"), groups=found, winner_group=0, decided_by=ONE_GROUP),
                  CORRECT) == ("one_group", ())


def test_the_correct_group_beyond_the_groups_that_meet():
    found = groups("w1 w2 w3", "w4 w5", "w6", "w7", "c1")  # max_groups 4: group 4 never meets
    duels = tuple(duel(g, h, found, NO_DIFFERENCE) for g in range(4) for h in range(g + 1, 4))
    assert reason(tournament(found, duels), CORRECT) == ("not_met", ())


def test_a_duel_against_the_correct_group_with_no_differing_input():
    assert reason(two(NO_DIFFERENCE, (1.0, 1.0)), CORRECT) == ("no_difference", ())


def test_a_duel_the_correct_program_lost_by_execution_and_on_which_inputs():
    lost = two(BY_EXECUTION, (2.0, 0.0))
    assert reason(lost, CORRECT, F) == ("execution", ())  # no added inputs in the record: the model's
    with_mutants = two(BY_EXECUTION, (2.0, 0.0), on=("f(0)", "f(-1)"))
    with_mutants = replace(with_mutants, inputs_mutated=3, inputs_raw="```python\nf(1)\nf(2)\n```")
    assert reason(with_mutants, CORRECT, F) == ("execution", ("execution_added_only",))
    assert reason(with_mutants, CORRECT) == ("execution", ())  # problem unknown: taken as the model's
    model_wrote_one = replace(with_mutants, inputs_raw="```python\nf(1)\nf(-1)\n```")
    assert reason(model_wrote_one, CORRECT, F) == ("execution", ())
    asked_in_duel = replace(with_mutants, duels=(replace(with_mutants.duels[0], asked="f(0)\nf(-1)"),))
    assert reason(asked_in_duel, CORRECT, F) == ("execution", ())


def test_execution_wins_are_counted_right_or_wrong_and_on_which_inputs():
    """The decisions table counts a duel settled by execution like a judged one, and apart those
    settled only on inputs the model did not write (the same test as `execution_added_only`)."""
    wrong_win = replace(two(BY_EXECUTION, (2.0, 0.0), on=("f(0)", "f(-1)")), inputs_mutated=3,
                        inputs_raw="```python\nf(1)\n```")
    found = groups("w1 w2", "c1")
    right_win = tournament(found, (duel(0, 1, found, BY_EXECUTION, (0.0, 2.0), on=("f(1)",)),), winner=1,
                           inputs_mutated=3, inputs_raw="```python\nf(1)\n```")
    counts = decisions({"p": wrong_win, "q": right_win}, {"p", "q"}, {"p": CORRECT, "q": CORRECT},
                       {"p": F, "q": F})
    assert (counts["execution_right"], counts["execution_right_added_only"]) == (1, 0)  # f(1): the model's
    assert (counts["execution_wrong"], counts["execution_wrong_added_only"]) == (1, 1)
    assert decisions({"p": wrong_win}, {"p"}, {"p": CORRECT})["execution_wrong_added_only"] == 0  # no problem


def test_the_judge_deciding_for_the_wrong_program():
    assert reason(two(BY_JUDGE, (2.0, 0.0), judge="predict"), CORRECT) == ("judge_wrong", ())


def test_the_judge_leaving_it_level():
    assert reason(two(BY_JUDGE, (1.0, 1.0), judge="predict"), CORRECT) == ("judge_level", ())
    assert reason(two(BY_JUDGE, (0.0, 0.0), judge="reason"), CORRECT) == ("judge_level", ())  # orders disagree
    levelled = two(BY_JUDGE, (1.0, 1.0), judge="predict", levelled=True)
    assert reason(levelled, CORRECT) == ("judge_level", ())


def test_correct_candidates_only_behind_wrong_representatives():
    found = groups("w1 c1", "w2")  # the winner holds c1 behind w1
    assert reason(tournament(found, (duel(0, 1, found, BY_JUDGE, (2.0, 0.0)),)), CORRECT) == (
        "wrong_representative", ("wrong_representative_in_winner",))
    found = groups("w1 w2", "w3 c1")  # the loser holds c1 behind w3
    assert reason(tournament(found, (duel(0, 1, found, NO_DIFFERENCE),)), CORRECT) == ("wrong_representative", ())


def test_what_the_evidence_does_not_tell_is_other():
    assert reason(None, CORRECT) == ("other", ())
    legacy = SStarEvidence.from_json({"kept": ["w1", "c1", "w2"], "groups": [{}, {}], "winner_group": 0,
                                      "duels": [{"a": "w1", "b": "c1", "decided_by": "judge", "points": [2, 0]}]})
    assert reason(legacy, CORRECT) == ("other", ())  # groups stored without their members
    found = groups("w1 w2", "c1", "w3")  # c1 won its duels, yet a wrong group holding no correct one won
    inconsistent = tournament(found, (duel(0, 1, found, BY_JUDGE, (0.0, 2.0)), duel(1, 2, found, BY_JUDGE, (2.0, 0.0)),
                                      duel(0, 2, found, BY_JUDGE, (2.0, 0.0))))
    assert reason(inconsistent, CORRECT) == ("other", ())


def test_a_lost_duel_comes_before_the_winners_wrong_representative():
    """The correct program lost by execution to a group that holds correct programs behind a wrong
    representative (a correct program that loops on a mutant, say): the duel explains the pick."""
    found = groups("w1 c2", "c1")
    assert reason(tournament(found, (duel(0, 1, found, BY_EXECUTION, (2.0, 0.0)),)), CORRECT)[0] == "execution"


def test_the_duel_against_the_winner_then_the_costliest_explains():
    found = groups("w1 w2 w3", "c1 c2", "w4")
    against_winner = duel(0, 1, found, NO_DIFFERENCE)
    lost_elsewhere = duel(1, 2, found, BY_EXECUTION, (0.0, 2.0))
    third = duel(0, 2, found, BY_JUDGE, (2.0, 0.0))
    assert reason(tournament(found, (lost_elsewhere, against_winner, third)), CORRECT)[0] == "no_difference"
    beat_winner = duel(0, 1, found, BY_JUDGE, (0.0, 2.0))
    drew_elsewhere = duel(1, 2, found, NO_DIFFERENCE)
    judged_elsewhere = duel(1, 2, found, BY_JUDGE, (1.0, 1.0))
    assert reason(tournament(found, (beat_winner, drew_elsewhere, third)), CORRECT)[0] == "no_difference"
    assert reason(tournament(found, (beat_winner, lost_elsewhere, third)), CORRECT)[0] == "execution"
    assert reason(tournament(found, (beat_winner, judged_elsewhere, third)), CORRECT)[0] == "judge_level"


def test_the_correct_group_closest_to_winning_explains_and_duels_between_correct_programs_do_not():
    found = groups("w1 w2 w3", "c1", "c2")  # c1 and c2 both pass the hidden tests
    duels = (duel(0, 1, found, BY_JUDGE, (2.0, 0.0)), duel(0, 2, found, BY_JUDGE, (1.0, 1.0)),
             duel(1, 2, found, BY_EXECUTION, (2.0, 0.0)))  # c2 lost to c1: not a reason
    found_ = tournament(found, duels)
    assert found_.points == (3.0, 2.0, 1.0)
    assert reason(found_, CORRECT)[0] == "judge_wrong"  # c1 (2 points) came closer than c2
    duels = (duel(0, 1, found, BY_JUDGE, (2.0, 0.0)), duel(0, 2, found, BY_JUDGE, (1.0, 1.0)),
             duel(1, 2, found, BY_EXECUTION, (0.0, 2.0)))
    assert reason(tournament(found, duels), CORRECT)[0] == "judge_level"  # now c2, with 3, is closest


def test_counts_sum_to_the_wrong_picks_with_the_problems_per_reason():
    evidence = {"p/exec": two(BY_EXECUTION, (2.0, 0.0)), "p/judge": two(BY_JUDGE, (2.0, 0.0)),
                "p/judge2": two(BY_JUDGE, (2.0, 0.0)), "p/none": None,
                "p/kept": SStarEvidence(kept=("w1",), winner_group=0, decided_by=ONE_KEPT),
                "p/solved": two(BY_JUDGE, (0.0, 2.0))}
    correct = {p: CORRECT for p in evidence}
    out = wrong_picks.wrong_picks(evidence, ["p/judge2", "p/exec", "p/judge", "p/none", "p/kept", "p/judge"],
                                  correct)
    assert out["picked_wrong"] == 5 == sum(out[r] for r in wrong_picks.REASONS)
    assert out["judge_wrong"] == 2 and out["execution"] == 1 and out["not_kept"] == 1 and out["other"] == 1
    assert out["execution_added_only"] == 0 and out["one_group"] == 0
    assert out["problems"] == {"not_kept": ["p/kept"], "execution": ["p/exec"], "judge_wrong": ["p/judge", "p/judge2"],
                               "other": ["p/none"]}
    assert list(out)[:len(wrong_picks.REASONS) + 1] == ["picked_wrong", *wrong_picks.REASONS]
    assert len(wrong_picks.row(out)) == len(wrong_picks.COLUMNS) + 1
    assert wrong_picks.wrong_picks({}, [], {}) == {"picked_wrong": 0, **dict.fromkeys(
        (*wrong_picks.REASONS, *wrong_picks.OF_WHICH), 0), "problems": {}}


def test_the_markdown_copes_with_entries_written_before_the_breakdown():
    """Results written before `<variant>_wrong_picks` existed give the table's header and no rows."""
    import json
    from pathlib import Path

    from codesieve.report import sstar

    design = sstar.Design(("zero-shot", "majority-vote", "self-debug"), ("sstar", "sstar-predict"),
                          (sstar.Rerun("sstar, again", "sstar"),))
    data = json.loads((Path(__file__).parent / "fixtures" / "toy-run" / "sstar_accuracy.json").read_text())
    header = "| benchmark | S* | picked wrong | " + " | ".join(wrong_picks.COLUMNS) + " |"
    lines = sstar.markdown("r", data, {"toy": 2}, design, [], "")
    assert "| toy | sstar-predict | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 |" in lines
    before = {"toy": {k: v for k, v in data["toy"].items() if not k.endswith("_wrong_picks")}}
    lines = sstar.markdown("r", before, {"toy": 2}, design, [], "")
    at = lines.index(header)
    assert lines[at + 1].startswith("|---") and lines[at + 2] == ""
