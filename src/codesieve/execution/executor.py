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
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

from codesieve.errors import SandboxError
from codesieve.execution.cache import ExecutionCache
from codesieve.execution.interface import ExecutorBackend, RawResult, Task, create_backend
from codesieve.execution.job import Job
from codesieve.execution.wire import TestSets, to_result, to_task
from codesieve.types import ExecResult

SUBMIT_EVERY_S = 0.25  # preparing tasks for longer than this sends what is ready to the workers

# Batches awaited at once (`run_async`); each waits for the backend in a thread of its own. The
# event loop's default pool (CPU count + 4 threads) would cap how many batches are in flight below
# what a cascade sends at once (`codesieve.verify.cascade`) and what a remote backend's workers run.
_WAITING_BATCHES = 256


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
        self._waiting = ThreadPoolExecutor(_WAITING_BATCHES, thread_name_prefix="codesieve-executor")
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
        as it arrives (from a backend thread for those not cached).

        Tasks go to the backend in chunks as they are prepared (a chunk every `SUBMIT_EVERY_S`): a
        grading batch encodes hundreds of megabytes of test sets first, and the workers need not wait
        for all of it. Identical jobs run once, whichever chunk they fall in."""
        if self._closed:
            raise SandboxError("this Executor is closed; create a new one")
        results: list[ExecResult | None] = [None] * len(jobs)
        waiting: dict[str, list[int]] = {}  # a task sent, not finished: the jobs that want its result
        finished: dict[str, RawResult] = {}
        lock = threading.Lock()

        def deliver(i: int, raw: RawResult, cached: bool) -> None:
            results[i] = to_result(raw, jobs[i], cached=cached)
            if on_result:
                on_result(i, results[i])

        def done(task: Task, raw: RawResult) -> None:
            if raw.get("cacheable", True):
                self.cache.put(task.key, json.dumps(raw, separators=(",", ":")))
            with lock:
                finished[task.key] = raw
                wanted = waiting.pop(task.key)
            for i in wanted:
                deliver(i, raw, cached=False)

        chunks = _Chunks(self.backend, done)
        for i, job in enumerate(jobs):
            with self._tests_lock:
                task = to_task(job, self._tests)
            hit = self.cache.get(task.key)
            if hit is not None:
                deliver(i, json.loads(hit), cached=True)
                continue
            with lock:
                raw = finished.get(task.key)
                if raw is None:
                    if task.key not in waiting:
                        chunks.add(task)
                    waiting.setdefault(task.key, []).append(i)
            if raw is not None:
                deliver(i, raw, cached=False)
        chunks.finish()
        return results  # type: ignore[return-value]

    async def run_async(self, jobs: Sequence[Job]) -> list[ExecResult]:
        """`run` without blocking the event loop: what stages and the pipeline await."""
        return await asyncio.get_running_loop().run_in_executor(self._waiting, self.run, jobs)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.backend.close()
            self._waiting.shutdown(wait=False)

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Chunks:
    """Tasks sent to the backend as they are prepared: each chunk older than `SUBMIT_EVERY_S` goes
    from a thread of its own (the backend runs concurrent calls on the same workers, dearest first),
    the last from the caller's thread; `finish` returns once every chunk is done."""

    def __init__(self, backend: ExecutorBackend, done: Callable[[Task, RawResult], None]):
        self._backend, self._done = backend, done
        self._pending: list[Task] = []
        self._since = time.monotonic()
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []

    def add(self, task: Task) -> None:
        self._pending.append(task)
        if time.monotonic() - self._since > SUBMIT_EVERY_S:
            chunk, self._pending, self._since = self._pending, [], time.monotonic()
            thread = threading.Thread(target=self._run, args=(chunk,), name="codesieve-submit", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, chunk: list[Task]) -> None:
        try:
            self._backend.run(chunk, self._done)
        except BaseException as exc:  # raised again in the caller's thread by `finish`
            self._errors.append(exc)

    def finish(self) -> None:
        if self._pending:
            self._run(self._pending)
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]
