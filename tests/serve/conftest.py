"""Servers for the serve tests: `codesieve.serve`'s app under uvicorn on a free loopback port, in a
thread, called with the official `openai` client; its model scripted (a `FakeBackend` behind the
real completion store, patched in as `open_llm`) or real (SmolLM2-135M on a shared llama.cpp
server on one thread, which keeps it quick on a busy machine)."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import asynccontextmanager
from typing import Any, Callable, Iterator

import openai
import pytest
import uvicorn

from codesieve.runs import Model
from codesieve.serve import ServeSettings, create_app
from tests.llm.conftest import fake_server, smollm2_server  # noqa: F401 (fixtures used here)

KEY = "test-key"
ADD_TESTS = [{"args": [1, 2], "expected": 3}, {"code": "assert add(-1, 1) == 0"}]


class Served:
    """A running server: its settings, base URL, and a client for it (`client(key=..., retries=...)`)."""

    def __init__(self, settings: ServeSettings):
        self.settings = settings
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        self._server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start (see the log above)")
            time.sleep(0.02)

    def client(self, key: str | None = KEY, retries: int = 0, timeout: float = 300) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.base_url, api_key=key or "none", max_retries=retries, timeout=timeout)

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(30)


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., Served]]:
    """`serve(**settings)` starts a server (stored under tmp_path, two sandbox workers, the test key);
    every server started is stopped after the test."""
    started: list[Served] = []

    def start(**options: Any) -> Served:
        defaults: dict[str, Any] = dict(store=tmp_path / "serve.sqlite", workers=2, api_key=KEY, n=2, rounds=1,
                                        max_tokens=64)
        served = Served(ServeSettings(**{**defaults, **options}))
        started.append(served)
        return served

    yield start
    for served in started:
        served.close()


def program_for(text: str, index: int) -> str:
    """The scripted model: sample 0 of `add` is wrong, the others right; stdin tasks echo; a task
    that says so gets prose; selection's questions get an answer with no calls in it."""
    if "def add" not in text and "add(a, b)" not in text and "stdin" not in text and "prose" not in text:
        return "No inputs come to mind."
    if "prose" in text:
        return "I would rather not write code today."
    if "stdin" in text:
        return "```python\nprint(input())\n```"
    body = "a - b" if index == 0 else "a + b"
    return f"```python\ndef add(a, b):\n    return {body}\n```"


@pytest.fixture
def scripted(monkeypatch) -> Callable[..., None]:
    """`scripted(delay_s=0)` patches `codesieve.llm.open_llm` with the scripted model (`program_for`)
    behind the real completion store, so `codesieve run --replay` reads what the server stored."""
    from codesieve.llm import CachingBackend, CompletionStore, FakeBackend

    def install(delay_s: float = 0.0) -> None:
        def respond(request, index):
            return program_for(request.messages[-1].content, index)

        @asynccontextmanager
        async def open_llm(model="fake", *, store=None, replay=False, **_):
            fake = None if replay else FakeBackend(respond, model_id=f"fake-{model}", delay_s=delay_s)
            with CompletionStore(store) as completions:
                yield CachingBackend(fake, completions, replay=replay, model_id=f"fake-{model}")

        monkeypatch.setattr("codesieve.llm.open_llm", open_llm)

    return install


def fake_model() -> Model:
    return Model("fake", base_url="http://127.0.0.1:9/v1", api_key="none")


def smollm2_model(server) -> Model:
    return Model("smollm2", base_url=server.base_url + "/v1", api_key=server.api_key)


def fenced(content: str) -> str:
    """The program inside the answer's one ```python block."""
    match = re.fullmatch(r"```python\n(.*)\n```", content, re.DOTALL)
    assert match, content
    return match.group(1)
