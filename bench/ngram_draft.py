"""Debug rounds with and without n-gram drafting on the embedded model, side by side.

A debug answer mostly repeats the program it fixes, which is what llama.cpp's n-gram speculation
(`ServerConfig.ngram_draft`) drafts from. This replays real debug requests of the S* benchmark
(greedy, from the committed model answers in bench/data/sstar_completions) on two embedded servers,
one plain and one drafting, one request at a time, alternating the two per request so a busy
machine slows both alike. It reports wall time and tokens per second of each (prompt processing
included) and how many answers equal the stored answer of the run that made them.

    python bench/ngram_draft.py [--requests 8] [--model qwen2.5-coder-0.5b]

Run it on an idle machine: llama.cpp slows down sharply when another process takes a core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import _results

from codesieve.llm import DEFAULT_MODEL, ChatRequest, EmbeddedBackend, ServerConfig, model_id_for
from codesieve.llm.store import read_export

SAVED = Path(__file__).resolve().parent / "data" / "sstar_completions"
MODES = ("plain", "ngram_draft")


def debug_requests(model: str, count: int) -> list[tuple[ChatRequest, str]]:
    """The first `count` greedy debug requests (a conversation with an earlier answer and its
    feedback) of `model` in the saved answers, each with the answer stored for it."""
    model_id, out = model_id_for(model), []
    for part in sorted(SAVED.glob("*.jsonl.gz")):
        for row in read_export(part)[1]:
            body = json.loads(row["body"])
            if row["model_id"] != model_id or body["temperature"] != 0.0 or len(body["messages"]) < 4:
                continue
            del body["model_id"]
            out.append((ChatRequest(**body), row["text"]))
            if len(out) == count:
                return out
    return out


async def replay(requests: list[tuple[ChatRequest, str]], model: str, parallel: int) -> dict[str, dict]:
    backends = {mode: EmbeddedBackend(ServerConfig(model=model, parallel=parallel, ngram_draft=mode != "plain"))
                for mode in MODES}
    totals = {mode: {"wall_s": 0.0, "completion_tokens": 0, "prompt_tokens": 0, "same_as_stored": 0}
              for mode in MODES}
    try:
        for k, (request, stored) in enumerate(requests):
            for mode in MODES if k % 2 == 0 else MODES[::-1]:
                start = time.perf_counter()
                [[answer]] = await backends[mode].generate([request])
                t = totals[mode]
                t["wall_s"] += time.perf_counter() - start
                t["completion_tokens"] += answer.completion_tokens
                t["prompt_tokens"] += answer.prompt_tokens
                t["same_as_stored"] += answer.text == stored
            print(f"request {k + 1}/{len(requests)}: " + ", ".join(
                f"{m} {totals[m]['wall_s']:.1f} s" for m in MODES), flush=True)
    finally:
        for backend in backends.values():
            await backend.aclose()
    for t in totals.values():
        t["tokens_per_s"] = t["completion_tokens"] / t["wall_s"] if t["wall_s"] else 0.0
    return totals


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=8)
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--parallel", type=int, default=1, help="slots per server (requests go one at a time)")
    args = p.parse_args()
    requests = debug_requests(args.model, args.requests)
    if not requests:
        sys.exit(f"no saved debug requests of {args.model} in {SAVED}")
    totals = asyncio.run(replay(requests, args.model, args.parallel))
    plain, drafted = totals["plain"]["wall_s"], totals["ngram_draft"]["wall_s"]
    rows = [[mode, t["wall_s"], t["completion_tokens"], t["prompt_tokens"], t["tokens_per_s"],
             f"{t['same_as_stored']}/{len(requests)}"] for mode, t in totals.items()]
    notes = (f"{len(requests)} greedy debug requests of the S* benchmark ({args.model}, max_tokens "
             f"{requests[0][0].max_tokens}), one at a time, the two servers alternating. Tokens/s count completion "
             f"tokens over wall time, prompt processing included. ngram_draft took {drafted / plain:.2f} of the "
             f"plain server's time. `same as stored`: answers equal to the one the benchmark run stored.")
    _results.write("ngram_draft", {"model": args.model, "requests": len(requests), "modes": totals},
                   ["mode", "wall s", "completion tokens", "prompt tokens", "tokens/s", "same as stored"], rows, notes)


if __name__ == "__main__":
    main()
