"""Model backends: the `LLM` protocol, an OpenAI-compatible client, the embedded llama.cpp server,
a SQLite completion store in front of either, and a scripted fake for tests.

    async with open_llm() as llm:                      # embedded Qwen2.5-Coder-0.5B
        [samples] = await llm.generate([ChatRequest(messages=msgs, n=8, temperature=0.8, seed=1)])
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from codesieve.errors import ConfigError
from codesieve.llm.base import LLM, ChatRequest, Completion, Message
from codesieve.llm.caching import CachingBackend
from codesieve.llm.fake import FakeBackend
from codesieve.llm.llamacpp import DEFAULT_SLOTS, NGRAM_DRAFT_TOKENS, EmbeddedBackend, LlamaServer, ServerConfig
from codesieve.llm.openai_compat import OpenAIBackend, OpenAIConfig
from codesieve.llm.store import CompletionStore, Usage, request_key
from codesieve.llm.weights import DEFAULT_MODEL, MODELS, ModelSpec, model_id_for, resolve_weights

__all__ = [
    "DEFAULT_MODEL",
    "LLM",
    "MODELS",
    "CachingBackend",
    "ChatRequest",
    "Completion",
    "CompletionStore",
    "EmbeddedBackend",
    "FakeBackend",
    "LlamaServer",
    "Message",
    "ModelSpec",
    "OpenAIBackend",
    "OpenAIConfig",
    "ServerConfig",
    "Usage",
    "model_id_for",
    "open_llm",
    "request_key",
    "resolve_weights",
]


@asynccontextmanager
async def open_llm(
    model: str = DEFAULT_MODEL,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    store: str | Path | None = None,
    replay: bool = False,
    parallel: int = DEFAULT_SLOTS,
    threads: int | None = None,
    ngram_draft: bool = False,
    ngram_draft_tokens: int = NGRAM_DRAFT_TOKENS,
) -> AsyncIterator[LLM]:
    """Open the backend a run asks for, and close it (stopping any embedded server) on exit.

    Without `base_url`, `model` is served by the embedded llama.cpp server with `parallel` slots on
    `threads` threads (default: every core), with n-gram drafts of at most `ngram_draft_tokens`
    tokens if `ngram_draft` (see `ServerConfig`); with it, `model` is a model name on that
    OpenAI-compatible server. With `store`, the backend sits behind a `CachingBackend`;
    `replay=True` serves only from the store and starts no model.
    """
    if replay and store is None:
        raise ConfigError("replay needs a completion store to replay from")
    async with AsyncExitStack() as stack:
        inner: LLM | None = None
        if replay:
            model_id = model if base_url else model_id_for(model)
        elif base_url:
            remote = OpenAIBackend(OpenAIConfig(model=model, base_url=base_url, api_key=api_key))
            stack.push_async_callback(remote.aclose)
            inner, model_id = remote, remote.model_id
        else:
            server = await asyncio.to_thread(LlamaServer, ServerConfig(model=model, parallel=parallel, threads=threads,
                                                                          ngram_draft=ngram_draft,
                                                                          ngram_draft_tokens=ngram_draft_tokens))
            stack.callback(server.close)
            embedded = EmbeddedBackend(server=server)
            stack.push_async_callback(embedded.aclose)
            inner, model_id = embedded, embedded.model_id
        if store is None:
            assert inner is not None  # replay without a store was refused above
            yield inner
            return
        completions = stack.enter_context(CompletionStore(store))
        yield CachingBackend(inner, completions, replay=replay, model_id=model_id)
