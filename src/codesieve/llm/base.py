"""The model interface: requests and completions as frozen values, and the one-method `LLM` protocol.

A request asks for `n` samples. Each sample has an index (`first_index`, `first_index + 1`, ...)
and, when the request has a seed, its own seed `seed + index`. Sample `i` is therefore the same
whether it was generated in one call with n=8, alone, or as part of a resumed run that asks only
for the missing ones. llama.cpp derives the seeds of its n>1 choices the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

from codesieve.errors import ConfigError

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Message:
    """One chat turn."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ConfigError(f"message role must be one of {ROLES}, not {self.role!r}")


@dataclass(frozen=True)
class ChatRequest:
    """Ask for `n` samples of one conversation (or of one raw `prompt`, for base-model continuation).

    Exactly one of `messages` and `prompt` is set. `temperature=0` is greedy decoding. `first_index`
    is the index of the first sample asked for; resumed runs use it to ask only for missing samples.
    `logprobs` asks for per-token log-probabilities (needed for `Completion.mean_logprob`);
    `top_logprobs` > 0 also asks for that many most likely alternatives at each position
    (`Completion.top_logprobs`; OpenAI allows at most 20).
    """

    messages: tuple[Message, ...] = ()
    prompt: str | None = None
    n: int = 1
    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 512
    stop: tuple[str, ...] = ()
    seed: int | None = None
    logprobs: bool = False
    first_index: int = 0
    top_logprobs: int = 0

    def __post_init__(self) -> None:
        # Accept lists and {"role", "content"} dicts for convenience; store tuples of Message so
        # requests stay hashable.
        messages = tuple(m if isinstance(m, Message) else Message(**m) for m in self.messages)
        object.__setattr__(self, "messages", messages)
        object.__setattr__(self, "stop", tuple(self.stop))
        if bool(self.messages) == (self.prompt is not None):
            raise ConfigError("a request needs either chat `messages` or a raw `prompt`, not both")
        if self.n < 1 or self.first_index < 0:
            raise ConfigError(f"a request needs n >= 1 and first_index >= 0 (got n={self.n})")
        if self.max_tokens < 1:
            raise ConfigError(f"max_tokens must be at least 1 (got {self.max_tokens})")
        if not 0 <= self.top_logprobs <= 20 or (self.top_logprobs and not self.logprobs):
            raise ConfigError(f"top_logprobs must be 0..20 and needs logprobs=True (got {self.top_logprobs})")
        if not (0.0 <= self.temperature and 0.0 < self.top_p <= 1.0):
            raise ConfigError("temperature must be >= 0 and top_p in (0, 1]")

    @property
    def indices(self) -> range:
        """The sample indices this request asks for."""
        return range(self.first_index, self.first_index + self.n)

    def seed_for(self, index: int) -> int | None:
        """The seed of sample `index`: distinct per sample, independent of how samples are batched."""
        return None if self.seed is None else self.seed + index


@dataclass(frozen=True)
class Completion:
    """One sample. `prompt_tokens` is the prompt size of the call that produced it.

    `completion_tokens` is exact when token logprobs came back (one per token); otherwise it is the
    server's usage figure, split evenly across the choices of an n>1 call.
    """

    text: str
    finish_reason: str  # "stop", "length", ... as the server says
    index: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    token_logprobs: tuple[float, ...] | None = None
    cached: bool = False  # served from a completion store, not generated now
    # per generated token, the most likely alternatives as (token, logprob), when asked for
    top_logprobs: tuple[tuple[tuple[str, float], ...], ...] | None = None

    @property
    def mean_logprob(self) -> float | None:
        """Mean token log-probability (a confidence score for ranking), if logprobs came back."""
        if not self.token_logprobs:
            return None
        finite = [lp for lp in self.token_logprobs if math.isfinite(lp)]
        return sum(finite) / len(finite) if finite else None


@runtime_checkable
class LLM(Protocol):
    """A model backend. Batch in, batch out: each backend schedules the batch its own way.

    `model_id` names the weights (not the server address); completion stores key on it.
    The result has one list per request, holding completions for `request.indices` in order.
    """

    model_id: str

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]: ...
