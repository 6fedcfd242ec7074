"""Verdicts do not move under load: a small set graded on the machine as it is, then again beside busy
loops and a memory hog (bench/grading_load.py does the same on the HumanEval+ and MBPP+ pools)."""

import os
import subprocess
import sys

from codesieve.execution import Job
from codesieve.types import CallTest, Limits, TaskKind

PROGRAMS = {
    "passed": "def f(n):\n    return sum(range(n))",
    "computes": "def f(n):\n    s = 0\n    for i in range(200_000):\n        s += i % 7\n    return sum(range(n))",
    "wrong_answer": "def f(n):\n    return n",
    "runtime_error": "def f(n):\n    return [][n]",
    "timeout": "def f(n):\n    while True:\n        pass",
    "memory_exceeded": "def f(n):\n    x = bytearray(1 << 30)\n    return sum(range(n))",
}
TESTS = tuple(CallTest((n,), sum(range(n))) for n in (3, 10, 100))
LIMITS = Limits(time_s=0.3, memory_mb=256)

BUSY = "while True: pass"
HOG = "buf = bytearray(256 << 20)\nwhile True:\n    for i in range(0, len(buf), 4096):\n        buf[i] ^= 1"


def _verdicts(executor) -> dict[str, str]:
    jobs = [Job(program, TaskKind.FUNCTION, TESTS, entry_point="f", limits=LIMITS) for program in PROGRAMS.values()]
    return {name: r.verdict.value for name, r in zip(PROGRAMS, executor.run(jobs))}


def test_verdicts_are_the_same_beside_busy_loops_and_a_memory_hog(executor):
    idle = _verdicts(executor)
    assert idle == {name: name if name != "computes" else "passed" for name in PROGRAMS}
    load = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(os.cpu_count() or 1)]
    load.append(subprocess.Popen([sys.executable, "-c", HOG]))
    try:
        loaded = _verdicts(executor)
    finally:
        for proc in load:
            proc.kill()
            proc.wait()
    assert loaded == idle
