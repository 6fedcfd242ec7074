"""S* vs baselines with the embedded model: zero-shot, majority vote, self-debug, S* side by side.

Same problems, same first-round samples (majority vote and S* share the N samples; zero-shot and
self-debug share the greedy one), graded on hidden tests only:

- HumanEval+ (all 164), MBPP+ (a fixed-seed sample, default 100), CodeContests (the first
  problems that have private tests, default 40).

Resumable: everything goes to a run store (default runs/sstar_accuracy.sqlite); started again
with the same options it skips finished problems and the completion store serves finished
samples. Results are rewritten after every problem, so partial results are always on disk:
bench/results/sstar_accuracy.json ({"<benchmark>": {"n_problems": k, "<strategy>": accuracy}})
and sstar_accuracy.md. Prints one line per problem, so it runs well under nohup:

    nohup .venv/bin/python bench/sstar_accuracy.py > runs/sstar_accuracy.log 2>&1 &
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _results  # noqa: E402
from _problems import choose  # noqa: E402

from codesieve.cli.run_cmd import store_paths  # noqa: E402
from codesieve.errors import BackendError  # noqa: E402
from codesieve.execution import ExecutionCache, Executor  # noqa: E402
from codesieve.llm import DEFAULT_MODEL, open_llm  # noqa: E402
from codesieve.pipeline import Event, Pipeline, RunConfig  # noqa: E402
from codesieve.select import SelectConfig  # noqa: E402
from codesieve.store import RunStore, run_key  # noqa: E402

RETRIES = 5
STRATEGIES = ("zero-shot", "majority-vote", "self-debug", "sstar")
NAME = "sstar_accuracy"


def write_results(store: RunStore, keys: dict[str, str], targets: dict[str, int], args: argparse.Namespace,
                  model_id: str) -> None:
    data: dict[str, dict] = {}
    rows = []
    for benchmark, key in keys.items():
        results = store.results(key)
        done = set.intersection(*(set(results.get(s, {})) for s in STRATEGIES))
        entry: dict = {"n_problems": len(done)}
        for s in STRATEGIES:
            entry[s] = sum(results[s][p] for p in done) / len(done) if done else 0.0
        data[benchmark] = entry
        rows.append([benchmark, f"{len(done)}/{targets[benchmark]}", *[entry[s] for s in STRATEGIES]])
    _results.RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = _results.RESULTS / f"{NAME}.json.part"
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, _results.RESULTS / f"{NAME}.json")
    lines = [f"# {NAME}", "", f"Command: `{_results.command()}`  ",
             f"Model: {model_id}, N={args.n}, R={args.rounds}, temperature {args.temperature}, seed {args.seed}  ",
             f"Date: {dt.date.today().isoformat()}, {os.cpu_count()} cores", "",
             "Accuracy on hidden tests (problems finished by every strategy):", "",
             "| benchmark | problems | " + " | ".join(STRATEGIES) + " |", "|---|---|" + "---|" * len(STRATEGIES)]
    lines += ["| " + " | ".join(r[:2] + [f"{v:.3f}" for v in r[2:]]) + " |" for r in rows]
    (_results.RESULTS / f"{NAME}.md").write_text("\n".join(lines) + "\n")


async def main_async(args: argparse.Namespace) -> None:
    config = RunConfig(strategies=STRATEGIES, n=args.n, rounds=args.rounds, temperature=args.temperature,
                       max_tokens=args.max_tokens, seed=args.seed, select=SelectConfig(seed=args.seed),
                       concurrency=args.concurrency)
    completions, exec_path = store_paths(args.store)
    with RunStore(args.store) as store, Executor(cache=ExecutionCache(exec_path)) as executor:
        counts = {"humaneval+": args.humaneval, "mbpp+": args.mbpp, "codecontests": args.codecontests}
        chosen = {b: choose(b, executor, counts.get(b), args.seed) for b in args.benchmarks.split(",")}
        targets = {b: len(ps) for b, ps in chosen.items()}
        async with open_llm(args.model, store=completions, parallel=args.parallel) as llm:
            keys = {}
            for b in chosen:
                identity = {"benchmark": b, "data": "", "model": llm.model_id, "judge": llm.model_id,
                            **config.identity()}
                keys[b] = run_key(identity)
                store.open_run(keys[b], identity)
            write_results(store, keys, targets, args, llm.model_id)
            for benchmark, problems in chosen.items():
                start, count = time.monotonic(), [0]

                def report(event: Event, benchmark: str = benchmark, total: int = len(problems),
                           start: float = start, count: list = count) -> None:
                    if event.kind != "problem":
                        return
                    count[0] += 1
                    verdicts = " ".join(f"{r.strategy}={'pass' if r.passed else 'fail'}" for r in event.results)
                    print(f"[{benchmark}] {count[0]}/{total} {event.problem_id} {verdicts or event.detail} "
                          f"({time.monotonic() - start:.0f} s)", flush=True)
                    write_results(store, keys, targets, args, llm.model_id)

                pipeline = Pipeline(llm, executor, store, keys[benchmark], config, on_event=report)
                for attempt in range(1, RETRIES + 1):  # a busy server may time out; finished work is kept
                    try:
                        await pipeline.run(problems, benchmark)
                        break
                    except BackendError as exc:
                        print(f"[{benchmark}] model error (attempt {attempt} of {RETRIES}): {exc}", flush=True)
                        if attempt == RETRIES:
                            raise
                        await asyncio.sleep(30)
            write_results(store, keys, targets, args, llm.model_id)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--humaneval", type=int, default=164, help="HumanEval+ problems (default all 164)")
    p.add_argument("--mbpp", type=int, default=100, help="MBPP+ problems, sampled with --seed (default 100)")
    p.add_argument("--codecontests", type=int, default=40, help="CodeContests problems with private tests")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("-n", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--parallel", type=int, default=4, help="embedded server slots")
    p.add_argument("--concurrency", type=int, default=3, help="problems in flight")
    p.add_argument("--store", type=Path, default=Path("runs") / f"{NAME}.sqlite")
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
