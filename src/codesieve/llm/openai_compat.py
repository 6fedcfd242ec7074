"""A backend for any OpenAI-compatible HTTP server (OpenAI, vLLM, llama.cpp, ...), via the official client.

It bounds concurrent calls, leaves retrying to the openai client's own policy (rate limits, server
errors, timeouts and dropped connections, `max_retries` times with exponential backoff from 0.5 s to
8 s, honouring a server's Retry-After), and asks for n>1 samples per call where the server supports it. A server that returns fewer choices
than asked, or rejects n>1 outright, gets n separate calls instead, one seed per sample (see
`codesieve.llm.base`). Configuration mistakes (nothing listening, bad key, unknown model) fail at
once with a `BackendError` that says what to check; they are not retried (whether anything listens
at `base_url` is checked with one connection before the first call).
"""

from __future__ import annotations

import asyncio
import os
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any, Sequence

import openai

from codesieve.errors import BackendError, ConfigError
from codesieve._aio import WeightedSemaphore, gather_or_cancel
from codesieve.llm.base import ChatRequest, Completion

RETRYABLE_STATUS = (408, 409, 429)  # and every 5xx: what the openai client retries


@dataclass(frozen=True)
class OpenAIConfig:
    """Where the server is and how hard to push it.

    `base_url` and `api_key` default to the OPENAI_BASE_URL and OPENAI_API_KEY environment
    variables (a local server that checks no key accepts any non-empty key). `max_n` is the most
    samples asked in one call; larger requests are split. `always_logprobs` asks for token
    logprobs on every call even when a request does not need them, so per-sample token counts are
    exact on servers (llama.cpp) whose usage figure covers only one choice of an n>1 call.
    """

    model: str
    base_url: str | None = None
    api_key: str | None = None
    max_concurrency: int = 8
    max_retries: int = 5
    timeout_s: float = 600.0
    max_n: int = 128
    always_logprobs: bool = False
    max_samples_in_flight: int | None = None  # a server with this many slots: a call for n samples takes n


class _Rejected(BackendError):
    """The server answered 400: the request is unacceptable (perhaps only its n>1)."""


class OpenAIBackend:
    """`LLM` over an OpenAI-compatible endpoint. Use as `async with OpenAIBackend(config) as llm:`.

    `model_id` defaults to the configured model name; give another when several servers host
    different weights under one name, since completion stores key on it.
    """

    def __init__(self, config: OpenAIConfig, *, model_id: str | None = None) -> None:
        api_key = config.api_key or os.environ.get("OPENAI_API_KEY")
        if not api_key:
            raise ConfigError(
                "no API key: pass api_key or set OPENAI_API_KEY "
                "(any non-empty value works for local servers that check none)"
            )
        if min(config.max_concurrency, config.max_n, config.max_samples_in_flight or 1) < 1 or config.max_retries < 0:
            raise ConfigError("max_concurrency, max_n and max_samples_in_flight must be >= 1, max_retries >= 0")
        self.config = config
        self.model_id = model_id or config.model
        self._client = openai.AsyncOpenAI(
            base_url=config.base_url, api_key=api_key, max_retries=config.max_retries, timeout=config.timeout_s
        )
        self.base_url = str(self._client.base_url).rstrip("/")
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._samples = WeightedSemaphore(config.max_samples_in_flight or config.max_n * config.max_concurrency)
        self._native_n = True  # until the server shows it ignores or rejects n>1
        self._listening = False  # until one connection to base_url succeeded

    async def generate(self, requests: Sequence[ChatRequest]) -> list[list[Completion]]:
        return await gather_or_cancel(*(self._request(r) for r in requests))

    async def aclose(self) -> None:
        await self._client.close()

    async def __aenter__(self) -> "OpenAIBackend":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(self, request: ChatRequest) -> list[Completion]:
        step = self.config.max_n
        starts = range(request.first_index, request.first_index + request.n, step)
        chunks = [replace(request, first_index=s, n=min(step, request.first_index + request.n - s)) for s in starts]
        parts = await gather_or_cancel(*(self._chunk(c) for c in chunks))
        return [c for part in parts for c in part]

    async def _chunk(self, request: ChatRequest) -> list[Completion]:
        if request.n == 1 or not self._native_n:
            return await self._fan_out(request)
        try:
            got = await self._call(request)
        except _Rejected:
            # Maybe only n>1 is unsupported: an n=1 call tells. If it fails too, its error stands.
            first = await self._fan_out(replace(request, n=1))
            self._native_n = False
            return first + await self._fan_out(replace(request, first_index=request.first_index + 1, n=request.n - 1))
        if len(got) < request.n:  # the server ignored n
            self._native_n = False
            rest = replace(request, first_index=request.first_index + len(got), n=request.n - len(got))
            got += await self._fan_out(rest)
        return got[: request.n]

    async def _fan_out(self, request: ChatRequest) -> list[Completion]:
        singles = [replace(request, first_index=i, n=1) for i in request.indices]
        results = await gather_or_cancel(*(self._call(s) for s in singles))
        return [r[0] for r in results]

    async def _call(self, request: ChatRequest) -> list[Completion]:
        """One HTTP call for samples `request.indices` (or fewer, if the server ignores n), retried
        by the openai client; what is still failing after that becomes one `BackendError`."""
        await self._check_listening()
        try:
            async with self._samples.hold(request.n), self._slots:
                return await self._send(request)
        except openai.APIStatusError as exc:
            if exc.status_code not in RETRYABLE_STATUS and exc.status_code < 500:
                raise self._fatal(exc) from exc
            raise self._exhausted(exc) from exc
        except openai.APIConnectionError as exc:  # timeouts included
            if _refused(exc):
                raise self._not_listening() from exc
            raise self._exhausted(exc) from exc

    async def _check_listening(self) -> None:
        """Fail at once, not after every retry, when nothing listens at `base_url`."""
        if self._listening:
            return
        url = urllib.parse.urlsplit(self.base_url)
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(url.hostname, port), 10.0)
            writer.close()
        except ConnectionRefusedError as exc:
            raise self._not_listening() from exc
        except (OSError, asyncio.TimeoutError):
            return  # a name that does not resolve, a slow network: the client's own errors say more
        self._listening = True

    def _not_listening(self) -> BackendError:
        return BackendError(f"cannot connect to {self.base_url}: nothing is listening there. "
                            "Check that the server is running and that base_url (host, port, /v1) is right.")

    def _exhausted(self, last: Exception) -> BackendError:
        return BackendError(
            f"{self.base_url} still failing after {self.config.max_retries + 1} attempts; last error: {last}. "
            "The server may be overloaded: lower max_concurrency or try again later.")

    def _fatal(self, exc: openai.APIStatusError) -> Exception:
        where = f"{self.base_url} (model {self.config.model!r})"
        if exc.status_code in (401, 403):
            return BackendError(
                f"{where} refused the API key ({exc.status_code}: {_message(exc)}). "
                "Check api_key / OPENAI_API_KEY and that the key may use this model."
            )
        if exc.status_code == 404:
            return BackendError(
                f"{where} answered 404 ({_message(exc)}). Check the model name "
                "and that base_url points at the API root (usually ending in /v1)."
            )
        if exc.status_code == 400:
            return _Rejected(
                f"{where} rejected the request (400: {_message(exc)}). "
                "Check that the prompt fits the model's context (embedded server: raise ctx_per_slot) "
                "and the sampling options."
            )
        return BackendError(f"{where} rejected the request ({exc.status_code}: {_message(exc)})")

    async def _send(self, request: ChatRequest) -> list[Completion]:
        logprobs = request.logprobs or self.config.always_logprobs
        args: dict[str, Any] = dict(
            model=self.config.model,
            n=request.n,
            temperature=request.temperature,
            top_p=request.top_p,
            max_tokens=request.max_tokens,
        )
        if request.stop:
            args["stop"] = list(request.stop)
        if request.seed is not None:
            args["seed"] = request.seed_for(request.first_index)
        if request.prompt is None:
            messages = [{"role": m.role, "content": m.content} for m in request.messages]
            if logprobs:  # llama.cpp sends 20 alternatives if top_logprobs is unset
                args.update(logprobs=True, top_logprobs=max(1, request.top_logprobs))
            response = await self._client.chat.completions.create(messages=messages, **args)
        else:
            if logprobs:
                args["logprobs"] = 1
            response = await self._client.completions.create(prompt=request.prompt, **args)
        return _completions(request, response.model_dump())


