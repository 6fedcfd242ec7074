from codesieve.llm.fake import FakeBackend
from codesieve.select.codet import consensus
from codesieve.select.judge import parse_choice
from codesieve.stages import CandidatePool, SelectConfig, Toolbox, make_strategy, registered

import pytest

from codesieve.errors import ConfigError

from tests.select.conftest import DOUBLE, run, truthful_judge


def select(name, attempts, executor, respond=truthful_judge, seed=0):
    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=SelectConfig(seed=seed))
    return run(make_strategy(name).select(DOUBLE, attempts, tools))


def test_registry_names_and_pools():
    builtin = [n for n, e in registered("strategy").items() if str(e.target).startswith("codesieve.")]
    assert builtin == ["cascade", "codet", "llm-judge", "majority-vote", "mbr-exec", "public-filter",
                       "random", "self-debug", "sstar", "sstar-cheap", "sstar-generator", "sstar-mutants",
                       "sstar-predict", "zero-shot"]
    assert make_strategy("zero-shot").pool == CandidatePool.GREEDY
    assert make_strategy("self-debug").pool == CandidatePool.GREEDY_DEBUGGED
    with pytest.raises(ConfigError, match="choose from"):
        make_strategy("nope")
    with pytest.raises(ConfigError, match="write cascade:lint"):
        make_strategy("lint")
    with pytest.raises(ConfigError, match="takes no argument"):
        make_strategy("sstar:3")
    with pytest.raises(ConfigError, match="needs an argument"):
        make_strategy("cascade:")


def test_majority_vote_takes_the_largest_group(attempts, executor):
    sel = select("majority-vote", attempts, executor)
    assert sel.winner.index == 0 and "largest of 4 groups" in sel.reason
    assert sel.cost.model_calls == 1 and sel.cost.executions == 5


def test_random_and_public_filter_are_seeded(attempts, executor):
    picks = {select("random", attempts, executor, seed=s).winner.index for s in range(20)}
    assert len(picks) > 1
    assert select("random", attempts, executor, seed=3).winner == select("random", attempts, executor, seed=3).winner
    assert all(select("public-filter", attempts, executor, seed=s).winner.index != 4 for s in range(10))


def test_codet_dual_agreement(attempts, executor):
    sel = select("codet", attempts, executor)
    # tests: double(3)==6, double(0)==0, double(1)==3 (wrong). {0,1} pass 2 tests: score 4.
    assert sel.winner.index == 0
    assert sel.trace.sets[0].score == 4


def test_consensus_scores():
    ranked = consensus([frozenset({0, 1}), frozenset({0, 1}), frozenset({2}), frozenset({0, 1, 2})])
    assert [(c.members, s) for c, s in ranked] == [((0, 1), 4), ((3,), 3), ((2,), 1)]


def test_llm_judge_without_execution(attempts, executor):
    sel = select("llm-judge", attempts, executor)
    assert sel.winner.index == 2 and sel.cost.executions == 0  # the scripted judge says "3"
    fallback = select("llm-judge", attempts, executor, respond=lambda r, i: "dunno")
    assert fallback.winner.index == 0 and "unparsable" in fallback.reason


def test_parse_choice():
    assert parse_choice("Answer: 2", 3) == 1
    assert parse_choice("answer: 9. Answer: program 1", 3) == 0
    assert parse_choice("none", 3) is None


def test_zero_shot_and_self_debug_take_what_they_are_given(attempts, executor):
    assert select("zero-shot", attempts[2:3], executor).winner.index == 2
    assert select("self-debug", attempts[4:5], executor).winner.index == 4
    assert select("zero-shot", [], executor).winner is None
