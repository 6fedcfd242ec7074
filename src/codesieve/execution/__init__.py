"""Running untrusted programs: a sandboxed, warm, parallel executor with a result cache."""

from codesieve.execution.cache import ExecutionCache
from codesieve.execution.executor import Executor
from codesieve.execution.job import Job

__all__ = ["ExecutionCache", "Executor", "Job"]