def _completions(request: ChatRequest, body: dict[str, Any]) -> list[Completion]:
    choices = sorted(body.get("choices") or [], key=lambda c: c.get("index", 0))
    if not choices:
        raise BackendError(f"the server returned no choices: {str(body)[:300]}")
    usage = body.get("usage") or {}
    prompt_tokens = int(usage.get("prompt_tokens") or 0)
    shared_tokens = round(int(usage.get("completion_tokens") or 0) / len(choices))
    out = []
    for offset, choice in enumerate(choices[: request.n]):
        logprobs = _token_logprobs(choice.get("logprobs"))
        alternatives = _top_logprobs(choice.get("logprobs")) if request.top_logprobs else None
        if "message" in choice:
            text = (choice.get("message") or {}).get("content") or ""
        else:
            text = choice.get("text") or ""
        out.append(
            Completion(
                text=text,
                finish_reason=choice.get("finish_reason") or "unknown",
                index=request.first_index + offset,
                prompt_tokens=prompt_tokens,
                completion_tokens=len(logprobs) if logprobs is not None else shared_tokens,
                token_logprobs=logprobs if request.logprobs else None,
                top_logprobs=alternatives,
            )
        )
    return out


def _token_logprobs(logprobs: dict[str, Any] | None) -> tuple[float, ...] | None:
    """Chat format (`content`), legacy completions format (`token_logprobs`), or llama.cpp's mix."""
    if not logprobs:
        return None
    if logprobs.get("content") is not None:
        return tuple(float(t["logprob"]) for t in logprobs["content"])
    if logprobs.get("token_logprobs") is not None:
        return tuple(float(lp) if lp is not None else float("nan") for lp in logprobs["token_logprobs"])
    return None


def _top_logprobs(logprobs: dict[str, Any] | None) -> tuple[tuple[tuple[str, float], ...], ...] | None:
    """Chat format only: each token's `top_logprobs` list as ((token, logprob), ...); None when the
    server sent none (it ignores the option), so callers can say so."""
    content = (logprobs or {}).get("content")
    if not content or not any(t.get("top_logprobs") for t in content):
        return None
    return tuple(tuple((str(alt.get("token", "")), float(alt["logprob"])) for alt in t.get("top_logprobs") or ())
                 for t in content)


def _refused(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(exc.message)
