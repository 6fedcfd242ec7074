"""The executor's front: result cache, dedup, ordering and streaming, over a worker-pool backend.

Every program codesieve runs (debugging, selection, verification, grading) goes through
`Executor.run`. The front turns each `Job` into a serialisable `Task`, answers what it can from
the cache, sends each distinct task once to the backend (`local`: pre-forked sandbox workers on
this machine; others by name, see `interface.py`), and hands results back in the jobs' order,
reporting each through `on_result` as soon as it is known.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Callable, Sequence

from codesieve.errors import SandboxError
from codesieve.execution.cache import ExecutionCache
from codesieve.execution.interface import ExecutorBackend, RawResult, Task, create_backend
from codesieve.execution.job import Job
from codesieve.execution.wire import TestSets, to_result, to_task
from codesieve.types import ExecResult


class Executor:
    """Runs jobs on a backend's sandbox workers, with a result cache. Use as a context manager,
    or call `close()`.

    >>> with Executor() as ex:                       # or Executor(backend="ray:auto")
    ...     results = ex.run([Job(program, TaskKind.STDIO, (StdioTest("1 2", "3"),))])
    """

    def __init__(self, workers: int | None = None, *, cache: ExecutionCache | None = None,
                 backend: str | ExecutorBackend = "local"):
        self.backend = create_backend(backend, workers) if isinstance(backend, str) else backend
        self.cache = cache if cache is not None else ExecutionCache()
        self._tests = TestSets()
        self._tests_lock = threading.Lock()
        self._closed = False

    @property
    def workers(self) -> int:
        return self.backend.workers

    @property
    def capabilities(self) -> dict | None:
        return self.backend.capabilities

    def run(self, jobs: Sequence[Job], on_result: Callable[[int, ExecResult], None] | None = None,
            ) -> list[ExecResult]:
        """Run `jobs` and return their results in order. `on_result(i, result)` reports each result
        as it arrives (from a backend thread for those not cached)."""
        if self._closed:
            raise SandboxError("this Executor is closed; create a new one")
        results: list[ExecResult | None] = [None] * len(jobs)
        waiting: dict[str, list[int]] = {}
        tasks: list[Task] = []
        for i, job in enumerate(jobs):
            with self._tests_lock:
                task = to_task(job, self._tests)
            hit = self.cache.get(task.key)
            if hit is not None:
                results[i] = to_result(json.loads(hit), job, cached=True)
                if on_result:
                    on_result(i, results[i])
            elif task.key in waiting:
                waiting[task.key].append(i)
            else:
                waiting[task.key] = [i]
                tasks.append(task)

        def done(task: Task, raw: RawResult) -> None:
            if raw.get("cacheable", True):
                self.cache.put(task.key, json.dumps(raw, separators=(",", ":")))
            for i in waiting[task.key]:
                results[i] = to_result(raw, jobs[i], cached=False)
                if on_result:
                    on_result(i, results[i])

        if tasks:
            self.backend.run(tasks, done)
        return results  # type: ignore[return-value]

    async def run_async(self, jobs: Sequence[Job]) -> list[ExecResult]:
        """`run` without blocking the event loop (for the async pipeline)."""
        return await asyncio.to_thread(self.run, jobs)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.backend.close()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
