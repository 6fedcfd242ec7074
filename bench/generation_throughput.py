"""Generation throughput of the embedded model: one request at a time vs. all slots busy.

First-round HumanEval prompts, with the same max_tokens, are generated three ways on one embedded
llama.cpp server: sequentially (one greedy request in flight), concurrently (every greedy request
at once, spread over the `parallel` slots by continuous batching), and as n>1 sampling (requests
asking for `parallel` samples each, as many samples as the other modes make; the prompt is
evaluated once and shared). Throughput is completion tokens per second of wall time, prompt
processing included.

The machine may be shared, and llama.cpp slows down sharply when another process takes a core,
so the modes are interleaved over `--rounds` rounds and each mode reports its best and median
round. Every mode of every round gets prompts of its own, so no mode profits from prompts another
one left in the server's cache. With `--pass-at-1 N` greedy answers to the first N HumanEval
problems are also graded on the hidden tests.

    python bench/generation_throughput.py [--prompts 8] [--rounds 3] [--max-tokens 128] [--parallel 4]

No completion store is used: every token here is generated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Sequence

import _results

from codesieve.generate.prompts import first_round_request
from codesieve.llm import LLM, ChatRequest, EmbeddedBackend, ServerConfig
from codesieve.problems import load_benchmark
from codesieve.types import Problem

MODES = ("sequential", "concurrent", "n_samples")


async def timed(llm: LLM, batches: Sequence[Sequence[ChatRequest]]) -> dict:
    """Send each batch in turn (a batch's requests concurrently); completion tokens per second."""
    started = time.perf_counter()
    tokens = 0
    for batch in batches:
        for completions in await llm.generate(list(batch)):
            tokens += sum(c.completion_tokens for c in completions)
    wall = time.perf_counter() - started
    return {"completion_tokens": tokens, "wall_s": round(wall, 2), "tok_s": round(tokens / wall, 2),
            "load_1min": round(os.getloadavg()[0], 2)}


def batches(mode: str, problems: Sequence[Problem], max_tokens: int, parallel: int) -> list[list[ChatRequest]]:
    if mode == "n_samples":
        share = problems[: max(1, len(problems) // parallel)]
        return [[first_round_request(p, n=parallel, temperature=0.8, max_tokens=max_tokens, seed=0)] for p in share]
    greedy = [first_round_request(p, max_tokens=max_tokens) for p in problems]
    return [greedy] if mode == "concurrent" else [[r] for r in greedy]


async def throughput(llm: LLM, problems: Sequence[Problem], rounds: int, per_mode: int, max_tokens: int,
                     parallel: int) -> dict[str, list[dict]]:
    """Each round runs every mode once, each on its own slice of `problems`."""
    await llm.generate([first_round_request(problems[-1], max_tokens=8)])  # warm-up: page the weights in
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for r in range(rounds):
        for m, mode in enumerate(MODES):
            start = (r * len(MODES) + m) * per_mode
            chunk = problems[start : start + per_mode]
            results[mode].append(await timed(llm, batches(mode, chunk, max_tokens, parallel)))
    return results


async def humaneval_greedy_pass_at_1(llm: LLM, limit: int | None) -> float:
    """Greedy pass@1 on HumanEval's hidden tests, through the same sampling and grading as `codesieve`."""
    from codesieve.execution import Executor
    from codesieve.generate.sample import SampleConfig, sample, sample_row
    from codesieve.grade import grade_samples, pass_at_k_summary

    problems = load_benchmark("humaneval", limit=limit)
    config = SampleConfig(n=1, temperature=0.0, max_tokens=512, logprobs=False)
    rows = []
    record = lambda problem, candidates, completions: rows.extend(  # noqa: E731
        sample_row(problem, c, done) for c, done in zip(candidates, completions)
    )
    await sample(llm, problems, config, on_problem=record)
    with Executor() as executor:
        graded = grade_samples(problems, rows, executor)
    return pass_at_k_summary(graded, ks=(1,))["pass@1"]


async def main(args: argparse.Namespace) -> None:
    config = ServerConfig(model=args.model, parallel=args.parallel, ctx_per_slot=args.ctx_per_slot, threads=args.threads)
    needed = args.rounds * len(MODES) * args.prompts
    problems = load_benchmark("humaneval")
    if needed > len(problems) - 1:
        raise SystemExit(f"rounds x 3 modes x prompts = {needed} prompts; HumanEval has {len(problems) - 1} to spare")
    async with EmbeddedBackend(config) as llm:
        modes = await throughput(llm, problems, args.rounds, args.prompts, args.max_tokens, args.parallel)
        pass_at_1 = await humaneval_greedy_pass_at_1(llm, args.pass_at_1) if args.pass_at_1 else None
        model_id = llm.model_id
    best = {mode: max(r["tok_s"] for r in runs) for mode, runs in modes.items()}
    median = {mode: round(statistics.median(r["tok_s"] for r in runs), 2) for mode, runs in modes.items()}
    data = {
        "model": args.model,
        "model_id": model_id,
        "parallel": args.parallel,
        "threads": args.threads or os.cpu_count(),
        "prompts_per_mode_and_round": args.prompts,
        "rounds": args.rounds,
        "max_tokens": args.max_tokens,
        "sequential_tok_s": best["sequential"],
        "concurrent_tok_s": best["concurrent"],
        "n_samples_tok_s": best["n_samples"],
        "median_tok_s": median,
        "concurrent_speedup": round(best["concurrent"] / best["sequential"], 2),
        "rounds_detail": modes,
        "humaneval_greedy_pass@1": pass_at_1,
        "humaneval_problems_graded": args.pass_at_1 or 0,
    }
    labels = {"sequential": "sequential (1 request in flight)",
              "concurrent": f"concurrent ({args.parallel} slots)",
              "n_samples": f"n={args.parallel} samples per request"}
    rows = [[labels[m], best[m], median[m], " / ".join(str(r["tok_s"]) for r in modes[m]),
             " / ".join(str(r["load_1min"]) for r in modes[m])] for m in MODES]
    notes = (f"Model {args.model} ({model_id}), {args.threads or os.cpu_count()} threads, {args.prompts} HumanEval "
             f"prompts per mode and round, max_tokens {args.max_tokens}; greedy except n-samples (temperature "
             "0.8). Tokens/s include prompt processing. The machine's other work slows rounds down; the load "
             "column is the 1-minute load average after each round. ")
    if pass_at_1 is not None:
        notes += f"HumanEval greedy pass@1 on {args.pass_at_1} problems: {pass_at_1:.3f}."
    else:
        notes += "HumanEval greedy pass@1 not measured (run with --pass-at-1 164)."
    header = ["mode", "best tok/s", "median tok/s", "tok/s per round", "load after each round"]
    _results.write("generation_throughput", data, header, rows, notes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--prompts", type=int, default=8, help="HumanEval prompts per mode and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--parallel", type=int, default=4, help="server slots")
    parser.add_argument("--ctx-per-slot", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    parser.add_argument("--pass-at-1", type=int, default=0, metavar="N",
                        help="also grade greedy answers on the first N HumanEval problems (164: all)")
    asyncio.run(main(parser.parse_args()))
