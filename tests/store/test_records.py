"""Selection records: written in one versioned form, read back as typed evidence, old ones included."""

import json

import pytest

from codesieve.errors import StoreError
from codesieve.select import Cost, Selection
from codesieve.select.baseline_evidence import (CodeTEvidence, ConsensusSet, JudgeEvidence, MajorityEvidence,
                                                PublicFilterEvidence)
from codesieve.select.evidence import Group, SStarEvidence
from codesieve.store import RECORD_VERSION, RunStore, SelectionRow, read_selection, selection_record
from codesieve.types import Candidate, ExecResult, Verdict
from codesieve.verify.strategy import CascadeEvidence, PrunedCandidate, StageEvidence

WINNER = Candidate("p/1", 2, "def f():\n    return 1\n")
EVIDENCE = [
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


@pytest.mark.parametrize("evidence", EVIDENCE, ids=lambda e: type(e).__name__)
def test_every_evidence_type_survives_the_store(evidence):
    selection = Selection("s", WINNER, "why", evidence)
    record = selection_record("s", selection, Cost(1, 2, 3, 4), 0.5, True, ExecResult(Verdict.PASSED, ()))
    assert record["version"] == RECORD_VERSION and record["evidence"]
    read = read_selection("p/1", stored(record))
    assert read.evidence == evidence
    assert (read.winner, read.program, read.cost, read.passed) == (WINNER.id, WINNER.program, Cost(1, 2, 3, 4), True)
    assert read.grade["verdict"] == "passed"


def test_version_1_records_are_read_by_their_strategy_name():
    old = {"strategy": "majority-vote", "winner": "p/1#2.0", "program": "x", "reason": "largest",
           "trace": {"kept": ["p/1#2.0"], "inputs": ["f(1)"], "inputs_invalid": 0, "inputs_rejected": 0,
                     "inputs_raw": "", "groups": [{"members": ["p/1#2.0"], "representative": "p/1#2.0"}]},
           "cost": {"model_calls": 1, "prompt_tokens": 2, "completion_tokens": 3, "executions": 4},
           "wall_s": 1.0, "passed": True, "grade": None}
    read = read_selection("p/1", old)
    assert read.version == 1
    assert read.evidence == MajorityEvidence(("p/1#2.0",), ("f(1)",), groups=(Group(("p/1#2.0",), "p/1#2.0"),))
    sstar = read_selection("p/1", {**old, "strategy": "sstar-mutants", "trace": {"kept": ["p/1#2.0"]}})
    assert isinstance(sstar.evidence, SStarEvidence) and sstar.evidence.decided_by == "one_kept"
    unknown = read_selection("p/1", {**old, "strategy": "zero-shot", "trace": {}})
    assert unknown.evidence == {}


def test_newer_records_are_refused_with_a_clear_message():
    with pytest.raises(StoreError, match="version 3; this codesieve reads versions up to 2"):
        read_selection("p/1", {"version": 3, "strategy": "sstar"})


def test_run_store_reads_typed_selections(tmp_path):
    with RunStore(tmp_path / "run.sqlite") as store:
        store.open_run("k", {"benchmark": "b"})
        record = selection_record("codet", Selection("codet", WINNER, "why", EVIDENCE[2]), Cost(), 0.1, False, None)
        store.save_problem("k", "p/1", {}, [SelectionRow("p/1", "codet", "b", False, 0, 0, 0, 0.1, record)])
        [read] = store.selections("k")
    assert read.strategy == "codet" and read.evidence == EVIDENCE[2] and not read.passed
