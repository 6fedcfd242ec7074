"""An `Answer` as a chat completion: the picked program in one fenced block, the tokens the run
spent as `usage`, and what codesieve did in the extension field `codesieve`:

    {"run": key, "store": path, "strategy": "sstar",
     "tests": {"from": "request" | "prompt" | "none", "count": 3, "note": "..."},
     "candidates": [{"id": "chat-1a2b#0.0", "pool": "sampled", "public_passed": 2, "public_tests": 3}, ...],
     "pick": {"candidate": "chat-1a2b#0.1", "reason": "...", "passes_tests": true},
     "report": "/abs/runs/serve.reports/<key>.html", "replay": "codesieve run ... --replay"}

`passes_tests` is whether the pick passes the problem's tests (null when it has none). A stream
sends the whole message in one chunk once the pick is made (never a partial candidate), then a
chunk with the finish reason and the `codesieve` field, then one with `usage` when asked.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Iterator

from codesieve.serve.solve import Answer


def message_text(answer: Answer) -> str:
    return f"```python\n{answer.program.rstrip()}\n```"


def usage(answer: Answer) -> dict[str, int]:
    cost = answer.pick.cost
    return {"prompt_tokens": cost.prompt_tokens, "completion_tokens": cost.completion_tokens,
            "total_tokens": cost.prompt_tokens + cost.completion_tokens}


def extension(answer: Answer, store: str) -> dict[str, Any]:
    problem, pick = answer.served.problem, answer.pick
    candidates = [
        {"id": a.candidate.id, "pool": pool, "public_passed": a.public.n_passed if a.public else 0,
         "public_tests": len(problem.public_tests)}
        for pool, lineages in answer.stored.pools.named().items() for lineage in lineages for a in lineage.attempts]
    return {
        "run": answer.key, "store": store, "strategy": pick.strategy,
        "tests": {"from": answer.served.tests_from, "count": len(problem.public_tests), "note": answer.served.note},
        "candidates": candidates,
        "pick": {"candidate": pick.winner, "reason": pick.reason,
                 "passes_tests": pick.passed if problem.hidden_tests else None},
        "report": str(answer.report), "replay": answer.replay,
    }


def completion(answer: Answer, model: str, store: str) -> dict[str, Any]:
    return {
        "id": _completion_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": message_text(answer)},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": usage(answer), "codesieve": extension(answer, store),
    }


def stream_chunks(answer: Answer, model: str, store: str, include_usage: bool) -> Iterator[str]:
    """The completion as server-sent events, ending with `[DONE]`."""
    head = {"id": _completion_id(), "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
    content = {"role": "assistant", "content": message_text(answer)}
    chunks = [{**head, "choices": [{"index": 0, "delta": content, "finish_reason": None}]},
              {**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
               "codesieve": extension(answer, store)}]
    if include_usage:
        chunks.append({**head, "choices": [], "usage": usage(answer)})
    for chunk in chunks:
        yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"
