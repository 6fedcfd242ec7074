"""Shared fixtures: one real SmolLM2 llama.cpp server per session, and a scripted fake OpenAI server."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest

from codesieve.llm import LlamaServer, ServerConfig


@pytest.fixture(scope="session")
def smollm2_server() -> Iterator[LlamaServer]:
    """SmolLM2-135M on 4 slots: small enough to load in a second and answer in a few."""
    with LlamaServer(ServerConfig(model="smollm2-135m", parallel=4, ctx_per_slot=2048, threads=1)) as server:
        yield server


@dataclass
class Reply:
    """One scripted answer: an HTTP status (200 = a normal completion), headers, and a delay."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    message: str = "scripted failure"


class FakeOpenAIServer:
    """A local HTTP server speaking just enough of the chat completions API.

    It answers the scripted replies in order, then 200s. A 200 carries `n` choices (one if
    `honor_n` is false) whose text names the seed it was asked with. With `reject_n`, any n>1
    gets a 400, like a server that does not support it.
    """

    Reply = Reply

    def __init__(self, script: list[Reply] | None = None, *, honor_n: bool = True, reject_n: bool = False):
        self.script = list(script or [])
        self.honor_n = honor_n
        self.reject_n = reject_n
        self.received: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.received.append(body)
                reply = fake.script.pop(0) if fake.script else Reply()
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.status == 200 and fake.reject_n and body.get("n", 1) > 1:
                    reply = Reply(400, message="'n' must be 1")
                if reply.status == 200:
                    payload = fake._completion(body)
                else:
                    payload = {"error": {"message": reply.message, "type": "error", "code": reply.status}}
                data = json.dumps(payload).encode()
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
        n = body.get("n", 1) if self.honor_n else 1
        choices = [
            {
                "index": i,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": f"seed={body.get('seed')} choice={i}"},
            }
            for i in range(n)
        ]
        usage = {"prompt_tokens": 7, "completion_tokens": 3 * n, "total_tokens": 7 + 3 * n}
        return {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": choices, "usage": usage}

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture
def fake_server() -> Iterator[type[FakeOpenAIServer]]:
    """A factory for fake servers; every server made is closed after the test."""
    made: list[FakeOpenAIServer] = []

    class Factory(FakeOpenAIServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    yield Factory
    for server in made:
        server.close()
