"""FakeBackend: scripted answers, recorded requests."""

from __future__ import annotations

import asyncio

from codesieve.llm import LLM, ChatRequest, FakeBackend, Message


def test_fake_answers_from_its_function_and_records_requests():
    fake = FakeBackend(lambda request, index: f"def f(): return {index}")
    request = ChatRequest(messages=(Message("user", "two words"),), n=2, first_index=3, logprobs=True)
    [samples] = asyncio.run(fake.generate([request]))
    assert isinstance(fake, LLM)
    assert [s.text for s in samples] == ["def f(): return 3", "def f(): return 4"]
    assert samples[0].completion_tokens == 4 and samples[0].prompt_tokens == 2
    assert samples[0].token_logprobs == (-0.5,) * 4
    assert fake.requests == [request]
