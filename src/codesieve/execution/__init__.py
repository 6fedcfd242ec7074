"""Running untrusted programs: a sandboxed, parallel executor with a result cache, over
interchangeable worker-pool backends (the local pre-forked pool; others registered by name)."""

from codesieve.execution.cache import ExecutionCache
from codesieve.execution.executor import Executor
from codesieve.execution.interface import (
    ExecutorBackend,
    JobRunner,
    RawResult,
    Task,
    backend_names,
    create_backend,
    register_backend,
)
from codesieve.execution.job import Job

__all__ = ["ExecutionCache", "Executor", "ExecutorBackend", "Job", "JobRunner", "RawResult", "Task",
           "backend_names", "create_backend", "register_backend"]
