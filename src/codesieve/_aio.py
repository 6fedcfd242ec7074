"""Asyncio helpers shared by the backends and the pipeline."""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

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
