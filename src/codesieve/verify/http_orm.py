"""`orm:http`: an outcome reward model served over HTTP, such as a reward model behind vLLM's
pooling API (`vllm serve MODEL --task reward`, then POST /pooling).

Request: {"model": MODEL, "input": [TEXT, ...]} with TEXT from `reward_model_input` (the problem
prompt, a blank line, the program). Response: {"data": [{"index": i, "data": D}, ...]},
where D is a number or a (nested) list of numbers; the last number is the score, which for
per-token reward models is the reward at the final token, the outcome. Inputs go in batches of
`batch_size`.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from typing import Any, Sequence

from codesieve.errors import BackendError
from codesieve.stages import ProblemCandidates, Score
from codesieve.types import Problem


def reward_model_input(problem: Problem, program: str) -> str:
    """What a reward model is sent to score: the problem prompt as given, a blank line, the program."""
    return f"{problem.prompt}\n\n{program}"


class HttpOrm:
    def __init__(self, url: str, model: str = "", *, batch_size: int = 64, timeout_s: float = 120.0):
        self.url = url
        self.model = model
        self.batch_size = batch_size
        self.timeout_s = timeout_s

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        texts = [reward_model_input(g.problem, c.program) for g in groups for c in g.candidates]
        values: list[float] = []
        costs: list[float] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start:start + self.batch_size]
            began = time.perf_counter()
            values.extend(await asyncio.to_thread(self._score, chunk))  # urllib blocks; the loop goes on
            costs.extend([(time.perf_counter() - began) / len(chunk)] * len(chunk))
        out, at = [], 0
        for group in groups:
            n = len(group.candidates)
            out.append([Score(True, v, c) for v, c in zip(values[at:at + n], costs[at:at + n])])
            at += n
        return out

    def _score(self, texts: list[str]) -> list[float]:
        body = json.dumps({"model": self.model, "input": texts}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                reply = json.load(response)
        except urllib.error.HTTPError as exc:
            raise BackendError(f"ORM server {self.url} answered {exc.code}: {exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise BackendError(f"cannot reach the ORM server at {self.url} ({exc}); is it running?") from exc
        try:
            rows = sorted(reply["data"], key=lambda r: r["index"])
            scores = [_last_number(r["data"]) for r in rows]
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            raise BackendError(f"ORM server {self.url} sent an unexpected reply ({exc!r}); expected "
                               '{"data": [{"index": i, "data": score}, ...]}') from exc
        if len(scores) != len(texts):
            raise BackendError(f"ORM server {self.url} scored {len(scores)} of {len(texts)} programs")
        return scores


def _last_number(data: Any) -> float:
    while isinstance(data, list):
        data = data[-1]
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise ValueError(f"not a number: {data!r}")
    return float(data)
