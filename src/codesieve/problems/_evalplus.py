"""EvalPlus hidden tests (HumanEval+, MBPP+): expected outputs computed from the reference.

The EvalPlus files store only inputs. As EvalPlus does, codesieve runs the reference solution on
every input (here in the sandbox, in probe mode) and takes its return values as the expected
outputs. They are cached as codec-encoded JSON under `<cache>/problems/expected-*/`, keyed by the
executor's harness version, the sha256 of the dataset file and the task id, so each task is
computed once per dataset version, and only for the tasks actually loaded. An input the
reference cannot answer (error, too large a value, timeout) is left out and logged. Limits are
CPU time, so such verdicts do not depend on the machine's load and are cached too.

The reference's CPU time per input is cached with its value and calibrates the task's time limit
as EvalPlus does in wall time: max(1 s, 4 x the reference's time), here over the task's slowest
input and in CPU seconds. A stuck program then costs about a second rather than the default 3 s,
and a program slow enough that EvalPlus times it out times out here too.

EvalPlus's few "special oracles" (tasks whose answers are not unique, or whose outputs are
unserialisable) become `AssertTest`s built here, so the executor needs no per-task branches.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from codesieve.execution.codec import Opaque, decode, encode
from codesieve.execution.wire import HARNESS_VERSION
from codesieve.execution.job import Job
from codesieve._paths import cache_root
from codesieve.problems._files import Row, file_sha256, read_json, write_json_atomic
from codesieve.problems._reference import Runner
from codesieve.types import CallTest, Comparison, Limits, Problem, TaskKind, Test, TestOutcome, Verdict

log = logging.getLogger("codesieve.problems")

# The reference is trusted and some EvalPlus inputs are large: generous limits, many inputs per job.
REFERENCE_LIMITS = Limits(time_s=20.0, total_time_s=900.0, memory_mb=4096)
_CHUNKS = (250, 16, 1)  # inputs per job: first pass, then retries of inputs left not run
_CACHE_VERSION = 2  # 2: the reference's CPU seconds per input too
MIN_TIME_S, TIME_FACTOR = 1.0, 4.0  # EvalPlus's DEFAULT_MIN_TIME_LIMIT and DEFAULT_GT_TIME_LIMIT_FACTOR

# An oracle turns (entry point, args, reference value, atol) into the test for that input.
Oracle = Callable[[str, tuple[Any, ...], Any, float], Test]


def with_expected_outputs(problems: Sequence[Problem], path: Path, runner: Runner,
                          oracles: dict[str, Oracle]) -> list[Problem]:
    """Fill in each hidden `CallTest`'s expected value (they arrive with inputs only)."""
    folder = cache_root() / "problems" / f"expected-v{_CACHE_VERSION}-h{HARNESS_VERSION}" / file_sha256(path)
    known, times = {}, {}
    for p in problems:
        known[p.id], times[p.id] = _load(folder, p)
    todo = [p for p in problems if None in known[p.id]]
    if todo:
        n = sum(v is None for p in todo for v in known[p.id])
        log.info("computing expected outputs of %d inputs of %d tasks by running their reference solutions",
                 n, len(todo))
    probed = _probe(todo, known, runner)
    for problem in todo:
        outcomes = probed[problem.id]
        for i, outcome in outcomes.items():
            if outcome.verdict != Verdict.NOT_RUN:  # limits are CPU time: verdicts hold on a busy machine
                known[problem.id][i] = (outcome.verdict == Verdict.OK, outcome.value)
                times[problem.id][i] = outcome.time_s
        _dropped(problem, outcomes)
        cached = [None if v is None else [v[0], encode(v[1]) if v[0] else None] for v in known[problem.id]]
        write_json_atomic(_cache_file(folder, problem.id),
                          {"task_id": problem.id, "values": cached, "times": times[problem.id]})
    return [_with_tests(p, known[p.id], times[p.id], oracles) for p in problems]


def _probe(problems: Sequence[Problem], known: dict[str, list[tuple[bool, Any] | None]],
           runner: Runner) -> dict[str, dict[int, TestOutcome]]:
    """The reference's outcome on each hidden input not known yet, by task id and input index.

    An input that kills the process (memory, say) leaves the rest of its job not run; those
    inputs run again in smaller jobs, so one bad input costs only itself.
    """
    outcomes = {p.id: {i: TestOutcome(Verdict.NOT_RUN) for i, v in enumerate(known[p.id]) if v is None}
                for p in problems}
    for chunk in _CHUNKS:
        jobs, owners = [], []
        for problem in problems:
            todo = [i for i, o in outcomes[problem.id].items() if o.verdict == Verdict.NOT_RUN]
            for start in range(0, len(todo), chunk):
                idxs = todo[start:start + chunk]
                jobs.append(Job(program=problem.reference or "", kind=TaskKind.FUNCTION,
                                tests=tuple(problem.hidden_tests[i] for i in idxs), entry_point=problem.entry_point,
                                limits=REFERENCE_LIMITS, comparison=problem.comparison,
                                stop_on_fail=False, probe=True))
                owners.append((problem.id, idxs))
        for (task_id, idxs), result in zip(owners, runner.run(jobs)):
            outcomes[task_id].update(zip(idxs, result.outcomes))
    return outcomes


