"""Results repeat: verdicts depend on CPU time, not on how busy the machine is, and a program's
output is the same from one executor (fresh workers) to the next."""

import subprocess
import sys

from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.grade import grade_samples
from codesieve.problems import load_benchmark
from codesieve.types import CallTest, StdioTest, TaskKind, Verdict


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


def test_outputs_are_identical_across_executors():
    """Set order follows string hashes, random per interpreter unless the seed is fixed; default
    reprs carry memory addresses. Either would change debug prompts and cache keys run to run."""
    words = "print(list({'apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'hazel'}))"
    jobs = [Job(words, TaskKind.STDIO, (StdioTest(""),), probe=True),
            Job("def f():\n    return (x for x in ()), {str(i) for i in range(20)}\n", TaskKind.FUNCTION,
                (CallTest(()),), entry_point="f", probe=True),
            Job("print(map(int, ''))\nraise ValueError(object())", TaskKind.STDIO, (StdioTest(""),), probe=True)]
    runs = []
    for _ in range(3):
        with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
            runs.append([(o.output, o.output_hash, o.error and o.error.message)
                         for r in ex.run(jobs) for o in r.outcomes])
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][1][0].startswith("(<generator object f.<locals>.<genexpr>>, {")
    printed, _, message = runs[0][2]
    assert (printed, message) == ("<map object>\n", "<object object>")


def test_a_printed_address_still_counts_in_the_verdict(executor):
    """Only what is shown drops the address: the verdict compares the program's real stdout."""
    job = Job("print(object())", TaskKind.STDIO, (StdioTest("", "<object object>"),))
    assert executor.run([job])[0].verdict is Verdict.WRONG_ANSWER
