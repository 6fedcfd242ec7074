"""The node side of the Ray backend: an actor that owns one node's local sandbox pool.

The actor runs inside a Ray worker process, and untrusted programs never run in it: it starts
the `local` backend's sandbox workers with subprocess (spawn + exec, never a fork of the Ray
worker), so each node keeps every guarantee of a local run (limits, no network, uid drop as root,
process-tree kill, CPU-time verdicts). Test sets arrive once per actor and are kept here, bounded
by size, so a problem's tests cross the network once per node, not once per program.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections import OrderedDict

from codesieve.errors import SandboxError
from codesieve.execution.interface import RawResult, Task
from codesieve.execution.local import LocalBackend
from codesieve.execution.job import Job
from codesieve.execution.wire import HARNESS_VERSION, TestSets, to_task
from codesieve.types import TaskKind

WireTask = tuple[str, str, str, int, float, float]
"""A task without its tests as it travels: (key, head, tests_key, n_tests, watchdog_s, cost)."""


def to_wire(task: Task) -> WireTask:
    return task.key, task.head, task.tests_key, task.n_tests, task.watchdog_s, task.cost


class NodeRunner:
    """One node's (or one group of cores') sandbox pool, driven by the `RayBackend` on the driver.

    Made a Ray actor by the driver (`ray.remote(NodeRunner)`), so this module does not import ray.
    """

    def __init__(self, workers: int, harness: str, max_test_bytes: int = 512 << 20):
        if harness != HARNESS_VERSION:
            raise SandboxError(f"codesieve on this node runs sandbox harness {HARNESS_VERSION}, the driver "
                               f"{harness}: install the same codesieve version on every node")
        _local_priority()
        self._pool = LocalBackend(workers)
        self._tests = _TestSets(max_test_bytes)

    def hello(self) -> dict:
        """Start every sandbox worker (so the first chunk does not wait for them) and say who this
        actor is: for the driver's log, its tests and its per-node accounting."""
        _local_priority()  # the pool's threads, and so its workers, start from this thread
        warm = [to_task(Job(f"x = {i}\n", TaskKind.STDIO, ()), TestSets()) for i in range(self._pool.workers)]
        self._pool.run(warm, lambda task, raw: None)
        return {"host": socket.gethostname(), "pid": os.getpid(), "workers": self._pool.workers,
                "base_uid": self._pool.base_uid, "capabilities": self._pool.capabilities}

    def run(self, chunk: list[WireTask], tests: dict[str, str]) -> tuple[list[tuple[str, RawResult]], list[str], float, dict | None]:
        """Run a chunk of tasks on this node's pool.

        Returns the results as (key, raw), the keys whose test set this actor no longer holds
        (the driver sends it again), the seconds the pool took, and the sandbox's capabilities.
        """
        for key, text in tests.items():
            self._tests.put(key, text)
        tasks, missing = [], []
        for key, head, tests_key, n_tests, watchdog_s, cost in chunk:
            text = self._tests.get(tests_key)
            if text is None:
                missing.append(key)
            else:
                tasks.append(Task(key, head, tests_key, text, n_tests, watchdog_s, cost))
        results: list[tuple[str, RawResult]] = []
        start = time.perf_counter()
        self._pool.run(tasks, lambda task, raw: results.append((task.key, raw)))
        return results, missing, time.perf_counter() - start, self._pool.capabilities

    def close(self) -> None:
        """Stop the workers and kill whatever their programs left behind."""
        self._pool.close()


def _local_priority() -> None:
    """Run at the priority a local run gets: Ray starts its workers at nice 15 (`worker_niceness`),
    which every sandbox worker would inherit; on a busy node they would then get a fraction of the
    CPU that local ones get. Niceness is per thread on Linux, so every thread of the actor is reset
    (lowering it needs root, which the sandbox wants anyway; otherwise it stays as Ray set it)."""
    for tid in os.listdir("/proc/self/task"):
        try:
            os.setpriority(os.PRIO_PROCESS, int(tid), os.getpriority(os.PRIO_PROCESS, os.getppid()))
        except OSError:
            return


class _TestSets:
    """Test sets by sha256, least recently used dropped first past `max_bytes`."""

    def __init__(self, max_bytes: int):
        self._sets: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._max = max_bytes
        self._lock = threading.Lock()  # chunks run concurrently in a threaded actor

    def put(self, key: str, text: str) -> None:
        with self._lock:
            if key in self._sets:
                self._sets.move_to_end(key)
                return
            self._sets[key] = text
            self._bytes += len(text)
            while self._bytes > self._max and len(self._sets) > 1:
                _, old = self._sets.popitem(last=False)
                self._bytes -= len(old)

    def get(self, key: str) -> str | None:
        with self._lock:
            text = self._sets.get(key)
            if text is not None:
                self._sets.move_to_end(key)
            return text
