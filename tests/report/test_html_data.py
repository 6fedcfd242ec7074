"""What the report reads out of stored records, without a browser."""

from __future__ import annotations

import base64
import gzip
import json

from codesieve.generate.debug import Lineage
from codesieve.report.html_data import hidden_summary, pack, problem_detail
from codesieve.store import Pools, ProblemRecord, read_selection
from codesieve.types import Attempt, Candidate, ExecResult, Verdict
from codesieve.types import TestOutcome as Outcome

from tests.report.conftest import SQUARE

# an S* trace as stored before the typed evidence: groups carry their representative's outputs
LEGACY_TRACE = {
    "kept": ["t/square#0.0", "t/square#1.0", "t/square#2.0"], "public_rate": 1.0,
    "inputs": ["square(3)", "square(-1)"],
    "groups": [{"members": ["t/square#1.0"], "representative": "t/square#1.0", "outputs": ["9", "1"]},
               {"members": ["t/square#0.0", "t/square#2.0"], "representative": "t/square#0.0",
                "outputs": ["6", "runtime_error (ValueError)"]}],
    "points": [2.0, 0.0],
    "duels": [{"groups": [0, 1], "a": "t/square#1.0", "b": "t/square#0.0", "asked": "", "inputs_parsed": 0,
               "inputs_invalid": 0, "evidence": [{"input": "square(3)", "a": "9", "b": "6"}],
               "decided_by": "judge", "answers": ["Answer: A", "Answer: B"], "votes": ["A", "A"],
               "points": [2.0, 0.0]}],
    "winner_group": 0,
}


def sample(index: int, body: str) -> Lineage:
    candidate = Candidate("t/square", index, f"def square(x):\n    {body}\n", raw=body, completion_tokens=3)
    return Lineage((Attempt(candidate, ExecResult(Verdict.PASSED, (Outcome(Verdict.PASSED, "4", "h"),))),))


def test_a_legacy_trace_gets_its_behaviour_table_from_the_groups_outputs():
    stored = {"strategy": "sstar", "winner": "t/square#1.0", "program": "def square(x):\n    return x * x\n",
              "reason": "group 0 won", "passed": True, "trace": LEGACY_TRACE}  # a version-1 record
    record = ProblemRecord("r", "t/square", "toy",
                           Pools(sampled=(sample(0, "return x + x"), sample(1, "return x * x"),
                                          sample(2, "return 2 * x"))),
                           {"sstar": read_selection("t/square", "sstar", stored)})
    detail = problem_detail(record, SQUARE, graded=None)
    pick = detail["strategies"]["sstar"]
    assert pick["pool"] == "sampled" and pick["duels"]
    rows = {b["candidate"]: [(o["verdict"], o["shown"]) for o in b["outcomes"]] for b in pick["evidence"]["behaviour"]}
    assert rows["t/square#2.0"] == [("ok", "6"), ("runtime_error", "runtime_error (ValueError)")]
    assert rows["t/square#1.0"] == [("ok", "9"), ("ok", "1")]
    [duel] = pick["evidence"]["duels"]
    assert [a["vote"] for a in duel["answers"]] == ["A", "A"] and duel["answers"][1]["swapped"]
    assert detail["correct_in_pool"] == {"sampled": None}  # not graded: unknown, not "no"
    assert detail["public_tests"] == [{"input": "square(2)", "expected": "4"}]


def test_a_hidden_verdict_keeps_the_counts_and_the_first_failing_test():
    grade = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.PASSED, "4"), Outcome(Verdict.WRONG_ANSWER, "6"),
                                              Outcome(Verdict.NOT_RUN)))
    summary = hidden_summary(grade, SQUARE)
    assert summary == {"passed": False, "verdict": "wrong_answer", "total": 3, "n_passed": 1,
                       "failure": {"verdict": "wrong_answer", "output": "6", "error": None,
                                   "input": "square(3)", "expected": "9"}, "failed_at": 2}


def test_a_packed_detail_inflates_to_the_same_json():
    detail = {"id": "t/x", "text": "</script> ✓ " * 100}
    packed = pack(detail)
    assert json.loads(gzip.decompress(base64.b64decode(packed))) == detail
    assert len(packed) < len(json.dumps(detail)) / 5
