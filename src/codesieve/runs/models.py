"""Which model answers a run's requests, and where it is served, known before it is opened."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from codesieve.llm import DEFAULT_MODEL, LLM, model_id_for
from codesieve.llm.llamacpp import ServerConfig


@dataclass(frozen=True)
class Model:
    """A model by name: embedded (a name of `codesieve.llm.MODELS` or a .gguf path, served by
    llama.cpp with `parallel` slots and, with `ngram_draft`, n-gram drafts of at most
    `draft_tokens` tokens; the embedded server's defaults, `ServerConfig`) or, with `base_url`, a
    model name on an OpenAI-compatible server. (`codesieve run` turns `ngram_draft` on.)"""

    name: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    parallel: int = ServerConfig.parallel
    ngram_draft: bool = ServerConfig.ngram_draft
    draft_tokens: int = ServerConfig.ngram_draft_tokens

    @property
    def model_id(self) -> str:
        """The id its answers are stored under, as the opened model reports it."""
        return self.name if self.base_url else model_id_for(self.name)

    def open(self, completions: Path, *, replay: bool = False) -> AbstractAsyncContextManager[LLM]:
        """Start (or connect to) the model behind the completion store at `completions`; with
        `replay`, serve only from that store and start nothing."""
        from codesieve import llm  # looked up when called: tests replace `open_llm` with a scripted model

        return llm.open_llm(self.name, base_url=self.base_url, api_key=self.api_key, store=completions, replay=replay,
                            parallel=self.parallel, ngram_draft=self.ngram_draft, ngram_draft_tokens=self.draft_tokens)
