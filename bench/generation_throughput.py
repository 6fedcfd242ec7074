"""Generation throughput of the embedded model: one request at a time vs. all slots busy.

The same first-round HumanEval prompts, greedy, with the same max_tokens, are generated three ways
on one embedded llama.cpp server: sequentially (one request in flight), concurrently (every
request at once, spread over the `parallel` slots by continuous batching), and as n>1 sampling
(one request asking for `parallel` samples per prompt, for as many prompts as make the same number
of samples: the prompt is evaluated once and shared).
Reports completion tokens per second of wall time for each, after a warm-up call. With
`--pass-at-1` it also grades greedy answers on HumanEval's hidden tests.

    python bench/generation_throughput.py [--prompts 8] [--max-tokens 128] [--parallel 4] [--pass-at-1 164]

No completion store is used: every token here is generated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from typing import Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _results  # noqa: E402

from codesieve.generate.prompts import first_round_request  # noqa: E402
from codesieve.llm import LLM, ChatRequest, EmbeddedBackend, ServerConfig  # noqa: E402
from codesieve.problems import load_benchmark  # noqa: E402
from codesieve.types import Problem  # noqa: E402


async def timed(llm: LLM, batches: Sequence[Sequence[ChatRequest]]) -> dict:
    """Send each batch in turn (a batch's requests concurrently); completion tokens per second."""
    started = time.perf_counter()
    tokens = 0
    for batch in batches:
        for completions in await llm.generate(list(batch)):
            tokens += sum(c.completion_tokens for c in completions)
    wall = time.perf_counter() - started
    return {"completion_tokens": tokens, "wall_s": round(wall, 2), "tok_s": round(tokens / wall, 2)}


async def throughput(llm: LLM, problems: Sequence[Problem], max_tokens: int, parallel: int) -> dict:
    greedy = [first_round_request(p, max_tokens=max_tokens) for p in problems]
    share = problems[: max(1, len(problems) // parallel)]
    sampled = [first_round_request(p, n=parallel, temperature=0.8, max_tokens=max_tokens, seed=0) for p in share]
    await llm.generate(greedy[:1])  # warm-up: page the weights in, fill caches
    return {
        "sequential": await timed(llm, [[r] for r in greedy]),
        "concurrent": await timed(llm, [greedy]),
        "n_samples": await timed(llm, [[r] for r in sampled]),
    }


async def humaneval_greedy_pass_at_1(llm: LLM, limit: int | None) -> float:
    """Greedy pass@1 on HumanEval's hidden tests, through the same sampling and grading as `codesieve`."""
    from codesieve.execution import Executor
    from codesieve.generate.sample import SampleConfig, sample, sample_row
    from codesieve.grade import grade_samples, summarize

    problems = load_benchmark("humaneval", limit=limit)
    config = SampleConfig(n=1, temperature=0.0, max_tokens=512, logprobs=False)
    rows = []
    record = lambda problem, candidates, completions: rows.extend(  # noqa: E731
        sample_row(problem, c, done) for c, done in zip(candidates, completions)
    )
    await sample(llm, problems, config, on_problem=record)
    with Executor() as executor:
        graded = grade_samples(problems, rows, executor)
    return summarize(graded, ks=(1,))["pass@1"]


async def main(args: argparse.Namespace) -> None:
    config = ServerConfig(model=args.model, parallel=args.parallel, ctx_per_slot=args.ctx_per_slot, threads=args.threads)
    load_before = os.getloadavg()[0]
    problems = load_benchmark("humaneval", limit=args.prompts)
    async with EmbeddedBackend(config) as llm:
        modes = await throughput(llm, problems, args.max_tokens, args.parallel)
        pass_at_1 = await humaneval_greedy_pass_at_1(llm, args.pass_at_1) if args.pass_at_1 else None
        model_id = llm.model_id
    seq, conc, nsamp = modes["sequential"]["tok_s"], modes["concurrent"]["tok_s"], modes["n_samples"]["tok_s"]
    data = {
        "model": args.model,
        "model_id": model_id,
        "parallel": args.parallel,
        "threads": args.threads or os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "prompts": len(problems),
        "max_tokens": args.max_tokens,
        "sequential_tok_s": seq,
        "concurrent_tok_s": conc,
        "n_samples_tok_s": nsamp,
        "concurrent_speedup": round(conc / seq, 2),
        "modes": modes,
        "humaneval_greedy_pass@1": pass_at_1,
        "humaneval_problems_graded": args.pass_at_1 or 0,
    }
    rows = [
        ["sequential (1 request in flight)", modes["sequential"]["completion_tokens"], modes["sequential"]["wall_s"], seq],
        [f"concurrent ({args.parallel} slots)", modes["concurrent"]["completion_tokens"], modes["concurrent"]["wall_s"], conc],
        [f"n={args.parallel} samples per request ({len(problems) // args.parallel or 1} requests)", modes["n_samples"]["completion_tokens"], modes["n_samples"]["wall_s"], nsamp],
    ]
    notes = (f"Model {args.model} ({model_id}), {len(problems)} HumanEval prompts, max_tokens {args.max_tokens}, "
             f"greedy except the n-samples row (temperature 0.8). 1-minute load average before/after: "
             f"{data['load_average_1min']} (other work on the machine slows every row). ")
    if pass_at_1 is not None:
        notes += f"HumanEval greedy pass@1 on {args.pass_at_1} problems: {pass_at_1:.3f}."
    else:
        notes += "HumanEval greedy pass@1 not measured (run with --pass-at-1 164)."
    _results.write("generation_throughput", data, ["mode", "completion tokens", "wall s", "tok/s"], rows, notes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--prompts", type=int, default=8, help="HumanEval prompts per mode")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--parallel", type=int, default=4, help="server slots")
    parser.add_argument("--ctx-per-slot", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    parser.add_argument("--pass-at-1", type=int, default=0, metavar="N",
                        help="also grade greedy answers on the first N HumanEval problems (164: all)")
    asyncio.run(main(parser.parse_args()))
