import json

from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.stages import SelectConfig, Toolbox, make_strategy
from codesieve.store.records import jsonable

from tests.select.conftest import DOUBLE, run, truthful_judge


def test_sstar_evidence_survives_the_store_as_json(attempts, executor):
    tools = Toolbox(judge=FakeBackend(truthful_judge), executor=executor, config=SelectConfig())
    sel = run(make_strategy("sstar").select(DOUBLE, attempts, tools))
    stored = json.loads(json.dumps(jsonable(sel.trace)))
    assert stored == sel.trace.to_json()
    back = ev.SStarEvidence.from_json(stored)
    assert back == sel.trace
    assert back.decided_by == ev.TOURNAMENT and back.winner_group == 0
    # the behaviour table: one row per kept candidate, one outcome per usable input
    assert [row.candidate for row in back.behaviour] == list(back.kept)
    assert {len(row.outcomes) for row in back.behaviour} == {len(back.inputs)}
    crasher = next(row for row in back.behaviour if row.candidate == "t/double#5.0")
    assert {o.verdict for o in crasher.outcomes} == {"runtime_error"}


def test_traces_stored_before_the_typed_evidence_still_read():
    legacy = {
        "kept": ["p#0.0", "p#1.0", "p#2.0"], "public_rate": 1.0, "inputs": ["f(1)"], "inputs_invalid": 0,
        "inputs_mutated": 0, "inputs_rejected": 0, "inputs_raw": "```python\nf(1)\n```",
        "groups": [{"members": ["p#0.0", "p#1.0"], "representative": "p#0.0", "outputs": ["1"]},
                   {"members": ["p#2.0"], "representative": "p#2.0", "outputs": ["2"]}],
        "points": [1.0, 1.0], "winner_group": 0,
        "duels": [{"groups": [0, 1], "a": "p#0.0", "b": "p#2.0", "asked": "```python\nf(3)\n```",
                   "inputs_parsed": 1, "inputs_invalid": 0,
                   "evidence": [{"input": "f(1)", "a": "1", "b": "2"}],
                   "decided_by": "judge", "answers": ["Answer: A", "Answer: A"], "votes": ["A", "B"],
                   "points": [1.0, 1.0]}],
    }
    seen = ev.SStarEvidence.from_json(legacy)
    [duel] = seen.duels
    assert duel.judge == "verdict-first" and duel.votes == ("A", "B") and not duel.decided
    assert [(a.swapped, a.text) for a in duel.answers] == [(False, "Answer: A"), (True, "Answer: A")]
    assert duel.evidence[0] == ev.Separating("f(1)", "1", "2")
    assert seen.decided_by == ev.LARGEST_GROUP and seen.groups[0].size == 2
    predicted = dict(legacy["duels"][0], answers=[], votes=["B"], points=[0.0, 2.0],
                     predictions=[{"input": "f(1)", "answer": "2", "predicted": "2"}])
    seen = ev.SStarEvidence.from_json(dict(legacy, duels=[predicted]))
    assert seen.duels[0].judge == "predict" and seen.duels[0].votes == ("B",)
    assert seen.decided_by == ev.TOURNAMENT and seen.duels[0].winner == "p#2.0"
    assert ev.SStarEvidence.from_json({"kept": ["p#0.0"]}).decided_by == ev.ONE_KEPT
