"""OpenAIBackend against a real llama.cpp server (SmolLM2) and a scripted fake for failure modes."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from codesieve.errors import BackendError, ConfigError
from codesieve.llm import ChatRequest, LlamaServer, Message, OpenAIBackend, OpenAIConfig

ASK = (Message("user", "Write a Python function add(a, b) that returns a + b."),)


def run(coro):
    return asyncio.run(coro)


def real_backend(server: LlamaServer, **overrides) -> OpenAIBackend:
    config = dict(model="smollm2", base_url=server.base_url + "/v1", api_key=server.api_key, max_n=4)
    return OpenAIBackend(OpenAIConfig(**{**config, **overrides}))


async def generate(backend: OpenAIBackend, *requests: ChatRequest):
    async with backend:
        return await backend.generate(list(requests))


# --- against the real llama.cpp server -------------------------------------------------------


def test_n_samples_in_one_call_with_logprobs(smollm2_server):
    request = ChatRequest(messages=ASK, n=3, temperature=0.9, max_tokens=24, seed=3, logprobs=True)
    [samples] = run(generate(real_backend(smollm2_server), request))
    assert [s.index for s in samples] == [0, 1, 2]
    assert len({s.text for s in samples}) > 1  # distinct seeds, distinct samples
    for s in samples:
        assert s.token_logprobs is not None and s.completion_tokens == len(s.token_logprobs)
        assert s.mean_logprob is not None and s.mean_logprob <= 0
        assert s.prompt_tokens > 0 and s.finish_reason in ("stop", "length")


def test_sample_is_the_same_however_samples_are_batched(smollm2_server):
    """n=6 over max_n=4 splits into 4+2; each sample equals the one asked for alone (seed + index)."""
    batched = ChatRequest(messages=ASK, n=6, temperature=0.9, max_tokens=16, seed=11)
    alone = [ChatRequest(messages=ASK, n=1, temperature=0.9, max_tokens=16, seed=11, first_index=i) for i in (1, 5)]
    many, one, five = run(generate(real_backend(smollm2_server), batched, *alone))
    assert [s.index for s in many] == list(range(6))
    assert (one[0].index, five[0].index) == (1, 5)
    assert one[0].text == many[1].text and five[0].text == many[5].text


def test_raw_prompt_completion(smollm2_server):
    request = ChatRequest(prompt="def fib(n):\n", n=2, max_tokens=12, temperature=0.5, seed=1, logprobs=True)
    [samples] = run(generate(real_backend(smollm2_server), request))
    assert len(samples) == 2 and all(s.completion_tokens == len(s.token_logprobs or ()) for s in samples)


def test_bad_key_on_real_server_is_one_clear_error(smollm2_server):
    backend = real_backend(smollm2_server, api_key="wrong")
    with pytest.raises(BackendError, match="refused the API key.*401"):
        run(generate(backend, ChatRequest(messages=ASK, max_tokens=4)))


def test_a_prompt_beyond_the_context_is_one_clear_error(smollm2_server):
    too_long = ChatRequest(messages=(Message("user", "word " * 2500),), max_tokens=8)
    with pytest.raises(BackendError, match="exceeds the available context size.*ctx_per_slot"):
        run(generate(real_backend(smollm2_server), too_long))


# --- failure modes against the fake server ---------------------------------------------------


def fake_backend(server, **overrides) -> OpenAIBackend:
    config = dict(model="m", base_url=server.base_url, api_key="k", max_retries=3)
    return OpenAIBackend(OpenAIConfig(**{**config, **overrides}))


def test_retries_429_and_500_then_succeeds(fake_server):
    Reply = fake_server.Reply
    server = fake_server([Reply(429, {"Retry-After": "0"}), Reply(500), Reply(503)])
    [[sample]] = run(generate(fake_backend(server), ChatRequest(messages=ASK, seed=4)))
    assert sample.text == "seed=4 choice=0"
    assert len(server.received) == 4


def test_retries_a_timeout(fake_server):
    Reply = fake_server.Reply
    server = fake_server([Reply(delay_s=1.0)])
    [[sample]] = run(generate(fake_backend(server, timeout_s=0.3), ChatRequest(messages=ASK)))
    assert sample.text.endswith("choice=0") and len(server.received) == 2


def test_gives_up_after_max_retries(fake_server):
    Reply = fake_server.Reply
    server = fake_server([Reply(500)] * 10)
    with pytest.raises(BackendError, match="after 3 attempts"):
        run(generate(fake_backend(server, max_retries=2), ChatRequest(messages=ASK)))
    assert len(server.received) == 3


def test_fans_out_when_server_ignores_n(fake_server):
    server = fake_server(honor_n=False)
    backend = fake_backend(server)
    [samples] = run(generate(backend, ChatRequest(messages=ASK, n=3, seed=10)))
    assert [s.text for s in samples] == ["seed=10 choice=0", "seed=11 choice=0", "seed=12 choice=0"]
    assert [s.index for s in samples] == [0, 1, 2]
    assert [r["n"] for r in server.received] == [3, 1, 1]


def test_fans_out_when_server_rejects_n(fake_server):
    server = fake_server(reject_n=True)
    [samples] = run(generate(fake_backend(server), ChatRequest(messages=ASK, n=3, seed=0, first_index=2)))
    assert [s.text for s in samples] == ["seed=2 choice=0", "seed=3 choice=0", "seed=4 choice=0"]
    assert [s.index for s in samples] == [2, 3, 4]


def test_n_beyond_max_n_is_split(fake_server):
    server = fake_server()
    [samples] = run(generate(fake_backend(server, max_n=2), ChatRequest(messages=ASK, n=5, seed=0)))
    assert [s.index for s in samples] == [0, 1, 2, 3, 4]
    assert sorted((r["seed"], r["n"]) for r in server.received) == [(0, 2), (2, 2), (4, 1)]
    assert all(s.completion_tokens == 3 for s in samples)  # usage split across the choices


def test_bounded_concurrency(fake_server):
    Reply = fake_server.Reply
    server = fake_server([Reply(delay_s=0.2)] * 4)
    started = time.monotonic()
    requests = [ChatRequest(messages=ASK, seed=i) for i in range(4)]
    run(generate(fake_backend(server, max_concurrency=2), *requests))
    assert time.monotonic() - started >= 0.4  # two waves of two


def test_samples_in_flight_bound_calls_by_their_n(fake_server):
    """A server with 2 slots: two calls for 2 samples each go one after the other, however many
    calls may be open, so no call waits inside the server on its own timeout."""
    Reply = fake_server.Reply
    server = fake_server([Reply(delay_s=0.2)] * 2)
    started = time.monotonic()
    requests = [ChatRequest(messages=ASK, n=2, seed=i) for i in range(2)]
    run(generate(fake_backend(server, max_concurrency=8, max_n=2, max_samples_in_flight=2), *requests))
    assert time.monotonic() - started >= 0.4


def test_unauthorized_and_unknown_model_are_clear_errors(fake_server):
    Reply = fake_server.Reply
    server = fake_server([Reply(401, message="bad key"), Reply(404, message="no such model")])
    with pytest.raises(BackendError, match="OPENAI_API_KEY"):
        run(generate(fake_backend(server), ChatRequest(messages=ASK)))
    with pytest.raises(BackendError, match="404.*no such model.*model name"):
        run(generate(fake_backend(server), ChatRequest(messages=ASK)))
    assert len(server.received) == 2  # neither was retried


def test_connection_refused_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    backend = OpenAIBackend(OpenAIConfig(model="m", base_url=f"http://127.0.0.1:{port}/v1", api_key="k"))
    started = time.monotonic()
    with pytest.raises(BackendError, match="nothing is listening"):
        run(generate(backend, ChatRequest(messages=ASK)))
    assert time.monotonic() - started < 5  # not retried


def test_missing_api_key_is_a_config_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIBackend(OpenAIConfig(model="m", base_url="http://127.0.0.1:1/v1"))
