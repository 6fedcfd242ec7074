"""Candidate pools for staged verification: many samples per problem, each labelled by full tests.

Samples `-n` candidates per problem from the embedded model (temperature 1.0, top_p 0.95, token
logprobs on), grades every one on the benchmark's hidden tests (EvalPlus base + plus inputs), and
writes a pool file (see codesieve.verify.pool) to bench/data/pools/<benchmark>.jsonl.gz.

Resumable twice over: the pool file is rewritten (atomically) after every chunk of problems and a
run started with the same settings skips the problems it already holds, so a committed partial
pool resumes on any machine; model answers also go to a completion store, so a chunk cut short
regenerates nothing it finished. Labelling a chunk overlaps generating the next one.

    nohup python bench/make_pools.py --benchmark humaneval+ -n 16 > runs/pool-humanevalplus.log 2>&1 &
    nohup python bench/make_pools.py --benchmark mbpp+ --sample 100 -n 16 > runs/pool-mbppplus.log 2>&1 &
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _problems import choose  # noqa: E402

from codesieve.execution import Executor, Job  # noqa: E402
from codesieve.generate.sample import SampleConfig, sample  # noqa: E402
from codesieve.llm import open_llm  # noqa: E402
from codesieve.verify.pool import LabelledPool, PoolEntry, read_pool, write_pool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
POOLS = ROOT / "bench" / "data" / "pools"
# Settings that must match for a pool file's entries to be resumed.
SAME_RUN = ("model", "n", "temperature", "top_p", "max_tokens", "seed", "sample", "sample_seed")


def resumed_entries(path: Path, meta: dict) -> list[PoolEntry]:
    """Entries of an earlier run with the same settings (none if it differs or there is none)."""
    if not path.exists():
        return []
    earlier = read_pool(path)
    if any(earlier.meta.get(k) != meta[k] for k in SAME_RUN):
        print(f"{path} was made with other settings; starting over", flush=True)
        return []
    return list(earlier.entries)


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
    parser.add_argument("--parallel", type=int, default=16,
                        help="llama.cpp parallel slots (16 measured fastest on 2 cores)")
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
        problems = choose(args.benchmark, executor, args.sample, args.sample_seed)
        problems = problems[: args.limit] if args.limit else problems
        entries = resumed_entries(out, meta)
        have = {e.candidate.problem_id for e in entries}
        todo = [p for p in problems if p.id not in have]
        print(f"{len(problems) - len(todo)} problems already in {out}, {len(todo)} to go", flush=True)
        if not todo:
            return
        t0 = time.monotonic()

        def save(done: int) -> None:
            meta.update(n_problems=done, date=dt.date.today().isoformat(), complete=done == len(problems))
            write_pool(out, LabelledPool(args.benchmark, tuple(entries), meta))
            passed = sum(e.passed for e in entries)
            print(f"{done}/{len(problems)} problems, {len(entries)} candidates, {passed} passing, "
                  f"{time.monotonic() - t0:.0f} s", flush=True)

        labelling: asyncio.Task | None = None
        async with open_llm(args.model, store=args.store, parallel=args.parallel) as llm:
            for start in range(0, len(todo), args.chunk):
                chunk = todo[start:start + args.chunk]
                candidates = await sample(llm, chunk, config)
                if labelling is not None:
                    entries += await labelling
                    save(len(have) + start)
                labelling = asyncio.create_task(asyncio.to_thread(label, executor, chunk, candidates))
        if labelling is not None:
            entries += await labelling
        save(len(problems))


if __name__ == "__main__":
    asyncio.run(main())
