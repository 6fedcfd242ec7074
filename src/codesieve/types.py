"""Frozen values that cross stage boundaries: problems, tests, limits and execution verdicts.

Stages never mutate these; they return new ones. Test values (call arguments, expected results)
are plain Python data: JSON types plus tuples, sets, bytes and non-finite floats, which
`codesieve.execution.codec` round-trips losslessly to JSON for storage and for the sandbox.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from enum import StrEnum
from typing import Any, Union


class TaskKind(StrEnum):
    FUNCTION = "function"  # HumanEval / MBPP / LeetCode: define a function, tests call it
    STDIO = "stdio"  # CodeContests / AtCoder / Codeforces: read stdin, write stdout


@dataclass(frozen=True)
class StdioTest:
    """Feed `input` on stdin; the expected stdout is `output` (None when only probing)."""

    input: str
    output: str | None = None


@dataclass(frozen=True)
class CallTest:
    """Call the entry point with `args`; compare the return value with `expected`.

    `expected` is ignored when a job only probes outputs (selection on generated inputs).
    """

    args: tuple[Any, ...]
    expected: Any = None


@dataclass(frozen=True)
class AssertTest:
    """Python code run in the program's namespace after it loads; passes if nothing is raised.

    Used for HumanEval's `check(candidate)` and MBPP's assert lines.
    """

    code: str


Test = Union[StdioTest, CallTest, AssertTest]


@dataclass(frozen=True)
class Comparison:
    """How a function's return value is compared with the expected one (EvalPlus-style).

    Numbers, and sequences of numbers, match within `atol` plus `rtol` relative tolerance.
    `sequences_as_lists` treats tuples and lists as equal: needed when expected values come from
    JSON (LiveCodeBench, native files), where tuples cannot be written down.
    """

    atol: float = 0.0
    rtol: float = 1e-7
    sequences_as_lists: bool = False


@dataclass(frozen=True)
class Problem:
    """One programming task with the tests shown to the model and the tests that grade it."""

    id: str
    prompt: str
    kind: TaskKind
    public_tests: tuple[Test, ...] = ()
    hidden_tests: tuple[Test, ...] = ()
    entry_point: str | None = None  # FUNCTION: "name" or "Class.method" (instantiated first)
    starter_code: str | None = None  # code the answer must start from (HumanEval prompt, LeetCode stub)
    time_limit_s: float = 3.0  # CPU seconds per test
    memory_limit_mb: int = 1024
    comparison: Comparison = field(default_factory=Comparison)
    reference: str | None = None  # a known-correct program, when the benchmark ships one
    benchmark: str = ""
    # HumanEval-style tasks are completed as a continuation of `starter_code`; a sample's
    # `completion` is appended to it to form the program.
    completion_prefix: str | None = None


class Verdict(StrEnum):
    """The typed outcome of running a program on one test (or a whole job: the first failure)."""

    PASSED = "passed"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    MEMORY_EXCEEDED = "memory_exceeded"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_VIOLATION = "sandbox_violation"  # tried something the sandbox forbids (network, fork bomb, ...)
    NOT_RUN = "not_run"  # skipped after an earlier failure (stop_on_fail) or after the process died
    OK = "ok"  # probe mode: ran to completion, output recorded, nothing to compare with


@dataclass(frozen=True)
class Limits:
    """Resource limits for one job. Time limits are CPU time, so verdicts hold on a busy machine."""

    time_s: float = 3.0  # CPU seconds per test
    total_time_s: float = 60.0  # CPU seconds for the whole job at most
    memory_mb: int = 1024  # address space the program may add to what its sandbox starts with (RLIMIT_AS)
    output_bytes: int = 4 * 1024 * 1024  # stdout+stderr captured at most
    file_bytes: int = 16 * 1024 * 1024  # largest file the program may write (RLIMIT_FSIZE)
    processes: int = 16  # processes/threads the program may have at once


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong inside the program: exception type, message and the traceback's tail."""

    type: str
    message: str
    traceback: str = ""


@dataclass(frozen=True)
class TestOutcome:
    """The result of one test. `output` is stdout (stdio) or the repr of the return value."""

    verdict: Verdict
    output: str = ""  # truncated for display and feedback
    output_hash: str = ""  # identifies the whole output, for clustering candidates by behaviour
    error: ErrorInfo | None = None
    time_s: float = 0.0
    value: Any = None  # FUNCTION probes: the decoded return value (None elsewhere)


@dataclass(frozen=True)
class ExecResult:
    """All test outcomes of one job, and the job's overall verdict (its first non-passing one)."""

    verdict: Verdict
    outcomes: tuple[TestOutcome, ...]
    wall_s: float = 0.0
    cached: bool = False
    cpu_s: float = 0.0  # CPU time of the sandboxed processes that ran it (as recorded when cached)

    @property
    def passed(self) -> bool:
        return self.verdict in (Verdict.PASSED, Verdict.OK)

    @property
    def n_passed(self) -> int:
        return sum(o.verdict in (Verdict.PASSED, Verdict.OK) for o in self.outcomes)

    @property
    def pass_rate(self) -> float:
        return self.n_passed / len(self.outcomes) if self.outcomes else 0.0


@dataclass(frozen=True)
class Candidate:
    """One candidate program for a problem, with where it came from.

    `round` is 0 for a fresh sample and r for the r-th debug revision of sample `index`.
    `mean_logprob` is the generator's mean token log-probability, when the backend returned it.
    """

    problem_id: str
    index: int
    program: str
    round: int = 0
    raw: str = ""  # the model's text the program was extracted from
    mean_logprob: float | None = None
    completion_tokens: int = 0

    @property
    def id(self) -> str:
        return f"{self.problem_id}#{self.index}.{self.round}"


@dataclass(frozen=True)
class Attempt:
    """A candidate and its result on the problem's public tests (None when there are none)."""

    candidate: Candidate
    public: ExecResult | None = None

    @property
    def public_rate(self) -> float:
        """Share of public tests passed; 1.0 when there are no public tests to fail."""
        return 1.0 if self.public is None or not self.public.outcomes else self.public.pass_rate


# Field metadata of a record's field added after records were stored (see `stored_fields`).
ADDED_LATER = {"added_later": True}


def stored_fields(value: Any) -> list[Field]:
    """The fields of dataclass instance `value` that its stored form holds: all but those marked
    `ADDED_LATER` while they hold their default, so records stored before such a field existed
    read back and write again unchanged (and records that do not use it stay as they were)."""
    return [f for f in fields(value) if not (f.metadata.get("added_later") and getattr(value, f.name) == f.default)]
