"""The driver's calls in flight: chunks sent to actors, their answers, and a lost actor's work.

Every call to an actor is one Ray object ref, kept here with what it answers, so whatever happens
to an actor its tasks are either answered or put back in the queue, and each result is delivered
once. Not thread-safe; the backend calls it holding its lock, from its one collecting thread and
from `run`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from codesieve.execution.interface import RawResult
from codesieve.execution.ray_backend._node import to_wire
from codesieve.execution.ray_backend.membership import Membership, Runner
from codesieve.execution.ray_backend.queue import Item, TaskQueue, chunk_size
from codesieve.execution.ray_backend.testsets import TestSets


@dataclass(eq=False)
class _Call:
    runner: Runner
    items: list[Item]  # empty for the actor's hello
    sent: float


class Dispatcher:
    """Feeds `queue` to the actors of `members`, `prefetch` tasks per worker at most, and takes in
    their answers. A task whose actor was lost `max_attempts` times gets a `runtime_error` result."""

    def __init__(self, ray: Any, members: Membership, prefetch: int, max_attempts: int):
        self._ray = ray
        self.members = members
        self._prefetch = prefetch
        self._max_attempts = max_attempts
        self.queue = TaskQueue()
        self.testsets = TestSets()
        self.calls: dict[Any, _Call] = {}  # ObjectRef -> what it answers
        self.counts = {"calls": 0, "retried": 0, "pool_s": 0.0, "call_s": 0.0}  # as in `RayStats`
        self.by_node: dict[str, int] = {}  # node -> results delivered

    def rescan(self, strict: bool = False) -> None:
        """Start actors on nodes that have none, and ask each new one to start its pool. Unless `strict`,
        an unreachable cluster is only noted: what still runs carries on, and the next scan tries again."""
        try:
            for runner in self.members.scan():
                self.calls[runner.handle.hello.remote()] = _Call(runner, [], time.monotonic())
        except Exception as exc:
            if strict:
                raise
            self.members.last_error = f"{type(exc).__name__}: {exc}"

    def fill(self) -> None:
        """Give every ready actor chunks (sized by `chunk_size`) until it holds `prefetch` tasks per worker."""
        if not self.queue:
            return
        total = self.members.ready_workers() or 1
        for runner in self.members.runners:
            room = self._prefetch * runner.workers - runner.tasks
            while runner.ready and room > 0 and self.queue:
                size = chunk_size(room, runner.workers, len(self.queue), self._prefetch, total)
                self._send(runner, self.queue.take(size, lambda key: self.testsets.rank(runner, key)))
                room -= size

    def _send(self, runner: Runner, items: list[Item]) -> None:
        tests = self.testsets.to_send(runner, (item.task for item in items))
        unique = list({item.task.key: to_wire(item.task) for item in items}.values())
        ref = runner.handle.run.remote(unique, tests)
        runner.tasks += len(items)
        self.calls[ref] = _Call(runner, items, time.monotonic())

    def answer(self, ref: Any) -> None:
        """Take in one call's answer: an actor's hello, a chunk's results, or the news that it is lost."""
        call = self.calls.pop(ref, None)
        if call is None:  # its actor was dropped meanwhile, and its tasks requeued
            return
        runner = call.runner
        ray = self._ray
        try:
            answer = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # our code on the node raised: that node cannot run jobs
            self._drop(runner, str(exc.cause if exc.cause is not None else exc), call)
            return
        except ray.exceptions.RayError as exc:  # the actor or its node died
            self._drop(runner, f"{type(exc).__name__}: {exc}", call)
            return
        if not call.items:  # hello
            self.members.started(runner, answer)
            return
        runner.tasks -= len(call.items)
        results, missing, pool_s, caps = answer
        self.counts["calls"] += 1
        self.counts["pool_s"] += pool_s
        self.counts["call_s"] += time.monotonic() - call.sent
        self.members.note_capabilities(runner, caps)
        by_key: dict[str, list[Item]] = {}
        for item in call.items:
            by_key.setdefault(item.task.key, []).append(item)
        for key in missing:  # the actor let that test set go: send it again
            for item in by_key.pop(key, []):
                self.testsets.forget(runner, item.task.tests_key)
                self.queue.requeue(item)
        for key, raw in results:
            for item in by_key.pop(key, []):
                self.by_node[runner.node_id] = self.by_node.get(runner.node_id, 0) + 1
                self.queue.deliver(item, raw)

    def _drop(self, runner: Runner, why: str, failed: _Call) -> None:
        """An actor is gone (`failed` was the call that said so): its chunks in flight go back to the
        queue, and a live node gets a new actor (Ray's memory monitor, for one, kills actors of nodes
        that run short of memory)."""
        if not self.members.lose(runner, why):
            return
        self.testsets.drop(runner)
        calls = [failed] + [self.calls.pop(ref) for ref, call in list(self.calls.items()) if call.runner is runner]
        for item in (item for call in calls for item in call.items):
            item.attempts += 1
            if item.attempts >= self._max_attempts:
                self.queue.deliver(item, _node_failed(item.attempts, why))
            else:
                self.counts["retried"] += 1
                self.queue.requeue(item)
        self.rescan()

    def fail(self, error: Exception) -> None:
        """Every batch with waiting or running tasks ends with `error`."""
        self.queue.fail(error, (item for call in self.calls.values() for item in call.items))


def _node_failed(attempts: int, why: str) -> RawResult:
    message = f"the Ray node running this job was lost {attempts} times (last: {why.splitlines()[0] if why else '?'})"
    return {"outcomes": [{"v": "runtime_error", "e": ["SandboxError", message, ""]}], "wall": 0.0, "cacheable": False}
