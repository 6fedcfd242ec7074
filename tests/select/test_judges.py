"""A judge is a registered stage: one class, decorated, and S* duels with it by name; its options
(`judge`, `inputs`) make the S* configurations."""

import pytest

from codesieve.errors import ConfigError
from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.select.judges.base import Judgement
from codesieve.select.sstar import SStar
from codesieve.stages import SelectConfig, Toolbox, make_strategy, registered
from codesieve.stages.registry import judge

from tests.select.conftest import DOUBLE, run, truthful_judge


@judge("doubled-output")
class DoubledOutput:
    """Knows the answer without a model: the side whose output is twice the input wins."""

    name = "doubled-output"
    by_code = False
    seen: list[int] = []  # how many inputs each call was shown

    async def judge(self, problem, a, b, shown, tools, cost):
        self.seen.append(len(shown))
        right = [(d.ran.a.output == str(2 * d.ran.test.args[0]), d.ran.b.output == str(2 * d.ran.test.args[0]))
                 for d in shown]
        wins_a, wins_b = sum(x and not y for x, y in right), sum(y and not x for x, y in right)
        return Judgement((2.0, 0.0) if wins_a > wins_b else (0.0, 2.0) if wins_b > wins_a else (1.0, 1.0))


@judge("no-opinion")
class NoOpinion:
    """Decides nothing, whether shown outputs or code alone."""

    name = "no-opinion"
    by_code = True
    calls: list[int] = []

    async def judge(self, problem, a, b, shown, tools, cost):
        self.calls.append(len(shown))
        return Judgement((0.0, 0.0))


def select(strategy, attempts, executor, backend=None, **config):
    tools = Toolbox(judge=backend or FakeBackend(truthful_judge), executor=executor, config=SelectConfig(**config))
    return run(strategy.select(DOUBLE, attempts, tools))


def test_a_judge_defined_outside_the_package_decides_s_stars_duels(attempts, executor):
    assert "doubled-output" in registered("judge")
    sel = select(make_strategy("sstar"), attempts[:4], executor, judge="doubled-output")
    judged = [d for d in sel.trace.duels if d.decided_by == ev.BY_JUDGE]
    assert len(judged) == 3 and all(d.judge == "doubled-output" for d in judged)
    assert sel.trace.points == (4.0, 1.0, 1.0)  # the right group beats both; the two wrong ones split 1-1
    assert sel.trace.judge == "doubled-output" and sel.winner.index == 0 and sel.trace.decided_by == ev.TOURNAMENT
    assert 0 not in DoubledOutput.seen  # always shown the inputs the programs differ on
    # the S* option names the judge whatever the run's configured one is
    assert select(SStar(judge="doubled-output"), attempts[:4], executor, judge="reason").trace.judge == "doubled-output"


def test_a_judge_that_can_read_code_is_asked_again_by_code_alone(attempts, executor):
    sel = select(make_strategy("sstar"), attempts[:4], executor, judge="no-opinion")
    assert not any(d.decided for d in sel.trace.duels)
    code = sel.trace.code_judgement  # by_code: the representatives' programs are compared once more
    assert code is not None and len(code.duels) == 3 and all(d.judge == "no-opinion" for d in code.duels)
    assert NoOpinion.calls.count(0) == 3 and sel.trace.decided_by == ev.LARGEST_GROUP
    no_code = select(make_strategy("sstar"), attempts[:4], executor, judge="verdict-first")
    assert no_code.trace.code_judgement is None  # verdict-first does not judge by code


def test_the_s_star_configurations_are_options_of_one_class():
    made = {name: make_strategy(name) for name in ("sstar", "sstar-mutants", "sstar-predict")}
    assert all(type(s) is SStar for s in made.values())
    assert {n: (s.name, s.judge, s.inputs) for n, s in made.items()} == {
        "sstar": ("sstar", None, None), "sstar-mutants": ("sstar-mutants", None, "model+mutants"),
        "sstar-predict": ("sstar-predict", "predict", "model+mutants")}
    with pytest.raises(ConfigError, match="unknown judge 'coin'"):
        SStar(judge="coin")
    with pytest.raises(ConfigError, match="unknown S\\* inputs 'mutants'.*model, model\\+mutants"):
        SStar(inputs="mutants")
    with pytest.raises(ConfigError, match="unknown judge 'coin'; choose from: .*doubled-output.*predict"):
        SelectConfig(judge="coin")


