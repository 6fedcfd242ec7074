"""`CachingBackend` puts a `CompletionStore` in front of any backend.

Stored samples are served from the store; only the missing indices of a request go to the model,
as contiguous runs (`first_index`, `n`), and each call's samples are stored the moment it returns.
So identical requests cost nothing, and an interrupted run, started again, generates only what it
had not finished. That holds for requests in flight at the same time too (strategies of one
problem, run concurrently, often ask the judge the same question): a sample already being
generated for one caller is awaited by the others, not generated twice. With `replay=True`
nothing is generated: a missing sample is a `StoreError`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Sequence

from codesieve.errors import BackendError, ConfigError, StoreError
from codesieve._aio import gather_or_cancel
from codesieve.llm.base import LLM, ChatRequest, Completion
from codesieve.llm.store import CompletionStore, Usage, request_key


class CachingBackend:
    """An `LLM` that reads and writes `store`, calling `inner` only for samples the store lacks.

    `inner` may be None only with `replay=True`, which then needs `model_id` (the id the samples
    were stored under, e.g. `codesieve.llm.weights.model_id_for(name)`). Usage is accounted per
    instance (`usage`) and persisted as one row of the store's `runs` table (`run_id`).
    """

    def __init__(
        self,
        inner: LLM | None,
        store: CompletionStore,
        *,
        replay: bool = False,
        model_id: str | None = None,
    ) -> None:
        if inner is None and not replay:
            raise ConfigError("CachingBackend needs an inner backend unless replay=True")
        resolved = model_id or (inner.model_id if inner is not None else None)
        if not resolved:
            raise ConfigError("replay without a backend needs the model_id the samples were stored under")
        self.model_id: str = resolved
        self.inner = inner
        self.store = store
        self.replay = replay
        self.run_id = store.start_run(self.model_id)
        self._usage = Usage()
        self._in_flight = 0
        self._busy_since = 0.0
        # (request key, sample index) -> the sample being generated, or None if its call failed
        self._pending: dict[tuple[str, int], asyncio.Future[Completion | None]] = {}

    @property
    def usage(self) -> Usage:
        """Usage so far; `wall_s` includes the call in flight, if any."""
        if self._in_flight:
            return replace(self._usage, wall_s=self._usage.wall_s + time.monotonic() - self._busy_since)
        return self._usage

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]:
        return await gather_or_cancel(*(self._request(r) for r in requests))

    async def _request(self, request: ChatRequest) -> list[Completion]:
        key = request_key(self.model_id, request)
        have = self.store.get(key, request.indices)
        self._account(cache_hits=len(have))
        missing = [i for i in request.indices if i not in have]
        if missing and (self.replay or self.inner is None):
            raise StoreError(
                f"replay: {len(missing)} of {request.n} samples of request {key[:12]} (model "
                f"{self.model_id}) are not in {self.store.path}; run without replay to generate them"
            )
        inner = self.inner
        while missing:  # a sample whose twin's call failed is asked for again, by this caller
            twins = {i: self._pending[key, i] for i in missing if (key, i) in self._pending}
            own = [replace(request, first_index=s, n=n) for s, n in _contiguous([i for i in missing if i not in twins])]
            # claimed before anything awaits, so a twin arriving now waits for these calls
            claimed = {(key, i): asyncio.get_running_loop().create_future() for part in own for i in part.indices}
            self._pending.update(claimed)
            try:
                fresh = await gather_or_cancel(*(self._fetch(inner, part, key) for part in own),
                                               *(asyncio.shield(f) for f in twins.values()))
            finally:
                for claim, future in claimed.items():
                    if not future.done():  # its call was cancelled before it started
                        del self._pending[claim]
                        future.set_result(None)
            for batch in fresh[: len(own)]:
                have.update((c.index, c) for c in batch)
            served = {i: replace(c, cached=True) for i, c in zip(twins, fresh[len(own):]) if c is not None}
            self._account(cache_hits=len(served))
            have.update(served)
            missing = [i for i in missing if i not in have]
        return [have[i] for i in request.indices]

    async def _fetch(self, inner: LLM, request: ChatRequest, key: str) -> list[Completion]:
        """Generate samples `request.indices` (claimed in `_pending`) and hand them to any twins."""
        completions: list[Completion] = []
        self._enter()
        try:
            [completions] = await inner.generate([request])
        finally:
            self._leave()
            by_index = {c.index: c for c in completions}
            for i in request.indices:
                self._pending.pop((key, i)).set_result(by_index.get(i))
        if [c.index for c in completions] != list(request.indices):
            got = [c.index for c in completions]
            raise BackendError(f"{self.model_id}: asked for samples {list(request.indices)}, got {got}")
        self.store.put(key, self.model_id, request, completions)
        self._account(
            calls=1,
            prompt_tokens=completions[0].prompt_tokens if completions else 0,
            completion_tokens=sum(c.completion_tokens for c in completions),
            generated=len(completions),
        )
        return completions

    def _enter(self) -> None:
        if not self._in_flight:
            self._busy_since = time.monotonic()
        self._in_flight += 1

    def _leave(self) -> None:
        self._in_flight -= 1
        if not self._in_flight:
            self._account(wall_s=time.monotonic() - self._busy_since)

    def _account(self, **delta: float) -> None:
        u = self._usage
        self._usage = Usage(**{f: getattr(u, f) + delta.get(f, 0) for f in u.__dataclass_fields__})
        if delta.get("calls") or delta.get("wall_s"):
            self.store.update_run(self.run_id, self._usage)


def _contiguous(indices: Sequence[int]) -> list[tuple[int, int]]:
    """[5, 6, 7, 9] -> [(5, 3), (9, 1)]: runs of consecutive indices as (start, length)."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs
