"""Candidate pools for staged verification: the committed pools' settings for `codesieve pool build`.

Samples `-n` candidates per problem from the embedded model (temperature 1.0, top_p 0.95, token
logprobs on), grades every one on the benchmark's hidden tests (EvalPlus base + plus inputs), and
writes a pool file (see codesieve.verify.pool) to bench/data/pools/<benchmark>.jsonl.gz. The work
is `codesieve.verify.pool_build.build_pool`: resumable from the pool file (a committed partial pool
resumes on any machine) and from the completion store runs/pools.sqlite, which
bench/sstar_accuracy.py shares.

    nohup python bench/make_pools.py --benchmark humaneval+ -n 16 > runs/pool-humanevalplus.log 2>&1 &
    nohup python bench/make_pools.py --benchmark mbpp+ --sample 100 -n 16 > runs/pool-mbppplus.log 2>&1 &
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from codesieve.execution import Executor
from codesieve.llm import open_llm
from codesieve.problems import problem_subset
from codesieve.verify.pool_build import PoolSettings, build_pool

ROOT = Path(__file__).resolve().parent.parent
POOLS = ROOT / "bench" / "data" / "pools"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", required=True)
    parser.add_argument("-n", type=int, default=16)
    parser.add_argument("--sample", type=int, default=None, help="a fixed-seed sample of this many problems")
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first K problems (after sampling)")
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--chunk", type=int, default=4, help="problems generated together between pool writes")
    parser.add_argument("--parallel", type=int, default=16,
                        help="llama.cpp parallel slots (16 measured fastest on 2 cores)")
    parser.add_argument("--store", type=Path, default=ROOT / "runs" / "pools.sqlite")
    args = parser.parse_args()
    args.store.parent.mkdir(parents=True, exist_ok=True)
    out = POOLS / f"{args.benchmark.replace('+', 'plus')}.jsonl.gz"
    settings = PoolSettings(model=args.model, n=args.n, sample=args.sample, sample_seed=args.sample_seed)
    with Executor() as executor:
        problems = problem_subset(args.benchmark, args.sample, args.sample_seed, executor)[: args.limit]
        async with open_llm(args.model, store=args.store, parallel=args.parallel) as llm:
            await build_pool(llm, executor, args.benchmark, problems, out, settings, chunk=args.chunk,
                             command=" ".join(sys.argv), progress=lambda line: print(line, flush=True))


if __name__ == "__main__":
    asyncio.run(main())
