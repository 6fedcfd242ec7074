import asyncio
from dataclasses import replace

from codesieve.stages import ProblemCandidates, Score, Toolbox
from codesieve.verify.cascade import CascadeResult, Pruned, run_cascade
from codesieve.verify.spec import parse_cascade

from tests.verify.conftest import ADD, cands

RIGHT = "def add(a, b):\n    return a + b\n"
RIGHT2 = "def add(x, y):\n    return x + y\n"
WRONG = "def add(a, b):\n    return a - b\n"
BROKEN = "def add(a, b)\n"


def cascade(spec: str, groups, tools: Toolbox, seed: int = 0) -> CascadeResult:
    return asyncio.run(run_cascade(parse_cascade(spec), groups, tools, seed))


class Spy:
    """A ranking check with fixed values per program that records what it was shown."""

    def __init__(self, values):
        self.values = values
        self.seen = []

    async def check(self, groups):
        self.seen.append([c.program for g in groups for c in g.candidates])
        return [[Score(True, self.values.get(c.program, 0.0)) for c in g.candidates] for g in groups]


def test_pruned_candidates_never_reach_later_stages():
    spy = Spy({})
    result = cascade("syntax > orm:spy", [ProblemCandidates(ADD, cands(ADD, RIGHT, BROKEN, WRONG))],
                     Toolbox(orms={"spy": spy}))
    assert spy.seen == [[RIGHT, WRONG]]
    [ranking] = result.rankings
    assert ranking.tiers == ((0, 2),) or ranking.tiers == ((2, 0),)
    assert ranking.pruned[0].position == 1 and ranking.pruned[0].stage == "syntax"
    assert ranking.pruned[0].reason.startswith("SyntaxError")
    assert [(s.stage, s.judged, s.pruned) for s in result.stages] == [("syntax", 3, 1), ("orm:spy", 2, 0)]
    assert result.candidates == 3 and result.seconds >= sum(s.seconds for s in result.stages)


def test_later_rankers_lead_and_earlier_ones_break_ties():
    first, second = Spy({RIGHT: 1.0, RIGHT2: 2.0, WRONG: 3.0}), Spy({RIGHT: 5.0, RIGHT2: 5.0, WRONG: 0.0})
    result = cascade("orm:a > orm:b", [ProblemCandidates(ADD, cands(ADD, RIGHT, RIGHT2, WRONG))],
                     Toolbox(orms={"a": first, "b": second}))
    assert result.rankings[0].tiers == ((1,), (0,), (2,))


def test_equal_keys_stay_tied_in_a_reproducible_order():
    group = ProblemCandidates(ADD, cands(ADD, RIGHT, RIGHT2, WRONG, RIGHT + "\n"))
    once = cascade("syntax", [group], Toolbox(), seed=3).rankings[0]
    again = cascade("syntax", [group], Toolbox(), seed=3).rankings[0]
    assert len(once.tiers) == 1 and sorted(once.tiers[0]) == [0, 1, 2, 3]
    assert once == again and once.selected == once.tiers[0][0]


def test_top_m_checks_best_first_and_stops_at_the_first_pass(executor):
    spy = Spy({WRONG: 3.0, RIGHT: 2.0, RIGHT2: 1.0})
    other = replace(ADD, id="toy/other")
    groups = [ProblemCandidates(ADD, cands(ADD, RIGHT2, RIGHT, WRONG)),
              ProblemCandidates(other, cands(other, WRONG, WRONG))]
    result = cascade("orm:spy > full@2", groups, Toolbox(executor=executor, orms={"spy": spy}))
    first, second = result.rankings
    assert first.tiers == ((1,), (0,))  # WRONG pruned, RIGHT checked and on top, RIGHT2 unchecked below
    assert first.pruned == (Pruned(2, "full@2", "wrong_answer"),)
    assert second.tiers == () and len(second.pruned) == 2
    assert result.stages[1].judged == 4  # 2 for the first problem, 2 for the second


def test_top_m_leaves_unchecked_candidates_when_m_runs_out(executor):
    spy = Spy({WRONG: 3.0, RIGHT: 2.0})
    result = cascade("orm:spy > full@1", [ProblemCandidates(ADD, cands(ADD, RIGHT, WRONG))],
                     Toolbox(executor=executor, orms={"spy": spy}))
    assert result.rankings[0].tiers == ((0,),) and result.rankings[0].selected == 0


def test_tests_at_m_checks_only_the_top_m_of_the_ranking_before_it(executor):
    """`tests:K@M` below the pool size: the M best by log-probability are checked, the rest are kept
    unchecked in their order, so a correct program ranked below M is picked only if M runs out first."""
    times = "def add(a, b):\n    return a * b\n"
    group = ProblemCandidates(ADD, cands(ADD, RIGHT2, WRONG, RIGHT, times, logprobs=[-0.4, -0.1, -0.3, -0.2]))
    two = cascade("orm:logprob > tests:2@2", [group], Toolbox(executor=executor)).rankings[0]
    assert [p.position for p in two.pruned] == [1, 3] and two.tiers == ((2,), (0,))  # both wrong checked first
    one = cascade("orm:logprob > tests:2@1", [group], Toolbox(executor=executor))
    assert one.rankings[0].tiers == ((3,), (2,), (0,)) and one.stages[1].judged == 1  # the next one, unchecked


def test_real_cascade_on_the_fixture_pool(executor, pool, problems):
    groups = [ProblemCandidates(problems[pid], tuple(e.candidate for e in es)) for pid, es in pool.by_problem().items()]
    labels = [[e.passed for e in es] for es in pool.by_problem().values()]
    result = cascade("syntax > lint > tests:1 > orm:logprob > full@3", groups, Toolbox(executor=executor))
    for ranking, label in zip(result.rankings, labels):
        checked_and_failed = [p for p in ranking.pruned if p.stage == "full@3"]
        if ranking.selected is not None and not label[ranking.selected]:
            assert len(checked_and_failed) == 3  # a wrong pick only after three failed checks
        assert not any(label[p.position] for p in ranking.pruned if p.stage in ("tests:1", "full@3"))
    assert result.programs_per_second > 0
