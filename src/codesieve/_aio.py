"""Asyncio helpers shared by the backends and the pipeline."""

from __future__ import annotations

import asyncio
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, TypeVar

T = TypeVar("T")


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
    """At most `capacity` units held at once, granted first come, first served.

    A llama.cpp server has a fixed number of slots, and a call asking for n samples takes n of them;
    counting calls instead lets work queue inside the server, where its wait counts against the
    call's timeout. First come, first served, so a call needing many units is not starved by
    smaller ones arriving after it.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._free = capacity
        self._waiters: deque[tuple[int, asyncio.Future]] = deque()

    @asynccontextmanager
    async def hold(self, units: int) -> AsyncIterator[None]:
        units = max(1, min(units, self.capacity))
        granted = asyncio.get_running_loop().create_future()
        self._waiters.append((units, granted))
        self._grant()
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():  # granted just as it was cancelled
                self._release(units)
            else:
                self._waiters = deque(w for w in self._waiters if w[1] is not granted)
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
        while self._waiters and self._waiters[0][0] <= self._free:
            units, granted = self._waiters.popleft()
            if not granted.done():
                self._free -= units
                granted.set_result(None)
