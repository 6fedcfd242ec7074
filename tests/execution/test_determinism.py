"""Verdicts depend on CPU time, not on how busy the machine is."""

import subprocess
import sys

from codesieve.execution import ExecutionCache, Executor
from codesieve.grade import grade_samples
from codesieve.problems import load_benchmark


def _verdicts(problems):
    samples = [{"task_id": p.id, "solution": p.reference} for p in problems]
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        return [g.result.verdict for g in grade_samples(problems, samples, ex)]


def test_reference_verdicts_identical_idle_and_with_all_cores_busy():
    problems = load_benchmark("humaneval")
    idle = _verdicts(problems)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        busy = _verdicts(problems)
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    assert idle == busy
    assert all(v.value == "passed" for v in idle)
