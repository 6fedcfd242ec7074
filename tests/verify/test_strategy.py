"""A cascade as a run strategy: it ranks on what selection may see, never on the hidden tests."""

import asyncio
from dataclasses import replace

import pytest

from codesieve.errors import ConfigError
from codesieve.stages import SelectConfig, Toolbox, make_strategy
from codesieve.types import Attempt, CallTest, Candidate, Problem, TaskKind
from codesieve.verify import CascadeEvidence, selection_view

RIGHT = "def add(a, b):\n    return a + b\n"
OFF_BY_ONE = "def add(a, b):\n    return a + b + 1\n"
ONLY_SMALL = "def add(a, b):\n    return a + b if a < 10 else 0\n"
BROKEN = "def add(a, b):\n    return a +\n"

# public tests: small numbers only; the hidden suite also has a large one, which only RIGHT passes
ADD = Problem("add/0", "Add two numbers.", TaskKind.FUNCTION, entry_point="add",
              public_tests=(CallTest((1, 2), 3), CallTest((2, 2), 4)),
              hidden_tests=(CallTest((1, 2), 3), CallTest((100, 1), 101), CallTest((2, 2), 4)),
              reference=RIGHT)


def attempts(*programs: str) -> list[Attempt]:
    return [Attempt(Candidate(ADD.id, i, p)) for i, p in enumerate(programs)]


def pick(spec: str, problem: Problem, found: list[Attempt], executor):
    tools = Toolbox(executor=executor, config=SelectConfig(seed=0))
    return asyncio.run(make_strategy(spec).select(problem, found, tools))


def test_selection_view_replaces_the_hidden_tests_by_the_public_ones():
    view = selection_view(ADD)
    assert view.hidden_tests == ADD.public_tests and view.reference is None
    assert view.public_tests == ADD.public_tests and view.id == ADD.id


def test_a_cascade_prunes_and_ranks_on_public_tests_only(executor):
    # ONLY_SMALL passes every public test and fails a hidden one: a cascade that saw the hidden suite
    # would prune it; this one cannot tell it from RIGHT, and keeps both in one tier
    found = attempts(BROKEN, ONLY_SMALL, OFF_BY_ONE, RIGHT)
    sel = pick("cascade:syntax > full", ADD, found, executor)
    assert isinstance(sel.trace, CascadeEvidence)
    assert sel.trace.tiers == ((found[1].candidate.id, found[3].candidate.id),) or \
        sel.trace.tiers == ((found[3].candidate.id, found[1].candidate.id),)
    assert {p.candidate: p.stage for p in sel.trace.pruned} == {found[0].candidate.id: "syntax",
                                                                found[2].candidate.id: "full"}
    assert sel.cost.executions == 3  # the three programs that compile, each run once on the public tests


def test_the_hidden_tests_never_change_a_cascade_pick(executor):
    found = attempts(ONLY_SMALL, OFF_BY_ONE, RIGHT)
    spec = "cascade:syntax > lint > majority:2 > orm:logprob > tests:2@2 > full"
    picks = set()
    for hidden in (ADD.hidden_tests, (CallTest((100, 1), 101),), (CallTest((1, 2), 999),), ()):
        sel = pick(spec, replace(ADD, hidden_tests=hidden), found, executor)
        stages = tuple((s.stage, s.judged, s.pruned) for s in sel.trace.stages)
        picks.add((sel.winner.id, stages, sel.trace.pruned, sel.trace.tiers))
    assert len(picks) == 1  # same winner, same evidence, whatever the hidden tests say


def test_when_every_candidate_is_pruned_the_one_that_got_furthest_is_handed_in(executor):
    found = attempts(BROKEN, OFF_BY_ONE)
    sel = pick("cascade:syntax > tests:1", ADD, found, executor)
    assert sel.winner == found[1].candidate and "every candidate was pruned" in sel.reason
    assert sel.trace.tiers == ()


def test_cascade_names_and_errors():
    assert make_strategy("cascade: syntax>lint >tests:3@2").name == "cascade:syntax > lint > tests:3@2"
    with pytest.raises(ConfigError, match="unknown verifier 'nope'"):
        make_strategy("cascade:syntax > nope")
    with pytest.raises(ConfigError, match="needs an executor"):
        pick("cascade:tests:1", ADD, attempts(RIGHT), None)
