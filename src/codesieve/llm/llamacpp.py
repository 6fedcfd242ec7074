"""The embedded default backend: llama.cpp's own server (via xllamacpp) inside this process.

The server listens on 127.0.0.1 on a free port, with `parallel` slots served by continuous
batching, and checks a random API key so other local users cannot borrow it. Requests go through
`OpenAIBackend`, so embedded and remote models share one code path. The server's threads live in
this process; `close()` stops them (the server also stops when the object is garbage-collected).
"""

from __future__ import annotations

import os
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from codesieve.errors import BackendError, ConfigError
from codesieve.llm.base import ChatRequest, Completion
from codesieve.llm.openai_compat import OpenAIBackend, OpenAIConfig
from codesieve.llm.weights import DEFAULT_MODEL, model_id_for, resolve_weights

HEALTH_TIMEOUT_S = 30.0
DEFAULT_SLOTS = 16
NGRAM_DRAFT_TOKENS = 16
NGRAM_LOOKUP_TOKENS = 12  # llama.cpp's n-gram lookup: it proposes no shorter draft


@dataclass(frozen=True)
class ServerConfig:
    """What to serve and how.

    `model` is a name from `codesieve.llm.weights.MODELS` or a path to a .gguf file. Each of the
    `parallel` slots gets `ctx_per_slot` tokens of context: the whole conversation plus the answer,
    so debugging rounds that resend earlier answers need room. A request that does not fit is
    refused (a `BackendError`). `threads` defaults to every core.

    `DEFAULT_SLOTS` is twice a run's default N=8 samples: with two problems in flight, the later
    one's eight samples then never hold every slot while the earlier one's next call (a debug
    round, its test inputs) waits for one. With 4 slots that wait cost the README's first run
    about 35 s before its first result (docs/first-run.md). An idle slot costs only its context
    memory (about 100 MB for the 0.5B at 8,192 tokens, 230 MB for the 1.5B).

    `ngram_draft` turns on llama.cpp's n-gram speculation (no draft model): where the last tokens
    already stand earlier in the context, the tokens that followed them there are proposed and the
    model checks them in one batch. A debug answer mostly repeats the program it fixes, so much of
    it comes out a batch at a time. The model still picks every token, but a batch's arithmetic
    can tip a near-tie, so an answer may differ from a plain run's in rare places. A draft is at
    most `ngram_draft_tokens` long (default `NGRAM_DRAFT_TOKENS`; llama.cpp's is 48): checking a
    draft token costs about as much arithmetic as decoding it, and while several answers decode
    together the machine is compute-bound, so a long draft that a sampled answer leaves after a
    few tokens is paid for in full (docs/first-run.md).
    """

    model: str = DEFAULT_MODEL
    parallel: int = DEFAULT_SLOTS
    ctx_per_slot: int = 8192
    threads: int | None = None
    cache_dir: Path | None = None
    ngram_draft: bool = False
    ngram_draft_tokens: int = NGRAM_DRAFT_TOKENS


class LlamaServer:
    """A running llama.cpp server. Starting blocks until the model is loaded and /health answers."""

    def __init__(self, config: ServerConfig = ServerConfig()) -> None:
        try:
            import xllamacpp
        except ImportError:
            raise ConfigError("the embedded backend needs xllamacpp: pip install xllamacpp") from None
        if config.parallel < 1 or config.ctx_per_slot < 64:
            raise ConfigError("parallel must be >= 1 and ctx_per_slot >= 64")
        if config.ngram_draft_tokens < NGRAM_LOOKUP_TOKENS:
            raise ConfigError(f"ngram_draft_tokens must be at least {NGRAM_LOOKUP_TOKENS}: llama.cpp looks up "
                              f"{NGRAM_LOOKUP_TOKENS}-token n-grams and proposes no shorter draft")
        self.config = config
        self.model_path = resolve_weights(config.model, config.cache_dir)
        self.model_id = model_id_for(config.model)
        self.api_key = secrets.token_hex(16)
        threads = config.threads or os.cpu_count() or 1

        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # the OS picks a free port
        params.n_parallel = config.parallel
        params.n_ctx = config.parallel * config.ctx_per_slot
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.api_keys = [self.api_key]
        if config.ngram_draft:
            params.speculative.types = [xllamacpp.common_speculative_type.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
            params.speculative.ngram_simple.size_m = config.ngram_draft_tokens
        params.verbosity = -1  # llama.cpp logs nothing on stderr
        try:
            self._server: object | None = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise BackendError(
                f"llama.cpp could not start with {self.model_path}: {exc}. Check that the file is a "
                "valid GGUF model and that parallel * ctx_per_slot fits in memory."
            ) from exc
        self.base_url = str(self._server.listening_address).rstrip("/")  # type: ignore[attr-defined]
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                if time.monotonic() > deadline:
                    self.close()
                    raise BackendError(f"llama.cpp server at {self.base_url} never became healthy: {exc}") from exc
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Stop the server: its destructor ends the decoding loop and the HTTP threads."""
        server, self._server = self._server, None
        del server

    def __enter__(self) -> "LlamaServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EmbeddedBackend:
    """`LLM` on an embedded llama.cpp server; the default backend.

    One line: `async with EmbeddedBackend(ServerConfig("qwen2.5-coder-0.5b")) as llm: ...`
    At most `parallel` samples are asked per call (the server refuses more), and token logprobs
    are always requested because llama.cpp reports usage for only one choice of an n>1 call.
    """

    def __init__(self, config: ServerConfig = ServerConfig(), *, server: LlamaServer | None = None) -> None:
        self.server = server or LlamaServer(config)
        self._owns_server = server is None
        self.model_id = self.server.model_id
        parallel = self.server.config.parallel
        self._backend = OpenAIBackend(
            OpenAIConfig(
                model=self.server.config.model,
                base_url=self.server.base_url + "/v1",
                api_key=self.server.api_key,
                max_concurrency=parallel,
                max_n=parallel,
                max_samples_in_flight=parallel,  # queued in the server, a call's wait would count as its time
                max_retries=2,
                always_logprobs=True,
            ),
            model_id=self.model_id,
        )

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]:
        return await self._backend.generate(requests)

    async def aclose(self) -> None:
        await self._backend.aclose()
        if self._owns_server:
            self.server.close()

    async def __aenter__(self) -> "EmbeddedBackend":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
