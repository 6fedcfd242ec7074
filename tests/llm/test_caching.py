"""CachingBackend: reuse, partial reuse by sample index, replay, accounting, and resume after a kill."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from codesieve.errors import BackendError, ConfigError, StoreError
from codesieve.llm import CachingBackend, ChatRequest, CompletionStore, FakeBackend, Message

ASK = (Message("user", "write code"),)
WORKER = Path(__file__).with_name("resume_worker.py")


def run(coro):
    return asyncio.run(coro)


def test_identical_requests_are_served_from_the_store(tmp_path):
    fake = FakeBackend()
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(fake, store)
        request = ChatRequest(messages=ASK, n=3, temperature=0.8)
        [first] = run(llm.generate([request]))
        [again] = run(llm.generate([request]))
    assert [c.text for c in again] == [c.text for c in first] and all(c.cached for c in again)
    assert len(fake.requests) == 1
    assert llm.usage.generated == 3 and llm.usage.cache_hits == 3 and llm.usage.calls == 1


def test_only_missing_samples_are_asked_for(tmp_path):
    fake = FakeBackend()
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(fake, store)
        run(llm.generate([ChatRequest(messages=ASK, n=5, temperature=0.8)]))
        [eight] = run(llm.generate([ChatRequest(messages=ASK, n=8, temperature=0.8)]))
    assert [(r.first_index, r.n) for r in fake.requests] == [(0, 5), (5, 3)]
    assert [c.index for c in eight] == list(range(8))
    assert [c.cached for c in eight] == [True] * 5 + [False] * 3


def test_gaps_become_contiguous_calls(tmp_path):
    fake = FakeBackend()
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(fake, store)
        for index in (2, 3, 6):
            run(llm.generate([ChatRequest(messages=ASK, n=1, temperature=0.8, first_index=index)]))
        fake.requests.clear()
        run(llm.generate([ChatRequest(messages=ASK, n=8, temperature=0.8)]))
    assert sorted((r.first_index, r.n) for r in fake.requests) == [(0, 2), (4, 2), (7, 1)]


def test_requests_in_flight_together_generate_each_sample_once(tmp_path):
    fake = FakeBackend(delay_s=0.05)
    four = ChatRequest(messages=ASK, n=4, temperature=0.8)
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(fake, store)

        async def together():
            return await asyncio.gather(llm.generate([four]), llm.generate([replace(four, n=8)]),
                                        llm.generate([four]))

        [[a], [eight], [again]] = run(together())
        assert store.count_samples() == 8
    assert sorted((r.first_index, r.n) for r in fake.requests) == [(0, 4), (4, 4)]
    assert [c.text for c in again] == [c.text for c in eight[:4]] == [c.text for c in a]
    assert [c.cached for c in eight] == [True] * 4 + [False] * 4 and all(c.cached for c in again)
    assert (llm.usage.calls, llm.usage.generated, llm.usage.cache_hits) == (2, 8, 8)


def test_a_failed_or_cancelled_call_leaves_its_twins_to_ask_again(tmp_path):
    def fails_first(request, index):
        if len(fake.requests) == 1:
            raise BackendError("the server fell over")
        return f"sample {index}"

    fake = FakeBackend(fails_first, delay_s=0.05)
    request = ChatRequest(messages=ASK, n=1, temperature=0.8)
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(fake, store)

        async def failed():
            return await asyncio.gather(llm.generate([request]), llm.generate([request]), return_exceptions=True)

        first, [[second]] = run(failed())
        assert isinstance(first, BackendError) and second.text == "sample 0" and not second.cached
        assert len(fake.requests) == 2

        async def cancelled():
            owner = asyncio.ensure_future(llm.generate([replace(request, seed=1)]))
            twin = asyncio.ensure_future(llm.generate([replace(request, seed=1)]))
            await asyncio.sleep(0.01)
            owner.cancel()
            return await twin

        [[third]] = run(cancelled())
        assert third.text == "sample 0" and len(fake.requests) == 4

        async def cancelled_before_its_call_started():
            owner = asyncio.ensure_future(llm.generate([replace(request, seed=2)]))
            for _ in range(2):  # generate, then _request: the sample is claimed, its call not yet running
                await asyncio.sleep(0)
            assert not fake.requests[4:]
            owner.cancel()
            return await asyncio.wait_for(llm.generate([replace(request, seed=2)]), 5)

        [[fourth]] = run(cancelled_before_its_call_started())
        assert fourth.text == "sample 0" and len(fake.requests) == 5


def test_replay_serves_stored_samples_and_refuses_the_rest(tmp_path):
    with CompletionStore(tmp_path / "s.sqlite") as store:
        run(CachingBackend(FakeBackend(model_id="m"), store).generate([ChatRequest(messages=ASK, n=2)]))
        replay = CachingBackend(None, store, replay=True, model_id="m")
        [two] = run(replay.generate([ChatRequest(messages=ASK, n=2)]))
        assert [c.text for c in two] == ["sample 0", "sample 1"]
        with pytest.raises(StoreError, match="replay: 1 of 3 samples.*without replay"):
            run(replay.generate([ChatRequest(messages=ASK, n=3)]))
        with pytest.raises(ConfigError):
            CachingBackend(None, store)


def test_usage_counts_tokens_calls_and_busy_time(tmp_path):
    with CompletionStore(tmp_path / "s.sqlite") as store:
        llm = CachingBackend(FakeBackend(lambda r, i: "a b c", delay_s=0.1), store)
        requests = [ChatRequest(messages=ASK, n=2, seed=s) for s in range(3)]
        run(llm.generate(requests))  # three concurrent calls: busy time counted once
        usage = llm.usage
        assert (usage.calls, usage.generated, usage.completion_tokens, usage.prompt_tokens) == (3, 6, 18, 6)
        assert 0.1 <= usage.wall_s < 0.25
        assert store.run_usage(llm.run_id) == usage


def test_killed_run_resumes_with_every_finished_sample(tmp_path):
    """A real run on SmolLM2 is SIGKILLed part-way; the rerun generates only what was missing."""
    store_path = tmp_path / "runs.sqlite"
    total = 16  # 8 requests x n=2
    worker = subprocess.Popen([sys.executable, str(WORKER), str(store_path)], stdout=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while stored < 2 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            if store_path.exists():
                with CompletionStore(store_path) as store:
                    stored = store.count_samples()
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait()
    with CompletionStore(store_path) as store:
        stored = store.count_samples()
    assert 0 < stored < total, f"the kill should land part-way, but {stored} of {total} were stored"

    rerun = subprocess.run([sys.executable, str(WORKER), str(store_path)], capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    usage = json.loads(rerun.stdout)
    assert usage["cache_hits"] == stored
    assert usage["generated"] == total - stored
