"""Candidate pools for staged verification: many samples per problem, each labelled by full tests.

Samples `-n` candidates per problem from the embedded model (temperature 1.0, top_p 0.95, token
logprobs on), grades every one on the benchmark's hidden tests (EvalPlus base + plus inputs), and
writes a pool file (see codesieve.verify.pool) to bench/data/pools/<benchmark>.jsonl.gz. Model
answers go to a completion store first, so an interrupted run resumes where it stopped; the pool
file is rewritten after every chunk of problems, so finished work is never lost.

    nohup python bench/make_pools.py --benchmark humaneval+ -n 16 > runs/pool-humaneval+.log 2>&1 &
    nohup python bench/make_pools.py --benchmark mbpp+ --sample 100 -n 16 > runs/pool-mbpp+.log 2>&1 &
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import time
from pathlib import Path

from codesieve.execution import Executor, Job
from codesieve.generate.sample import SampleConfig, sample
from codesieve.llm import open_llm
from codesieve.problems import load_benchmark
from codesieve.verify.pool import Pool, PoolEntry, write_pool

ROOT = Path(__file__).resolve().parent.parent
POOLS = ROOT / "bench" / "data" / "pools"


def choose(problems, n_sample: int | None, seed: int):
    if n_sample is None or n_sample >= len(problems):
        return problems
    keep = set(p.id for p in random.Random(seed).sample(problems, n_sample))
    return [p for p in problems if p.id in keep]


def label(executor: Executor, problems, candidates) -> list[PoolEntry]:
    jobs = [Job.for_problem(p, c.program, p.hidden_tests, stop_on_fail=True)
            for p, cands in zip(problems, candidates) for c in cands]
    results = iter(executor.run(jobs))
    entries = []
    for cands in candidates:
        for c in cands:
            r = next(results)
            entries.append(PoolEntry(candidate=c, passed=r.passed, verdict=r.verdict))
    return entries


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", required=True)
    parser.add_argument("-n", type=int, default=16)
    parser.add_argument("--sample", type=int, default=None, help="a fixed-seed sample of this many problems")
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first K problems (after sampling)")
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--chunk", type=int, default=4, help="problems generated together between pool writes")
    parser.add_argument("--parallel", type=int, default=4, help="llama.cpp parallel slots")
    parser.add_argument("--store", type=Path, default=ROOT / "runs" / "pools.sqlite")
    args = parser.parse_args()
    args.store.parent.mkdir(parents=True, exist_ok=True)
    POOLS.mkdir(parents=True, exist_ok=True)
    out = POOLS / f"{args.benchmark.replace('+', 'plus')}.jsonl.gz"
    config = SampleConfig(n=args.n, temperature=1.0, top_p=0.95, max_tokens=512, seed=0, logprobs=True)
    meta = {"model": args.model, "n": args.n, "temperature": config.temperature, "top_p": config.top_p,
            "max_tokens": config.max_tokens, "seed": config.seed, "sample": args.sample,
            "sample_seed": args.sample_seed, "command": " ".join(sys.argv)}
    with Executor() as executor:
        problems = choose(load_benchmark(args.benchmark, executor=executor), args.sample, args.sample_seed)
        problems = problems[: args.limit] if args.limit else problems
        entries: list[PoolEntry] = []
        t0 = time.monotonic()
        async with open_llm(args.model, store=args.store, parallel=args.parallel) as llm:
            for start in range(0, len(problems), args.chunk):
                chunk = problems[start:start + args.chunk]
                candidates = await sample(llm, chunk, config)
                entries += await asyncio.to_thread(label, executor, chunk, candidates)
                done = start + len(chunk)
                meta.update(n_problems=done, date=dt.date.today().isoformat(), complete=done == len(problems))
                write_pool(out, Pool(args.benchmark, tuple(entries), meta))
                passed = sum(e.passed for e in entries)
                print(f"{done}/{len(problems)} problems, {len(entries)} candidates, {passed} passing, "
                      f"{time.monotonic() - t0:.0f} s", flush=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    asyncio.run(main())
