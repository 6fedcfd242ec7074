"""codesieve: test-time scaling for code generation.

The library surface, stage by stage (each name's module says more):

    problems   load_benchmark -> list[Problem]
    execution  Executor.run(list[Job]) -> list[ExecResult]     (sandboxed, cached)
    grade      grade_samples
    stats      pass_at_k, best_of_k, sign_test, proportion / bootstrap -> Estimate (95% intervals)
    llm        open_llm(...) -> LLM                           (embedded llama.cpp or OpenAI-compatible)
    pipeline   S* and the baselines, end to end
    runs       run(...) -> RunResult                          (a whole run: models, store, resume, replay)

Heavy parts (model backends, selection, verification) are imported from their own packages;
`run` is imported when first used, so `import codesieve` stays quick.
"""

from typing import Any

from codesieve.errors import (
    BackendError,
    CodesieveError,
    ConfigError,
    ProblemError,
    SandboxError,
    StoreError,
)
from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.grade import grade_samples
from codesieve.problems import BENCHMARKS, load_benchmark
from codesieve.stats import pass_at_k
from codesieve.types import (
    AssertTest,
    CallTest,
    Candidate,
    Comparison,
    ErrorInfo,
    ExecResult,
    Limits,
    Problem,
    StdioTest,
    TaskKind,
    TestOutcome,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "AssertTest",
    "BENCHMARKS",
    "BackendError",
    "CallTest",
    "Candidate",
    "CodesieveError",
    "Comparison",
    "ConfigError",
    "ErrorInfo",
    "ExecResult",
    "ExecutionCache",
    "Executor",
    "Job",
    "Limits",
    "Problem",
    "ProblemError",
    "SandboxError",
    "StdioTest",
    "StoreError",
    "TaskKind",
    "TestOutcome",
    "Verdict",
    "grade_samples",
    "load_benchmark",
    "pass_at_k",
    "run",
]


def __getattr__(name: str) -> Any:
    """`codesieve.run` (`codesieve.runs.run`), imported on first use: it brings the model backends."""
    if name == "run":
        from codesieve.runs import run

        return run
    raise AttributeError(f"module 'codesieve' has no attribute {name!r}")
