"""A chat completion request's JSON, checked and read into a `ChatCall`.

What codesieve reads: `model` (one of the served names), `messages` (the task is the last user
message; text parts of a list content are joined), `stream`, `stream_options.include_usage`, and
the extension field `codesieve` (what the official client sends as `extra_body={"codesieve": {...}}`):

    {"tests": [...], "entry_point": "f", "kind": "function" | "stdio", "n": 8, "strategy": "sstar"}

`tests` take the shapes of docs/problem-format.md. OpenAI's sampling fields (temperature,
max_tokens, ...) are accepted and ignored: sampling is the server's configuration, so that every
pick is a stored, replayable run. `n` above 1 is refused: the answer is one selected program.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from codesieve.serve.errors import APIError, bad_request

OPTIONS = {"tests": list, "entry_point": str, "kind": str, "n": int, "strategy": str}  # name -> JSON type
_TYPE_NAMES = {list: "list", str: "string", int: "integer"}
MAX_SAMPLES = 64


@dataclass(frozen=True)
class Extension:
    """The request's `codesieve` field; None where not given."""

    tests: list[Any] | None = None
    entry_point: str | None = None
    kind: str | None = None
    n: int | None = None
    strategy: str | None = None


@dataclass(frozen=True)
class ChatCall:
    """What codesieve uses of one chat completion request."""

    model: str
    task: str  # the last user message
    stream: bool = False
    include_usage: bool = False
    extension: Extension = Extension()


def parse_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(f"the request body is not valid JSON: {exc}", code="invalid_json") from None


def chat_call(body: Any, models: Sequence[str]) -> ChatCall:
    """Check `body` and read it; a mistake is a 400 (404 for an unknown model) naming the field."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str):
        raise bad_request("'model' is required: a string", param="model")
    if model not in models:
        raise APIError(404, f"the model {model!r} does not exist; this server serves {', '.join(models)}",
                       param="model", code="model_not_found")
    if body.get("n", 1) != 1:
        raise bad_request("n must be 1: the answer is the one selected program (samples per request: "
                          "extra_body={'codesieve': {'n': N}})", param="n")
    stream = body.get("stream") or False
    stream_options = body.get("stream_options") or {}
    if not isinstance(stream, bool) or not isinstance(stream_options, dict):
        raise bad_request("'stream' must be true or false and 'stream_options' an object", param="stream")
    return ChatCall(model=model, task=_last_user_message(body.get("messages")), stream=stream,
                    include_usage=stream_options.get("include_usage") is True,
                    extension=_extension(body.get("codesieve")))


def _last_user_message(messages: Any) -> str:
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise bad_request("'messages' must be a list of message objects", param="messages")
    users = [m for m in messages if m.get("role") == "user"]
    if not users:
        raise bad_request("'messages' has no user message: the last one is the task", param="messages")
    content = users[-1].get("content")
    if isinstance(content, list):  # content parts: the text ones
        content = "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    if not isinstance(content, str) or not content.strip():
        raise bad_request("the last user message has no text", param="messages")
    return content


def _extension(value: Any) -> Extension:
    if value is None:
        return Extension()
    if not isinstance(value, dict):
        raise bad_request("'codesieve' must be an object", param="codesieve")
    unknown = sorted(set(value) - set(OPTIONS))
    if unknown:
        raise bad_request(f"unknown field codesieve.{unknown[0]}; known: {', '.join(OPTIONS)}", param="codesieve")
    for name, kind in OPTIONS.items():
        given = value.get(name)
        if given is not None and (not isinstance(given, kind) or isinstance(given, bool)):
            raise bad_request(f"codesieve.{name} must be a {_TYPE_NAMES[kind]}", param=f"codesieve.{name}")
    n = value.get("n")
    if n is not None and not 1 <= n <= MAX_SAMPLES:
        raise bad_request(f"codesieve.n must be 1 to {MAX_SAMPLES}, got {n}", param="codesieve.n")
    if value.get("kind") not in (None, "function", "stdio"):
        raise bad_request("codesieve.kind must be 'function' or 'stdio'", param="codesieve.kind")
    return Extension(**value)

