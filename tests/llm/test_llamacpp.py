"""The embedded llama.cpp backend and `open_llm`, on SmolLM2 (and the 0.5B default when slow)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import pytest

from codesieve.errors import BackendError, ConfigError
from codesieve.llm import (
    CachingBackend,
    ChatRequest,
    EmbeddedBackend,
    LlamaServer,
    Message,
    ServerConfig,
    model_id_for,
    open_llm,
)

ASK = (Message("user", "Write a Python function add(a, b)."),)


def run(coro):
    return asyncio.run(coro)


def test_embedded_backend_serves_and_stops():
    async def go():
        async with EmbeddedBackend(ServerConfig("smollm2-135m", parallel=2, ctx_per_slot=1024, threads=1)) as llm:
            [samples] = await llm.generate([ChatRequest(messages=ASK, n=3, temperature=0.8, max_tokens=12, seed=1)])
            return llm, samples

    llm, samples = run(go())
    assert [s.index for s in samples] == [0, 1, 2]  # n=3 over 2 slots: split in two calls
    assert all(0 < s.completion_tokens <= 12 for s in samples)
    assert llm.model_id == model_id_for("smollm2-135m")
    assert not llm.server.running
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(llm.server.base_url + "/health", timeout=2)


def test_token_counts_are_exact_with_n_above_one(smollm2_server):
    async def go():
        async with EmbeddedBackend(server=smollm2_server) as llm:
            return await llm.generate([ChatRequest(messages=ASK, n=3, temperature=0.9, max_tokens=20, seed=5)])

    [samples] = run(go())
    assert smollm2_server.running  # a shared server outlives the backend
    assert all(0 < s.completion_tokens <= 20 for s in samples)
    assert all(s.token_logprobs is None for s in samples)  # counted from logprobs, not returned unasked
    assert any(s.finish_reason == "length" and s.completion_tokens == 20 for s in samples)


def test_open_llm_remote_with_store_then_replay(smollm2_server, tmp_path):
    store = tmp_path / "c.sqlite"
    request = ChatRequest(messages=ASK, n=2, temperature=0.7, max_tokens=10, seed=2)

    async def remote():
        async with open_llm("smollm2", base_url=smollm2_server.base_url + "/v1", api_key=smollm2_server.api_key,
                            store=store) as llm:
            assert isinstance(llm, CachingBackend)
            first, twin = await llm.generate([request, request])  # in flight together: generated once
            assert llm.usage.generated == 2 and [c.text for c in twin] == [c.text for c in first]
            return first

    async def replay():
        async with open_llm("smollm2", base_url="http://127.0.0.1:9/v1", store=store, replay=True) as llm:
            return await llm.generate([request])

    first = run(remote())
    [again] = run(replay())
    assert [c.text for c in again] == [c.text for c in first] and all(c.cached for c in again)


def test_open_llm_refuses_replay_without_store():
    async def go():
        async with open_llm(replay=True):
            pass

    with pytest.raises(ConfigError, match="replay needs a completion store"):
        run(go())


def test_a_broken_gguf_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(BackendError, match="valid GGUF"):
        LlamaServer(ServerConfig(str(broken), parallel=1, ctx_per_slot=256))


@pytest.mark.slow
def test_default_model_writes_code(tmp_path, monkeypatch):
    monkeypatch.setenv("CODESIEVE_CACHE", str(tmp_path))

    async def go():
        async with open_llm(parallel=2) as llm:
            return await llm.generate([ChatRequest(messages=ASK, max_tokens=80)])

    [[sample]] = run(go())
    assert "def add" in sample.text


def test_ngram_drafts_are_checked_by_the_model(smollm2_server):
    """With ngram_draft the server proposes tokens copied from the context (its timings count
    them); a greedy answer is the plain server's, and sampling n>1 with logprobs still works."""
    import json

    code = "def add(a, b):\n    total = a + b\n    print('the total is', total)\n    return total\n\n\n"
    prompt = code * 3 + "def add(a, b):\n    total"  # a small model continues by copying

    def ask(server, **extra):
        body = {"prompt": prompt, "temperature": 0.0, "max_tokens": 60, **extra}
        request = urllib.request.Request(server.base_url + "/v1/completions", json.dumps(body).encode(),
                                          {"Content-Type": "application/json",
                                           "Authorization": f"Bearer {server.api_key}"})
        with urllib.request.urlopen(request, timeout=120) as reply:
            return json.loads(reply.read())

    with LlamaServer(ServerConfig(model="smollm2-135m", parallel=2, ctx_per_slot=1024, threads=1,
                                  ngram_draft=True)) as drafting:
        drafted = ask(drafting)
        sampled = ask(drafting, n=2, temperature=0.8, seed=3, logprobs=1)
    with LlamaServer(ServerConfig(model="smollm2-135m", parallel=1, ctx_per_slot=1024, threads=1,
                                  ngram_draft=True, ngram_draft_tokens=12)) as short:
        short_drafts = ask(short)
    plain = ask(smollm2_server)
    assert drafted["timings"]["draft_n_accepted"] > 0 and "draft_n" not in plain["timings"]
    assert drafted["choices"][0]["text"] == plain["choices"][0]["text"] == short_drafts["choices"][0]["text"]
    assert short_drafts["timings"]["draft_n_accepted"] > 0
    with pytest.raises(ConfigError, match="ngram_draft_tokens must be at least 12"):
        LlamaServer(ServerConfig(model="smollm2-135m", ngram_draft=True, ngram_draft_tokens=11))
    assert len(sampled["choices"]) == 2 and all(c["logprobs"] for c in sampled["choices"])
