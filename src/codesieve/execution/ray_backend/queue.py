"""The driver's task queue: tasks waiting for an actor, grouped by test set, and the batches they end.

It lives on the driver, not on the nodes, so a slow or lost node never holds work another node
could run, and every result is reported here, once, by the run's single writer. It knows nothing
of Ray: the backend takes chunks out of it for its actors and puts a lost actor's tasks back.
Not thread-safe; the backend calls it holding its lock.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from codesieve.execution.interface import OnDone, RawResult, Task

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Batch:
    """One `run` call: its caller waits on `finished`, and reads `error` if the batch could not end."""

    left: int
    on_done: OnDone
    finished: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


@dataclass(eq=False)
class Item:
    """A task of a batch, and how many times a node died while running it."""

    task: Task
    batch: Batch
    attempts: int = 0


class TaskQueue:
    """Waiting tasks by test set (so a chunk can favour the sets an actor already holds), dearest first.

    `delivered` counts the results reported to their batches.
    """

    def __init__(self) -> None:
        self._waiting: dict[str, deque[Item]] = {}  # test set -> its waiting tasks, dearest first
        self.delivered = 0

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def __len__(self) -> int:
        return sum(map(len, self._waiting.values()))

    def submit(self, tasks: Sequence[Task], on_done: OnDone) -> Batch:
        """Queue `tasks` as one batch, the dearest first (so a batch's tail is made of short tasks)."""
        batch = Batch(len(tasks), on_done)
        for task in sorted(tasks, key=lambda t: -t.cost):
            self._waiting.setdefault(task.tests_key, deque()).append(Item(task, batch))
        return batch

    def requeue(self, item: Item) -> None:
        """Put back a task that was sent but not run: it goes first of its test set."""
        self._waiting.setdefault(item.task.tests_key, deque()).appendleft(item)

    def take(self, size: int, rank: Callable[[str], int]) -> list[Item]:
        """Up to `size` tasks, whole test sets in turn: the set of lowest `rank(tests_key)` first
        (the backend ranks the sets an actor holds before the others), the dearest first among equals."""
        items: list[Item] = []
        while len(items) < size and self._waiting:
            key = min(self._waiting, key=lambda k: (rank(k), -self._waiting[k][0].task.cost))
            group = self._waiting[key]
            while group and len(items) < size:
                items.append(group.popleft())
            if not group:
                del self._waiting[key]
        return items

    def deliver(self, item: Item, raw: RawResult) -> None:
        """Report one task's result to its batch, once; a batch that already failed takes no more.
        Callbacks run under the backend's lock, so they are short (a cache write)."""
        batch = item.batch
        if batch.error is not None:
            return
        self.delivered += 1
        try:
            batch.on_done(item.task, dict(raw))
        except Exception:  # a caller's callback must not take the dispatcher down
            log.exception("executor result callback failed")
        batch.left -= 1
        if batch.left == 0:
            batch.finished.set()

    def fail(self, error: Exception, running: Iterable[Item]) -> None:
        """End every batch with a waiting task, or one in `running`, with `error`; nothing waits after."""
        batches = {id(i.batch): i.batch for group in self._waiting.values() for i in group}
        batches.update({id(i.batch): i.batch for i in running})
        self._waiting.clear()
        for batch in batches.values():
            if batch.error is None and batch.left > 0:
                batch.error = error
                batch.finished.set()


def chunk_size(room: int, workers: int, waiting: int, prefetch: int, ready_workers: int) -> int:
    """How many tasks to send an actor of `workers` workers that may take `room` more.

    A chunk comes back only when all its tasks are done, so it is at most half the actor's workers:
    the actor always holds other chunks to run meanwhile, and its workers never wait for a chunk's
    slowest task or for the round trip to the driver. It is also at most `room`, and at most the
    actor's fair share (by workers, over `ready_workers`) of the `waiting` tasks, so chunks shrink
    to one task at the tail of a batch.
    """
    return max(1, min(room, workers // 2, math.ceil(workers * waiting / (prefetch * ready_workers))))
