"""Admission of requests: `running` at once, up to `waiting` more in line, the rest turned away.

A request turned away gets 429 at once rather than waiting without bound, so a burst can never
pile up more work than the server will reach; a waiting request goes in arrival order.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator

from codesieve.serve.errors import APIError


class Admission:
    """`async with admission.slot():` runs the body once one of `running` slots is free."""

    def __init__(self, running: int, waiting: int):
        self._slots = asyncio.Semaphore(running)
        self._capacity = running + waiting
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Requests running or waiting."""
        return self._admitted

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._admitted >= self._capacity:
            raise APIError(429, f"the server is busy: {self._capacity} requests are running or waiting; try again "
                                "later", type="rate_limit_error", code="queue_full", headers={"retry-after": "5"})
        self._admitted += 1
        try:
            async with self._slots:
                yield
        finally:
            self._admitted -= 1
