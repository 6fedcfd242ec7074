"""Asyncio helpers shared by the backends and the pipeline."""

from __future__ import annotations

import asyncio
import bisect
import itertools
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import AsyncIterator, Awaitable, TypeVar

T = TypeVar("T")

PRIORITY: ContextVar[int] = ContextVar("codesieve_priority", default=0)
"""Lower goes first. A `WeightedSemaphore` grants waiting holders by (priority, arrival); a task
and the tasks it starts inherit the value. The pipeline sets it to each problem's position, so an
earlier problem's model calls go ahead of later ones and problems finish one after another
instead of all near the end."""


async def gather_or_cancel(*awaitables: Awaitable[T]) -> list[T]:
    """Like `asyncio.gather`, but the first failure cancels the others before it is raised.

    Plain `gather` leaves the siblings running in the background, still calling the server;
    `TaskGroup` would wrap a `BackendError` in an `ExceptionGroup`.
    """
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class WeightedSemaphore:
    """At most `capacity` units held at once, granted by priority (`PRIORITY`), then first come,
    first served.

    A llama.cpp server has a fixed number of slots, and a call asking for n samples takes n of them;
    counting calls instead lets work queue inside the server, where its wait counts against the
    call's timeout. Waiters are served strictly in order, so a call needing many units is not
    starved by smaller ones of the same or a lower priority arriving after it.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._free = capacity
        self._waiters: list[tuple[int, int, int, asyncio.Future]] = []  # (priority, arrival, units, future)
        self._arrival = itertools.count()

    @asynccontextmanager
    async def hold(self, units: int) -> AsyncIterator[None]:
        units = max(1, min(units, self.capacity))
        granted = asyncio.get_running_loop().create_future()
        bisect.insort(self._waiters, (PRIORITY.get(), next(self._arrival), units, granted))  # arrivals are unique
        self._grant()
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():  # granted just as it was cancelled
                self._release(units)
            else:
                self._waiters = [w for w in self._waiters if w[3] is not granted]
                self._grant()
            raise
        try:
            yield
        finally:
            self._release(units)

    def _release(self, units: int) -> None:
        self._free += units
        self._grant()

    def _grant(self) -> None:
        while self._waiters and self._waiters[0][2] <= self._free:
            _, _, units, granted = self._waiters.pop(0)
            if not granted.done():
                self._free -= units
                granted.set_result(None)
