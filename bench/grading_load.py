"""Verdicts that do not move under load: the HumanEval+ and MBPP+ pools graded on an idle machine,
then again while 2 busy loops per core and a memory hog run, in the same run.

    python bench/grading_load.py [--limit N] [--hog-fraction 0.25]

Each grading is one batch through a fresh executor with no result cache (every program runs), every
hidden test, stopping at the first failure, as `codesieve eval` grades. The busy loops are plain
Python processes spinning at normal priority; the hog holds a share of the available memory and
keeps writing through it (page faults, memory bandwidth). Counts the programs whose verdict differs
between the two gradings (expected: none, since limits are CPU time and the wall guard lets a
computing program run on) and the wall-time ratio.

Writes bench/results/grading_load.{json,md}.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import _results
from grading import POOLS, pool_jobs, read_pool

from codesieve.execution import ExecutionCache, Executor, Job

BUSY = "while True: pass"
HOG = ("import sys, time\n"
       "buf = bytearray(int(sys.argv[1]))\n"
       "while True:\n"
       "    for i in range(0, len(buf), 4096):\n"
       "        buf[i] = (buf[i] + 1) & 255\n")


def _available_bytes() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


@contextmanager
def machine_load(busy_per_core: int, hog_bytes: int):
    """Busy loops and a memory hog running for the duration of the block; stopped by their ids."""
    procs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(busy_per_core * (os.cpu_count() or 1))]
    if hog_bytes > 0:
        procs.append(subprocess.Popen([sys.executable, "-c", HOG, str(hog_bytes)]))
    try:
        time.sleep(2.0)  # the hog has faulted in its memory; the load average starts to climb
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def grade(jobs: list[Job]) -> tuple[float, list[str]]:
    """Wall seconds (the workers' start included, as a user waits for it) and each program's verdict."""
    t0 = time.perf_counter()
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        results = ex.run(jobs)
    return time.perf_counter() - t0, [r.verdict.value for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N programs of each pool (a quick try)")
    parser.add_argument("--pools", nargs="*", default=list(POOLS), choices=list(POOLS))
    parser.add_argument("--busy-per-core", type=int, default=2)
    parser.add_argument("--hog-fraction", type=float, default=0.25, help="share of the available memory the hog holds")
    args = parser.parse_args()
    out: dict = {}
    for benchmark in args.pools:
        samples = read_pool(benchmark)[:args.limit or None]
        jobs = pool_jobs(benchmark, samples)  # loaded (and expected outputs computed) before timing
        load_idle = os.getloadavg()[0]
        idle_s, idle = grade(jobs)
        print(f"{benchmark}: idle {idle_s:.1f} s (load average {load_idle:.1f})", flush=True)
        hog = int(_available_bytes() * args.hog_fraction)
        with machine_load(args.busy_per_core, hog):
            loaded_s, loaded = grade(jobs)
            load_loaded = os.getloadavg()[0]
        differing = [{"task_id": s["task_id"], "index": i, "idle": a, "loaded": b}
                     for i, (s, a, b) in enumerate(zip(samples, idle, loaded)) if a != b]
        out[benchmark] = {"idle_s": idle_s, "loaded_s": loaded_s, "ratio": loaded_s / idle_s,
                          "differing_verdicts": len(differing), "n_programs": len(jobs),
                          "passed": sum(v == "passed" for v in idle), "timeouts": sum(v == "timeout" for v in idle),
                          "load_average_idle": load_idle, "load_average_loaded": load_loaded,
                          "hog_bytes": hog, "differences": differing}
        print(f"{benchmark}: loaded {loaded_s:.1f} s (load average {load_loaded:.1f}), "
              f"{len(differing)} differing verdicts of {len(jobs)}", flush=True)
    out["busy_loops"] = args.busy_per_core * (os.cpu_count() or 1)
    rows = [[b, d["n_programs"], f"{d['idle_s']:.1f}", f"{d['loaded_s']:.1f}", f"{d['ratio']:.2f}x",
             d["differing_verdicts"], f"{d['load_average_idle']:.1f} / {d['load_average_loaded']:.1f}"]
            for b, d in out.items() if isinstance(d, dict)]
    notes = (f"Each pool graded twice in one run through a fresh executor with no result cache: first as the "
             f"machine was, then with {out['busy_loops']} busy loops ({args.busy_per_core} per core) and a "
             f"memory hog holding {args.hog_fraction:.0%} of the available memory and writing through it. "
             "Time limits are CPU time, and the wall guard lets a program that is still computing run on to "
             "them, so no verdict should depend on the load. Load average: the 1-minute figure before the "
             "idle grading and at the end of the loaded one.")
    for b, d in out.items():
        for diff in d["differences"] if isinstance(d, dict) else ():
            notes += f"\n- {b} {diff['task_id']} (program {diff['index']}): idle {diff['idle']}, loaded {diff['loaded']}"
    print(f"wrote {_results.write('grading_load', out, ['pool', 'programs', 'idle s', 'loaded s', 'ratio', 'differing verdicts', 'load average idle / loaded'], rows, notes)}")


if __name__ == "__main__":
    main()
