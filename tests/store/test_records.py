"""Selection records: written in one versioned form, read back as typed evidence, old ones included."""

import json
from dataclasses import dataclass

import pytest

from codesieve.errors import StoreError
from codesieve.select.baseline_evidence import (CodeTEvidence, ConsensusSet, JudgeEvidence, MajorityEvidence,
                                                PublicFilterEvidence)
from codesieve.select.evidence import Group, SStarEvidence
from codesieve.stages import Cost, Selection, registry
from codesieve.store import RECORD_VERSION, Pools, RunStore, SelectionRow, read_selection, selection_record
from codesieve.types import Candidate, ErrorInfo, ExecResult, Verdict
from codesieve.types import TestOutcome as Outcome
from codesieve.verify.strategy import CascadeEvidence, PrunedCandidate, StageEvidence

WINNER = Candidate("p/1", 2, "def f():\n    return 1\n")
EVIDENCE = [  # each evidence type with the name records of version 2 have stored for it
    PublicFilterEvidence(("p/1#0.0", "p/1#2.0")),
    MajorityEvidence(("p/1#0.0", "p/1#2.0"), ("f(1)",), 1, 0, "```python\nf(1)\n```",
                     (Group(("p/1#2.0", "p/1#0.0"), "p/1#2.0", ("1",)),)),
    CodeTEvidence(("f(1) -> 1",), 0, "assert f(1) == 1", (ConsensusSet(("p/1#2.0",), ("0",), 1),)),
    JudgeEvidence(("p/1#0.0", "p/1#2.0"), "Answer: 2", 1),
    JudgeEvidence(("p/1#0.0", "p/1#2.0"), "no idea", None),
    CascadeEvidence("syntax > tests:1", (StageEvidence("syntax", 2, 0, 0.01), StageEvidence("tests:1", 2, 1, 0.2)),
                    (PrunedCandidate("p/1#0.0", "tests:1", "wrong_answer"),), (("p/1#2.0",),)),
    SStarEvidence(kept=("p/1#2.0",), public_rate=1.0, decided_by="one_kept"),
]


def stored(record: dict) -> dict:
    return json.loads(json.dumps(record))


NAMES = ["public-filter", "majority-vote", "codet", "llm-judge", "llm-judge", "cascade", "sstar"]


@pytest.mark.parametrize("evidence,name", list(zip(EVIDENCE, NAMES)), ids=[type(e).__name__ for e in EVIDENCE])
def test_every_evidence_type_survives_the_store(evidence, name):
    selection = Selection("s", WINNER, "why", evidence)
    grade = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.PASSED, "4", "h", time_s=0.1, value=(4, {5})),
                                              Outcome(Verdict.WRONG_ANSWER, "6", error=ErrorInfo("E", "m", "tb"))),
                       wall_s=0.5, cpu_s=0.25)
    record = selection_record("s", selection, Cost(1, 2, 3, 4), 0.5, True, grade)
    assert record["version"] == RECORD_VERSION and record["evidence"] == name  # the names stored so far
    read = read_selection("p/1", "s", stored(record))
    assert read.evidence == evidence
    assert (read.winner, read.program, read.cost, read.passed) == (WINNER.id, WINNER.program, Cost(1, 2, 3, 4), True)
    assert read.grade == grade and read.grade.outcomes[0].value == (4, {5})


@dataclass(frozen=True)
class ShortestEvidence:
    lengths: tuple[int, ...] = ()


def test_a_plugin_strategys_evidence_reads_back_as_its_type(monkeypatch):
    monkeypatch.setattr(registry, "_PLUGINS", {})  # registered for this test only
    registry.strategy("store-test-shortest", evidence=ShortestEvidence)(lambda: None)
    evidence = ShortestEvidence((3, 1))
    record = selection_record("store-test-shortest", Selection("s", WINNER, "shortest", evidence), Cost(), 0.1,
                              True, None)
    assert record["evidence"] == "store-test-shortest"
    read = read_selection("p/1", "s", stored(record))
    assert read.evidence == evidence and read.grade is None
    monkeypatch.setattr(registry, "_PLUGINS", {})  # no longer registered: the stored JSON
    assert read_selection("p/1", "s", stored(record)).evidence == {"lengths": [3, 1]}


def test_version_1_records_are_read_by_their_strategy_name():
    old = {"strategy": "majority-vote", "winner": "p/1#2.0", "program": "x", "reason": "largest",
           "trace": {"kept": ["p/1#2.0"], "inputs": ["f(1)"], "inputs_invalid": 0, "inputs_rejected": 0,
                     "inputs_raw": "", "groups": [{"members": ["p/1#2.0"], "representative": "p/1#2.0"}]},
           "cost": {"model_calls": 1, "prompt_tokens": 2, "completion_tokens": 3, "executions": 4},
           "wall_s": 1.0, "passed": True, "grade": None}
    read = read_selection("p/1", "majority-vote", old)
    assert read.version == 1
    assert read.evidence == MajorityEvidence(("p/1#2.0",), ("f(1)",), groups=(Group(("p/1#2.0",), "p/1#2.0"),))
    sstar = read_selection("p/1", "sstar-mutants", {**old, "strategy": "sstar-mutants",
                                                             "trace": {"kept": ["p/1#2.0"]}})
    assert isinstance(sstar.evidence, SStarEvidence) and sstar.evidence.decided_by == "one_kept"
    unknown = read_selection("p/1", "zero-shot", {**old, "strategy": "zero-shot", "trace": {}})
    assert unknown.evidence == {}


def test_newer_records_are_refused_with_a_clear_message():
    with pytest.raises(StoreError, match="version 3; this codesieve reads versions up to 2"):
        read_selection("p/1", "sstar", {"version": 3, "strategy": "sstar"})


def test_run_store_reads_typed_selections(tmp_path):
    with RunStore(tmp_path / "run.sqlite") as store:
        store.open_run("k", {"benchmark": "b"})
        record = selection_record("codet", Selection("codet", WINNER, "why", EVIDENCE[2]), Cost(), 0.1, False, None)
        store.save_problem("k", "p/1", {}, [SelectionRow("p/1", "codet", "b", False, 0, 0, 0, 0.1, record)])
        [problem] = store.problems("k")
        assert list(store.selections("k")) == [problem.strategies["codet"]]
    assert (problem.run, problem.problem_id, problem.benchmark, problem.pools) == ("k", "p/1", "b", Pools())
    read = problem.strategies["codet"]
    assert read.strategy == "codet" and read.evidence == EVIDENCE[2] and not read.passed