def test_the_cli_offers_the_registered_judges_and_the_configured_default():
    from codesieve.cli import build_parser

    assert build_parser().parse_args(["run"]).judge == SelectConfig().judge == "predict"
    assert build_parser().parse_args(["run", "--judge", "doubled-output"]).judge == "doubled-output"


def test_an_example_output_predicted_for_another_input_is_copied_and_casts_no_vote():
    from codesieve.select.judges.predict import _UNREAD, copies_an_example
    from codesieve.types import AssertTest, CallTest, Problem, StdioTest, TaskKind

    assert copies_an_example(DOUBLE, CallTest((5,)), 2)  # double(1) == 2 is the statement's example
    assert copies_an_example(DOUBLE, CallTest((5,)), 2.0)  # by the benchmark's comparison
    assert not copies_an_example(DOUBLE, CallTest((1,)), 2)  # the example's own input: its output is right
    assert not copies_an_example(DOUBLE, CallTest((5,)), 10)
    assert not copies_an_example(DOUBLE, CallTest((5,)), _UNREAD)
    add = Problem(id="t/add", prompt="Print the sum.", kind=TaskKind.STDIO, public_tests=(StdioTest("1 2\n", "3\n"),))
    assert copies_an_example(add, StdioTest("4 5\n"), "3\n") and not copies_an_example(add, StdioTest("1 2\n"), "3\n")
    assert not copies_an_example(add, StdioTest("4 5\n"), "9\n")
    match = Problem(id="t/m", prompt="", kind=TaskKind.FUNCTION, entry_point="m",
                    public_tests=(AssertTest('assert not m("ac")'),))  # MBPP's way of saying m("ac") is False
    assert copies_an_example(match, CallTest(("abbb",)), False)
    assert not copies_an_example(match, CallTest(("ac",)), False)
    assert not copies_an_example(match, CallTest(("abbb",)), True)


def test_a_judge_that_answers_with_the_example_output_decides_nothing(attempts, executor):
    """`return 2` gives the example's output, 2, on every input; a judge that copies the example
    would vote for it on each. Copied predictions are kept in the record, without a vote."""
    def copying(request, index):
        return "```python\n2\n```" if "What does a correct" in request.messages[-1].content \
            else truthful_judge(request, index)

    sel = select(make_strategy("sstar-predict"), attempts[:4], executor)
    copied = select(SStar(judge="predict", inputs="model+mutants"), attempts[:4], executor,
                    backend=FakeBackend(copying))
    judged = [d for d in copied.trace.duels if d.decided_by == ev.BY_JUDGE]
    assert judged and all(p.copied and p.vote is None and p.predicted == "2" for d in judged for p in d.predictions)
    assert all(d.points == (1.0, 1.0) for d in judged)  # no vote on either side: level
    assert copied.winner.index == sel.winner.index == 0
    assert not any(p.copied for d in sel.trace.duels for p in d.predictions)  # a true prediction is not a copy
    stored = ev.SStarEvidence.from_json(copied.trace.to_json())
    assert stored == copied.trace
    old = copied.trace.to_json()
    for d in old["duels"]:
        for p in d["predictions"]:
            del p["copied"]  # a record stored before the rule
    assert not any(p.copied for d in ev.SStarEvidence.from_json(old).duels for p in d.predictions)


def test_a_judge_naming_one_position_in_both_orders_is_read_as_such():
    from codesieve.select.judges.orders import read_votes, same_position, shown_position

    always_a = read_votes(["Answer: A", "Answer: A"], [3, 3], lambda t: t[-1])[1]
    assert [a.vote for a in always_a] == ["A", "B"] and [shown_position(a) for a in always_a] == ["A", "A"]
    assert same_position(always_a) == "A"
    consistent = read_votes(["Answer: A", "Answer: B"], [3, 3], lambda t: t[-1])[1]  # names program A both times
    assert same_position(consistent) is None
    assert same_position(read_votes(["tie", "tie"], [1, 1], lambda t: t)[1]) is None
    assert same_position(read_votes(["A", "?"], [1, 1], lambda t: None if t == "?" else t)[1]) is None