def _dropped(problem: Problem, outcomes: dict[int, TestOutcome]) -> None:
    failed = Counter(str(o.verdict) for o in outcomes.values() if o.verdict != Verdict.OK)
    if failed:
        log.warning("%s: the reference solution could not answer %d of %d hidden inputs (%s); they are "
                    "left out", problem.id, sum(failed.values()), len(problem.hidden_tests),
                    ", ".join(f"{k}: {v}" for k, v in sorted(failed.items())))


def evalplus_format(name: str) -> str:
    """The expected format of an EvalPlus file, for error messages."""
    return (f"EvalPlus {name} JSONL (.jsonl or .jsonl.gz) with task_id, prompt, entry_point, "
            "canonical_solution, base_input, plus_input, atol")


def tolerance(row: Row) -> Comparison:
    """The task's `atol`: EvalPlus compares floats within it (0 where the task gives none)."""
    return Comparison(atol=float(row.get("atol", (int, float), 0.0)))


def inputs(row: Row) -> list[list[Any]]:
    """`base_input + plus_input`: lists of argument lists (MBPP+ v0.2.0 writes one empty as {})."""
    found = []
    for field in ("base_input", "plus_input"):
        value = row.get(field, (list, dict))
        if value == {}:
            continue
        if not isinstance(value, list) or not all(isinstance(args, list) for args in value):
            raise row.error(field, "expected a list of argument lists")
        found += value
    return found


def _cache_file(folder: Path, task_id: str) -> Path:
    return folder / (re.sub(r"[^\w.-]", "_", task_id) + ".json")


def _load(folder: Path, problem: Problem) -> tuple[list[tuple[bool, Any] | None], list[float]]:
    """Cached (answered, value) and reference CPU seconds per hidden input; None where unknown (no
    cache, or never ran)."""
    n = len(problem.hidden_tests)
    unknown: tuple[list[tuple[bool, Any] | None], list[float]] = ([None] * n, [0.0] * n)
    cached = read_json(_cache_file(folder, problem.id))
    if not isinstance(cached, dict) or cached.get("task_id") != problem.id:
        return unknown
    rows, times = cached.get("values"), cached.get("times")
    if not isinstance(rows, list) or len(rows) != n or not isinstance(times, list) or len(times) != n:
        return unknown
    try:
        return [None if row is None else (bool(row[0]), decode(row[1])) for row in rows], [float(t) for t in times]
    except (TypeError, ValueError, KeyError, IndexError):
        return unknown  # a damaged cache file is recomputed


def _with_tests(problem: Problem, values: list[tuple[bool, Any] | None], times: list[float],
                oracles: dict[str, Oracle]) -> Problem:
    oracle = oracles.get(problem.entry_point or "")
    tests: list[Test] = []
    slowest = 0.0
    for test, known, time_s in zip(problem.hidden_tests, values, times):
        if known is None or not known[0] or not isinstance(test, CallTest):
            continue
        slowest = max(slowest, time_s)
        if oracle is None:
            tests.append(CallTest(test.args, known[1]))
            continue
        try:
            tests.append(oracle(problem.entry_point or "", test.args, known[1], problem.comparison.atol))
        except ValueError:
            log.warning("%s: left out an input whose expected value cannot be written as Python", problem.id)
    return replace(problem, hidden_tests=tuple(tests), time_limit_s=calibrated_time_limit(slowest))


def calibrated_time_limit(reference_s: float) -> float:
    """EvalPlus's per-test limit: the reference's time, scaled, with a floor (here CPU seconds)."""
    return max(MIN_TIME_S, TIME_FACTOR * reference_s)


def py_source(value: Any) -> str:
    """Python source that rebuilds `value` (plain data only; ValueError otherwise)."""
    if isinstance(value, Opaque):
        raise ValueError(f"no source for {value}")
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({repr(value)!r})"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = ", ".join(py_source(v) for v in value)
        if isinstance(value, list):
            return f"[{items}]"
        if isinstance(value, tuple):
            return f"({items},)" if len(value) == 1 else f"({items})"
        return f"{type(value).__name__}([{items}])"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_source(k)}: {py_source(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return repr(value)
    raise ValueError(f"no source for a {type(value).__name__}")


def call_source(entry_point: str, args: tuple[Any, ...]) -> str:
    return f"{entry_point}({', '.join(py_source(a) for a in args)})"
