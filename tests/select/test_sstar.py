from dataclasses import replace

import pytest

from codesieve.errors import ConfigError
from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.select.sstar import SStar
from codesieve.stages import SelectConfig, Toolbox, make_strategy

from tests.select.conftest import DOUBLE, asked, run, truthful_judge
from tests.select.test_mbr_exec import BODIES, attempts_of


def select(name, attempts, executor, respond=truthful_judge, **config):
    """`name` on the model's inputs alone unless `config` says otherwise: these tests are S*'s mechanics."""
    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=SelectConfig(**{"inputs": "model", **config}))
    return run(make_strategy(name).select(DOUBLE, attempts, tools))


def test_sstar_groups_then_duels_with_real_outputs(attempts, executor):
    sel = select("sstar", attempts, executor, judge="reason")
    assert sel.winner.index == 0
    assert sel.trace.kept == ("t/double#0.0", "t/double#1.0", "t/double#2.0", "t/double#3.0", "t/double#5.0")
    groups = [g.members for g in sel.trace.groups]
    assert groups[0] == ("t/double#0.0", "t/double#1.0")
    assert len(groups) == 4
    # group 0 beats everyone: by the judge on real outputs, or by execution against the crasher
    assert sel.trace.points[0] == 6.0
    decided = {d.groups: d.decided_by for d in sel.trace.duels}
    assert "execution" in decided.values() and "judge" in decided.values()
    judged = next(d for d in sel.trace.duels if d.decided_by == "judge")
    assert judged.evidence[0].input == "double(10)" and len(judged.answers) == 2
    assert sel.cost.model_calls >= 1 + 3 + 2 and sel.cost.executions > 0


def test_position_biased_verdict_first_judge_cancels_out(attempts, executor):
    sel = select("sstar", attempts[:4], executor, respond=lambda r, i: "Answer: A" if "Which outputs" in
                 asked(r) else truthful_judge(r, i), judge="verdict-first")
    assert sel.trace.points == (2.0, 2.0, 2.0)  # every duel split 1-1
    assert sel.winner.index == 0 and sel.trace.decided_by == ev.LARGEST_GROUP  # so the largest group wins


def always_a_after_thinking(request, index):
    text = asked(request)
    if "Which program" in text:
        return "Let me compare the two programs carefully.\nA"
    return truthful_judge(request, index)


def test_a_reasoning_judge_that_always_names_a_scores_nothing_then_judges_code(attempts, executor):
    sel = select("sstar", attempts[:4], executor, respond=always_a_after_thinking, judge="reason")
    judged = [d for d in sel.trace.duels if d.decided_by == "judge"]
    assert judged and all(d.votes == ("A", "B") and d.points == (0.0, 0.0) for d in judged)  # inconsistent: 0-0
    assert not any(d.decided for d in sel.trace.duels)
    code = sel.trace.code_judgement  # nothing decided: the representatives' code alone is judged
    assert code is not None and len(code.duels) == 3 and all(not d.evidence for d in code.duels)
    assert code.winner_group is None and sel.trace.decided_by == ev.LARGEST_GROUP and sel.winner.index == 0


def test_the_code_judge_decides_when_the_duels_did_not(attempts, executor):
    def code_reader(request, index):
        text = asked(request)
        if "Which program's results" in text:
            return "Hard to say.\nA"  # inconsistent across orders
        if "Which program solves the problem correctly?" in text:  # code only: name the `x * 2` program
            a = text.split("Program A:")[1].split("Program B:")[0]
            return "Reading both.\n" + ("A" if "x * 2" in a else "B")
        return truthful_judge(request, index)

    sel = select("sstar", attempts[:4], executor, respond=code_reader, judge="reason")
    assert sel.trace.decided_by == ev.CODE_JUDGE and sel.trace.code_judgement.winner_group == 0
    assert sel.winner.index == 0 and "judged by code alone" in sel.reason


def test_unparsable_judge_gives_no_points(attempts, executor):
    for judge, marker, points in (("verdict-first", "Which outputs", (0.0, 0.0)), ("reason", "Which program", (0.0, 0.0))):
        sel = select("sstar", attempts[:4], executor, respond=lambda r, i: "hmm" if marker in
                     asked(r) else truthful_judge(r, i), judge=judge)
        judged = [d for d in sel.trace.duels if d.decided_by == "judge"]
        assert judged and all(d.votes == (None, None) and d.points == points for d in judged)
        assert sel.winner.index == 0


def test_without_usable_inputs_groups_by_text(attempts, executor):
    sel = select("sstar", attempts[:2], executor, respond=lambda r, i: "I cannot")
    assert sel.trace.inputs == () and sel.trace.inputs_invalid >= 1
    assert len(sel.trace.groups) == 2  # two different texts
    assert sel.winner is not None


def test_single_group_needs_no_duel(attempts, executor):
    sel = select("sstar", attempts[:2], executor)
    assert sel.reason.startswith("all kept candidates agree") and not sel.trace.duels


def test_max_groups_bounds_the_duels(attempts, executor):
    sel = select("sstar", attempts, executor, max_groups=2)
    assert len(sel.trace.duels) == 1


