"""A `Job` as a backend's `Task` (JSON text, hashed for the result cache), and a raw result back
as an `ExecResult`. What is hashed here is the cache key: change it only with HARNESS_VERSION."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from codesieve.errors import SandboxError
from codesieve.execution import codec
from codesieve.execution.interface import RawResult, Task
from codesieve.execution.job import Job
from codesieve.types import AssertTest, CallTest, ErrorInfo, ExecResult, StdioTest, Test, TestOutcome, Verdict

HARNESS_VERSION = "6"  # bump when what an outcome holds changes: it invalidates cached results


class TestSets:
    """Encodes each test set once per tuple object (callers reuse one tuple for a problem's tests),
    giving its JSON text and sha256."""

    def __init__(self, max_memo: int = 512):
        self._memo: dict[int, tuple[tuple, str, str]] = {}
        self._max = max_memo

    def encode(self, tests: tuple[Test, ...]) -> tuple[str, str]:
        memo = self._memo.get(id(tests))
        if memo is None or memo[0] is not tests:
            text = json.dumps([_encode_test(t) for t in tests], separators=(",", ":"), sort_keys=True)
            memo = (tests, text, hashlib.sha256(text.encode()).hexdigest())
            if len(self._memo) > self._max:
                self._memo.clear()
            self._memo[id(tests)] = memo
        return memo[1], memo[2]


def to_task(job: Job, tests: TestSets) -> Task:
    text, tests_key = tests.encode(job.tests)
    head = json.dumps({
        "v": HARNESS_VERSION,
        "program": job.program,
        "kind": str(job.kind),
        "entry": job.entry_point,
        "limits": asdict(job.limits),
        "cmp": {"atol": job.comparison.atol, "rtol": job.comparison.rtol, "seq": job.comparison.sequences_as_lists},
        "stop": job.stop_on_fail,
        "probe": job.probe,
    }, separators=(",", ":"), sort_keys=True)
    key = hashlib.sha256((head + tests_key).encode()).hexdigest()
    return Task(key=key, head=head, tests_key=tests_key, tests=text, n_tests=len(job.tests),
                watchdog_s=_watchdog_seconds(job), cost=float(len(job.tests)))


def _watchdog_seconds(job: Job) -> float:
    per_test = 3 * job.limits.time_s + 1.0
    return per_test * (len(job.tests) + 2) + 30.0


def failed_twice() -> RawResult:
    return {"outcomes": [{"v": "runtime_error", "e": ["SandboxError", "the sandbox worker failed twice on this job", ""]}],
            "wall": 0.0, "cacheable": False}


def _encode_test(test: Test) -> dict:
    if isinstance(test, StdioTest):
        return {"t": "stdio", "in": test.input, "out": test.output}
    if isinstance(test, CallTest):
        expected = codec.encode(test.expected)
        text = codec.canonical(expected)
        # The child compares its value's encoding with this text: equal encodings mean equal values.
        # Not for NaN (NaN != NaN inside nested lists): there only a real comparison decides.
        return {"t": "call", "args": codec.encode(tuple(test.args)), "exp": expected,
                **({} if "nan" in text else {"expj": text})}
    if isinstance(test, AssertTest):
        return {"t": "assert", "code": test.code}
    raise SandboxError(f"not a test: {test!r}")


_NOT_RUN = TestOutcome(Verdict.NOT_RUN)


def to_result(raw: RawResult, job: Job, cached: bool) -> ExecResult:
    outcomes = []
    for o in raw["outcomes"]:
        err = o.get("e")
        outcomes.append(TestOutcome(
            verdict=Verdict(o["v"]),
            output=o.get("o", ""),
            output_hash=o.get("h", ""),
            error=ErrorInfo(*err) if err else None,
            time_s=o.get("t", 0.0),
            value=codec.decode(o["val"]) if "val" in o else None,
        ))
    outcomes += [_NOT_RUN] * (raw.get("n", len(outcomes)) - len(outcomes))
    verdict = Verdict.OK if job.probe else Verdict.PASSED
    for o in outcomes:
        if o.verdict not in (Verdict.PASSED, Verdict.OK, Verdict.NOT_RUN):
            verdict = o.verdict
            break
    return ExecResult(verdict=verdict, outcomes=tuple(outcomes), wall_s=raw.get("wall", 0.0), cached=cached,
                      cpu_s=raw.get("cpu", 0.0))
