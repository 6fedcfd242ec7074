"""A scripted `LLM` for unit tests: answers come from a plain function, every request is recorded."""

from __future__ import annotations

import asyncio
from typing import Callable, Sequence

from codesieve.llm.base import ChatRequest, Completion

Responder = Callable[[ChatRequest, int], str]
Alternatives = Callable[[ChatRequest, int], Sequence[tuple[str, float]]]


def _numbered(request: ChatRequest, index: int) -> str:
    return f"sample {index}"


class FakeBackend:
    """`LLM` whose sample `i` of a request is `respond(request, i)`.

    Token counts are whitespace-separated words; `token_logprobs` (when asked) are -0.5 per word.
    A request for `top_logprobs` gets `alternatives(request, i)` as the first token's (none
    without `alternatives`, like a server that ignores the option).
    `requests` lists every request received, so tests can check what reached the model.
    """

    def __init__(self, respond: Responder = _numbered, *, model_id: str = "fake", delay_s: float = 0.0,
                 alternatives: Alternatives | None = None) -> None:
        self.respond = respond
        self.alternatives = alternatives
        self.model_id = model_id
        self.delay_s = delay_s
        self.requests: list[ChatRequest] = []

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]:
        self.requests.extend(requests)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return [[self._sample(r, i) for i in r.indices] for r in requests]

    def _sample(self, request: ChatRequest, index: int) -> Completion:
        text = self.respond(request, index)
        words = len(text.split())
        prompt = request.prompt if request.prompt is not None else " ".join(m.content for m in request.messages)
        return Completion(
            text=text,
            finish_reason="stop",
            index=index,
            prompt_tokens=len(prompt.split()),
            completion_tokens=words,
            token_logprobs=(-0.5,) * words if request.logprobs else None,
            top_logprobs=((tuple(self.alternatives(request, index)),) if request.top_logprobs and self.alternatives
                          else None),
        )