def echoing_judge(request, index):
    """A small model's habit: asked for new inputs, it repeats the docstring example."""
    text = asked(request)
    if "Write 5 new test inputs" in text or "complete set of such inputs" in text:
        return "```python\ndouble(1)\n```"
    return truthful_judge(request, index)


def test_mutants_split_candidates_that_agree_on_repeated_examples(attempts, executor):
    # `x + 1` ranks first (the model was surer of it), so it speaks for a group of both
    wrong_first = [replace(attempts[2], candidate=replace(attempts[2].candidate, mean_logprob=-0.1)),
                   replace(attempts[0], candidate=replace(attempts[0].candidate, mean_logprob=-0.5))]
    plain = select("sstar", wrong_first, executor, respond=echoing_judge)
    assert plain.reason.startswith("all kept candidates agree") and plain.winner.index == 2
    mutated = select("sstar-mutants", wrong_first, executor, respond=echoing_judge)
    assert mutated.trace.inputs_mutated == 2  # double(2), double(0)
    assert len(mutated.trace.groups) == 2 and mutated.winner.index == 0
    assert mutated.trace.duels[0].decided_by == "judge"


def test_inputs_are_asked_for_plainly_and_greedily_by_default(attempts, executor):
    """A reasoned request cost the 0.5B its whole 384-token budget, in a duel for about one input
    (docs/first-run.md); the plain requests are the ones the benchmark's runs measured."""
    reasoned = {"inputs_style": "reason", "inputs_temperature": 0.7}
    for config, inputs, duels in (
            ({}, ("Write 5 new test inputs", 0.0, 256), ("Write up to 3 small test inputs", 0.0, 256)),
            (reasoned, ("First think briefly about which inputs", 0.7, 384), ("Write up to 3 small", 0.0, 256)),
            ({**reasoned, "duel_inputs_style": "reason"}, ("First think briefly about which inputs", 0.7, 384),
             ("First think briefly about where the two programs", 0.7, 384))):
        seen = []

        def recording(request, index):
            seen.append(request)
            return truthful_judge(request, index)

        sel = select("sstar", attempts[:4], executor, respond=recording, **config)
        asked_duels = [r for r in seen if "Program A:" in asked(r) and "different outputs" in asked(r)]
        asked_inputs = [r for r in seen if "Program A:" not in asked(r) and "inputs" in asked(r)]
        assert sel.trace.duels and len(asked_duels) == len(sel.trace.duels) and len(asked_inputs) == 1
        for requests, (phrase, temperature, max_tokens) in ((asked_inputs, inputs), (asked_duels, duels)):
            assert all(phrase in asked(r) and (r.temperature, r.max_tokens) == (temperature, max_tokens)
                       for r in requests), (config, phrase)


def test_agreement_settles_the_groups_the_duels_leave_level_where_size_picks_the_wrong_pair(executor):
    attempts = attempts_of(BODIES, executor)  # a wrong pair; a right program; two right but on one input
    always_a = lambda r, i: "Answer: A" if "Which outputs" in asked(r) else truthful_judge(r, i)  # noqa: E731
    tools = Toolbox(judge=FakeBackend(always_a), executor=executor,
                    config=SelectConfig(judge="verdict-first", inputs="model"))
    by_size = run(SStar().select(DOUBLE, attempts, tools))
    assert not any(d.decided for d in by_size.trace.duels)
    assert by_size.trace.decided_by == ev.LARGEST_GROUP and by_size.winner.index == 0
    by_agreement = run(SStar(tiebreak="agreement").select(DOUBLE, attempts, tools))
    assert by_agreement.trace.duels == by_size.trace.duels  # the same duels, settled otherwise
    assert by_agreement.trace.decided_by == ev.AGREEMENT and by_agreement.winner.index == 1
    assert "agrees most with the others (4; size 1)" in by_agreement.reason


def test_one_prediction_is_not_enough_to_put_a_smaller_group_over_a_larger_one_with_overrule_2(executor):
    attempts = attempts_of(BODIES, executor)

    def predicts_one(request, index):  # predicts double(10) only; any other prediction is unreadable
        text = asked(request)
        if "What does a correct" in text:
            return "```python\n20\n```" if "double(10)" in text else "It depends."
        return truthful_judge(request, index)

    tools = Toolbox(judge=FakeBackend(predicts_one), executor=executor, config=SelectConfig(judge="predict"))
    anyway = run(SStar().select(DOUBLE, attempts, tools))
    assert anyway.trace.decided_by == ev.TOURNAMENT and anyway.winner.index == 1  # one vote beat the pair
    held = run(SStar(overrule=2).select(DOUBLE, attempts, tools))
    levelled = [d for d in held.trace.duels if d.levelled]
    assert levelled and all(d.groups[0] == 0 and d.points == (1.0, 1.0) and d.votes.count("B") == 1
                            for d in levelled)
    assert held.trace.decided_by == ev.LARGEST_GROUP and held.winner.index == 0
    assert ev.SStarEvidence.from_json(held.trace.to_json()) == held.trace


def test_s_star_options_are_checked():
    with pytest.raises(ConfigError, match="unknown S\\* tiebreak 'votes'; choose from: size, agreement"):
        SStar(tiebreak="votes")
    with pytest.raises(ConfigError, match="at least 1"):
        SStar(overrule=0)
