"""EvalPlus hidden tests (HumanEval+, MBPP+): expected outputs computed from the reference.

The EvalPlus files store only inputs. As EvalPlus does, codesieve runs the reference solution on
every input (here in the sandbox, in probe mode) and takes its return values as the expected
outputs. They are cached as codec-encoded JSON under `<cache>/problems/expected-v1/`, keyed by the
sha256 of the dataset file and the task id, so each task is computed once per dataset version and
only for the tasks actually loaded. An input the reference cannot answer (error, timeout) is
dropped and logged; timeouts are not cached, so a busy machine does not lose inputs for good.

EvalPlus's few "special oracles" (tasks whose answers are not unique, or whose outputs are
unserialisable) become `AssertTest`s built here, so the executor needs no per-task branches.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from codesieve.execution.codec import Opaque, decode, encode
from codesieve.execution.job import Job
from codesieve.problems._files import Row, cache_dir, file_sha256, read_json, write_json_atomic
from codesieve.problems._reference import Runner
from codesieve.types import AssertTest, CallTest, Limits, Problem, TaskKind, Test, TestOutcome, Verdict

log = logging.getLogger("codesieve.problems")

# The reference is trusted and some EvalPlus inputs are large: generous limits, many inputs per job.
REFERENCE_LIMITS = Limits(time_s=20.0, total_time_s=900.0, memory_mb=4096)
_CHUNK = 250
_CACHE_VERSION = 1
_STABLE = {Verdict.OK, Verdict.RUNTIME_ERROR}

# An oracle turns (entry point, args, reference value, atol) into the test for that input.
Oracle = Callable[[str, tuple[Any, ...], Any, float], Test]


def with_expected_outputs(problems: Sequence[Problem], path: Path, runner: Runner,
                          oracles: dict[str, Oracle]) -> list[Problem]:
    """Fill in each hidden `CallTest`'s expected value (they arrive with inputs only)."""
    folder = cache_dir() / "problems" / f"expected-v{_CACHE_VERSION}" / file_sha256(path)
    values = {p.id: _load(folder, p) for p in problems}
    missing = [p for p in problems if values[p.id] is None]
    jobs, owners = [], []
    for problem in missing:
        for start in range(0, len(problem.hidden_tests), _CHUNK):
            jobs.append(Job(program=problem.reference or "", kind=TaskKind.FUNCTION,
                            tests=problem.hidden_tests[start:start + _CHUNK], entry_point=problem.entry_point,
                            limits=REFERENCE_LIMITS, comparison=problem.comparison,
                            stop_on_fail=False, probe=True))
            owners.append(problem.id)
    if jobs:
        log.info("computing expected outputs of %d tasks by running their reference solutions", len(missing))
    outcomes: dict[str, list[TestOutcome]] = {p.id: [] for p in missing}
    for job, task_id, result in zip(jobs, owners, runner.run(jobs)):
        got = list(result.outcomes)[:len(job.tests)]
        got += [TestOutcome(Verdict.NOT_RUN)] * (len(job.tests) - len(got))
        outcomes[task_id].extend(got)
    for problem in missing:
        got = outcomes[problem.id]
        values[problem.id] = [(o.verdict == Verdict.OK, o.value) for o in got]
        if len(got) == len(problem.hidden_tests) and all(o.verdict in _STABLE for o in got):
            cached = [[ok, encode(v) if ok else None] for ok, v in values[problem.id]]
            write_json_atomic(_cache_file(folder, problem.id), {"task_id": problem.id, "values": cached})
    return [_with_tests(p, values[p.id] or [], oracles) for p in problems]


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


def _load(folder: Path, problem: Problem) -> list[tuple[bool, Any]] | None:
    cached = read_json(_cache_file(folder, problem.id))
    if not isinstance(cached, dict) or cached.get("task_id") != problem.id:
        return None
    rows = cached.get("values")
    if not isinstance(rows, list) or len(rows) != len(problem.hidden_tests):
        return None
    return [(bool(ok), decode(v)) for ok, v in rows]


def _with_tests(problem: Problem, values: list[tuple[bool, Any]], oracles: dict[str, Oracle]) -> Problem:
    oracle = oracles.get(problem.entry_point or "")
    tests: list[Test] = []
    for test, (ok, value) in zip(problem.hidden_tests, values):
        if not ok or not isinstance(test, CallTest):
            continue
        if oracle is None:
            tests.append(CallTest(test.args, value))
            continue
        try:
            tests.append(oracle(problem.entry_point or "", test.args, value, problem.comparison.atol))
        except ValueError:
            continue  # a value that cannot be written as Python source
    dropped = len(problem.hidden_tests) - len(tests)
    if dropped:
        log.warning("%s: dropped %d of %d hidden inputs the reference solution could not answer",
                    problem.id, dropped, len(problem.hidden_tests))
    return replace(problem, hidden_tests=tuple(tests))


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
