"""Grading at the machine's limit: the executor against its own floor, and `codesieve eval` against
EvalPlus's evaluator.

    python bench/grading.py [--evalplus-python runs/evalplus-venv/bin/python] [--skip-evalplus]

1. Floor. For short programs (the HumanEval references and single-site mutants of them, on their
   check() tests) and for the HumanEval+ and MBPP+ pools on their full hidden tests, one batch each
   through a warm executor with no result cache: the CPU time of the sandboxed children (the floor:
   the programs, their fork and confinement) against wall time x workers (the efficiency), and where
   the rest went: the workers' own CPU (fork, supervision, decoding, comparison, encoding), this
   process's CPU (the front and the backend's threads) and idle or other processes' time, plus the
   tail (from the last task starting to the batch's end, when workers stand idle).
2. Stuck programs. The HumanEval+ pool against the same batch without the programs that time out
   in it: how much longer the timeouts make it.
3. Side by side with EvalPlus. `codesieve eval` and `evalplus.evaluate` (from PyPI, offline, pointed at
   the bundled data) on each pool, alternating, each a fresh process, both ground-truth caches warm:
   wall time, programs/s, verdict agreement and every disagreement; and `codesieve eval` against the
   floor measured in the same run (the floor batch's, or one run for it): the CPU time of the passing
   programs' own tests, each distinct program once, divided by the cores.

Writes bench/results/grading.{json,md} and bench/results/grading_vs_evalplus.{json,md}.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _results

from codesieve.execution.proc import cpu_seconds
from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.jsonl import read_objects
from codesieve.problems import load_benchmark
from codesieve.types import Verdict
from codesieve.verify.pool import read_pool as read_labelled_pool
from codesieve.verify.program_mutants import single_site_mutants

ROOT = Path(__file__).resolve().parent.parent
POOLS = {"humaneval+": ROOT / "bench/data/pools/humanevalplus.jsonl.gz",
         "mbpp+": ROOT / "bench/data/pools/mbppplus.jsonl.gz"}
DATA = Path(os.environ.get("CODESIEVE_SHARED_DATA", ROOT.parent / "shared" / "data"))  # ../shared/data
EVALPLUS_DATA = {"humaneval+": ("humaneval", "HUMANEVAL_OVERRIDE_PATH", "humanevalplus/HumanEvalPlus-v0.1.10.jsonl.gz"),
                 "mbpp+": ("mbpp", "MBPP_OVERRIDE_PATH", "mbppplus/MbppPlus-v0.2.0.jsonl.gz")}


@dataclass
class Measure:
    n: int
    wall_s: float
    child_cpu_s: float  # CPU of the sandboxed children (rusage): the floor
    program_cpu_s: float  # of which the tests themselves (timed inside the child)
    worker_cpu_s: float  # the worker processes' own CPU
    parent_cpu_s: float  # this process: the front and the backend's threads
    tail_s: float  # from the last result but `workers` to the end: workers standing idle
    workers: int
    passed: int

    def row(self) -> dict:
        capacity = self.wall_s * self.workers
        return {**self.__dict__, "programs_per_s": self.n / self.wall_s,
                "efficiency": self.child_cpu_s / capacity,
                "cpu_efficiency": self.child_cpu_s / (self.child_cpu_s + self.worker_cpu_s + self.parent_cpu_s),
                "share": {"children": self.child_cpu_s / capacity, "workers": self.worker_cpu_s / capacity,
                          "parent": self.parent_cpu_s / capacity,
                          "idle_or_other": max(0.0, 1 - (self.child_cpu_s + self.worker_cpu_s + self.parent_cpu_s) / capacity)}}


def _workers_cpu(ex: Executor) -> float:
    return cpu_seconds(*(proc.pid for proc in list(getattr(ex.backend, "_procs", {}).values())))


def measure(ex: Executor, jobs: list[Job]) -> tuple[Measure, list]:
    done_at: list[float] = []
    w0, p0, t0 = _workers_cpu(ex), time.process_time(), time.perf_counter()
    results = ex.run(jobs, on_result=lambda i, r: done_at.append(time.perf_counter()))
    wall = time.perf_counter() - t0
    p1, w1 = time.process_time(), _workers_cpu(ex)
    done_at.sort()
    k = len(done_at) - ex.workers
    tail = (t0 + wall - done_at[k]) if k >= 0 else wall
    return Measure(n=len(jobs), wall_s=wall, child_cpu_s=sum(r.cpu_s for r in results),
                   program_cpu_s=sum(o.time_s for r in results for o in r.outcomes),
                   worker_cpu_s=w1 - w0, parent_cpu_s=p1 - p0, tail_s=tail, workers=ex.workers,
                   passed=sum(r.passed for r in results)), results


def short_jobs(mutants_per_problem: int) -> list[Job]:
    """HumanEval references and their first mutants, on the official check() tests."""
    jobs = []
    for p in load_benchmark("humaneval"):
        jobs.append(Job.for_problem(p, p.reference or "", p.hidden_tests))
        for k, mutant in enumerate(single_site_mutants(p.reference or "", p.entry_point or "")):
            if k >= mutants_per_problem:
                break
            jobs.append(Job.for_problem(p, mutant, p.hidden_tests))
    return jobs


def read_pool(benchmark: str, labels: bool = False) -> list[dict]:
    """The pool's candidates as EvalPlus samples (`task_id`, `solution`), with `label` (passed) if asked."""
    return [{"task_id": e.candidate.problem_id, "solution": e.candidate.program,
             **({"label": e.passed} if labels else {})} for e in read_labelled_pool(POOLS[benchmark]).entries]


def pool_jobs(benchmark: str, samples: list[dict]) -> list[Job]:
    problems = {p.id: p for p in load_benchmark(benchmark)}
    return [Job.for_problem(problems[s["task_id"]], s["solution"], problems[s["task_id"]].hidden_tests)
            for s in samples]


def duplicate_share(samples: list[dict]) -> float:
    """Share of programs identical (exact text) to an earlier one of the same task: the executor runs
    each distinct program once per batch."""
    return 1 - len({(s["task_id"], s["solution"]) for s in samples}) / len(samples) if samples else 0.0


def floor_seconds(samples: list[dict], results: list) -> float:
    """The floor for any grader that runs each distinct program once: the CPU time of the passing
    programs' own tests (timed inside the sandbox), spread over every core."""
    distinct = {(s["task_id"], s["solution"]): r for s, r in zip(samples, results)}
    return sum(o.time_s for r in distinct.values() if r.passed for o in r.outcomes) / (os.cpu_count() or 1)


def pool_floor(benchmark: str, samples: list[dict]) -> float:
    """`floor_seconds` of a pool, from one batch (when the floor batches were skipped)."""
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        return floor_seconds(samples, ex.run(pool_jobs(benchmark, samples)))


def _spread(values: list[float]) -> dict:
    values = sorted(values)
    return {"min": values[0], "median": values[len(values) // 2], "max": values[-1]} if values else {}


def floor(args) -> dict:
    out: dict = {}
    short = short_jobs(args.mutants_per_problem)
    pools = {b: read_pool(b, labels=True)[:args.limit or None] for b in args.pools}
    batches = {"short": short, **{b: pool_jobs(b, pools[b]) for b in pools}}
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        ex.run(short[:8])  # start the workers: start-up is not grading
        for name, jobs in batches.items():
            load = os.getloadavg()[0]
            m, results = measure(ex, jobs)
            out[name] = {**m.row(), "load_average": load}
            out[name]["timeouts"] = sum(r.verdict is Verdict.TIMEOUT for r in results)
            if name in pools:  # the pool's labels came from an earlier grading (3 s limits, before this work)
                out[name]["floor_s"] = floor_seconds(pools[name], results)
                out[name]["duplicate_share"] = duplicate_share(pools[name])
                out[name]["label_changes"] = [{"task_id": s["task_id"], "index": i, "label": s["label"],
                                               "now": r.verdict.value}
                                              for i, (s, r) in enumerate(zip(pools[name], results))
                                              if s["label"] != r.passed]
            if name == "humaneval+":  # stuck programs: the same batch without the ones that time out
                clean = [j for j, r in zip(jobs, results) if r.verdict is not Verdict.TIMEOUT]
                without, _ = measure(ex, clean)
                out["stuck"] = {"n_stuck": len(jobs) - len(clean), "n_programs": len(jobs),
                                "with_stuck_s": m.wall_s, "without_s": without.wall_s,
                                "ratio": m.wall_s / without.wall_s,
                                "time_limits_s": _spread([j.limits.time_s for j, r in zip(jobs, results)
                                                          if r.verdict is Verdict.TIMEOUT])}
                print(f"stuck: {out['stuck']}", flush=True)
            print(f"{name}: {m.n} programs in {m.wall_s:.2f} s, efficiency {out[name]['efficiency']:.2f} "
                  f"(children {m.child_cpu_s:.2f} s CPU, of which tests {m.program_cpu_s:.2f}; workers "
                  f"{m.worker_cpu_s:.2f}; parent {m.parent_cpu_s:.2f}; tail {m.tail_s:.2f} s)", flush=True)
    return out


# ---------------------------------------------------------------- side by side with EvalPlus


def run_codesieve(benchmark: str, samples_path: Path, out: Path) -> tuple[float, list[bool]]:
    cmd = [str(Path(sys.executable).parent / "codesieve"), "eval", str(samples_path), "--benchmark", benchmark, "-o", str(out)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    return wall, codesieve_verdicts(out)


def codesieve_verdicts(results: Path) -> list[bool]:
    """`codesieve eval`'s verdict on each program, in the samples' order."""
    return [row["passed"] for _, row in read_objects(results)]


def evalplus_verdicts(results: Path, samples: list[dict]) -> list[bool]:
    """EvalPlus's verdict on each sample (base and plus tests passed), in the samples' order."""
    evals = {task_id: iter(rows) for task_id, rows in json.loads(results.read_text())["eval"].items()}
    verdicts = []
    for sample in samples:  # per task, results come in the samples' order
        row = next(evals[sample["task_id"]])
        verdicts.append(row["base_status"] == "pass" and row["plus_status"] == "pass")
    return verdicts


def evalplus_env(benchmark: str, work: Path, task_ids: set[str]) -> dict:
    """EvalPlus pointed at the bundled data file, cut to the pool's tasks (it insists on a sample for
    every task of its dataset, and the MBPP+ pool covers 100 of the 378)."""
    dataset, var, rel = EVALPLUS_DATA[benchmark]
    plain = work / f"{dataset}.jsonl"
    if not plain.exists():
        with gzip.open(DATA / rel, "rt", encoding="utf-8") as src:
            rows = [line for line in src if json.loads(line)["task_id"] in task_ids]
        plain.write_text("".join(rows), encoding="utf-8")
    return {**os.environ, var: str(plain)}


def run_evalplus(python: str, benchmark: str, samples_path: Path, parallel: int, env: dict) -> tuple[float, list[bool]]:
    dataset = EVALPLUS_DATA[benchmark][0]
    result = samples_path.with_name(samples_path.stem + "_eval_results.json")
    result.unlink(missing_ok=True)
    cmd = [python, "-m", "evalplus.evaluate", "--dataset", dataset, "--samples", str(samples_path),
           "--parallel", str(parallel), "--i-just-wanna-run"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    return wall, evalplus_verdicts(result, [row for _, row in read_objects(samples_path)])


def side_by_side(args, work: Path, save, floors: dict[str, float]) -> dict:
    """Both tools on each pool, alternating; `save(results so far)` after each pool. `floors`: each
    pool's floor measured earlier in this run (one is measured here where missing)."""
    out: dict = {}
    for benchmark in args.pools:
        samples = read_pool(benchmark)
        if args.limit:
            samples = samples[:args.limit]
        floor_s = floors.get(benchmark) or pool_floor(benchmark, samples)
        path = work / f"{benchmark.rstrip('+')}_samples.jsonl"
        path.write_text("".join(json.dumps(s) + "\n" for s in samples))
        env = evalplus_env(benchmark, work, {s["task_id"] for s in samples})
        firsts = list({s["task_id"]: s for s in reversed(samples)}.values())  # one program per task
        warm = work / f"{benchmark.rstrip('+')}_warm.jsonl"  # both ground truths computed before timing
        warm.write_text("".join(json.dumps(s) + "\n" for s in firsts))
        run_evalplus(args.evalplus_python, benchmark, warm, args.parallel, env)
        run_codesieve(benchmark, warm, work / "warm_results.jsonl")
        times: dict[str, list[float]] = {"codesieve": [], "evalplus": []}
        for _ in range(args.rounds):
            t, cs = run_codesieve(benchmark, path, work / "cs_results.jsonl")
            times["codesieve"].append(t)
            print(f"{benchmark}: codesieve eval {t:.1f} s", flush=True)
            t, ep = run_evalplus(args.evalplus_python, benchmark, path, args.parallel, env)
            times["evalplus"].append(t)
            print(f"{benchmark}: evalplus.evaluate {t:.1f} s", flush=True)
        out[benchmark] = compare(samples, times, cs, ep)
        out[benchmark].update(floor_s=floor_s, codesieve_over_floor=out[benchmark]["codesieve_s"] / floor_s,
                              duplicate_share=duplicate_share(samples))
        print(f"{benchmark}: {out[benchmark]['ratio']:.1f}x, agreement {out[benchmark]['agreement']:.4f}; "
              f"floor {floor_s:.1f} s, codesieve at {out[benchmark]['codesieve_over_floor']:.2f}x it; "
              f"{out[benchmark]['duplicate_share']:.1%} duplicate programs", flush=True)
        save(out)
    return out


def compare(samples: list[dict], times: dict[str, list[float]], cs: list[bool], ep: list[bool]) -> dict:
    cs_s, ep_s = min(times["codesieve"]), min(times["evalplus"])
    disagree = [{"task_id": s["task_id"], "index": i, "codesieve": a, "evalplus": b}
                for i, (s, a, b) in enumerate(zip(samples, cs, ep)) if a != b]
    return {"codesieve_s": cs_s, "evalplus_s": ep_s, "ratio": ep_s / cs_s,
            "agreement": 1 - len(disagree) / len(samples), "n_programs": len(samples),
            "runs": times, "passed": {"codesieve": sum(cs), "evalplus": sum(ep)}, "disagreements": disagree}


def rescore(work: Path, log: Path, benchmark: str) -> dict:
    """One pool's comparison from an interrupted run's files: its work folder (the samples and both
    tools' per-program results) and the times it printed."""
    stem = EVALPLUS_DATA[benchmark][0]
    times: dict[str, list[float]] = {"codesieve": [], "evalplus": []}
    for line in log.read_text().splitlines():
        for tool, label in (("codesieve", "codesieve eval"), ("evalplus", "evalplus.evaluate")):
            if line.startswith(f"{benchmark}: {label} ") and line.endswith(" s"):
                times[tool].append(float(line.split()[-2]))
    samples = [row for _, row in read_objects(work / f"{stem}_samples.jsonl")]
    cs = codesieve_verdicts(work / "cs_results.jsonl")
    ep = evalplus_verdicts(work / f"{stem}_samples_eval_results.json", samples)
    return compare(samples, times, cs, ep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants-per-problem", type=int, default=2)
    parser.add_argument("--evalplus-python", default=str(ROOT / "runs/evalplus-venv/bin/python"))
    parser.add_argument("--parallel", type=int, default=os.cpu_count() or 1, help="EvalPlus's --parallel")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds per pool (the best of each counts)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N programs of each pool (a quick try)")
    parser.add_argument("--pools", nargs="*", default=list(POOLS), choices=list(POOLS))
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--update", action="store_true", help="keep the last run's other batches in grading.json")
    parser.add_argument("--skip-evalplus", action="store_true")
    parser.add_argument("--rescore", nargs=2, metavar=("WORK_DIR", "LOG"),
                        help="the side-by-side from an interrupted run's work folder and printed output")
    args = parser.parse_args()
    load_before = os.getloadavg()
    measured = {} if args.skip_floor else floor(args)
    if measured:
        path = _results.RESULTS / "grading.json"
        kept = json.loads(path.read_text())["batches"] if args.update and path.exists() else {}
        write_floor({**kept, **measured}, load_before)  # batches measured now replace those of the last run
    if args.rescore:
        work, log = Path(args.rescore[0]), Path(args.rescore[1])
        data = {b: rescore(work, log, b) for b in args.pools}
        load_line = log.read_text().split("load average:")[1].split(",")[0]
        print(f"rescored from {work} and {log}: the printed output of the run that measured them")
        return write_side_by_side(data, _short_efficiency(), (float(load_line),), _evalplus_version(args.evalplus_python))
    if not args.skip_evalplus:
        load_ep = os.getloadavg()

        def save(data: dict) -> None:
            write_side_by_side(data, _short_efficiency(), load_ep, _evalplus_version(args.evalplus_python))

        with tempfile.TemporaryDirectory(prefix="grading-") as tmp:
            side_by_side(args, Path(tmp), save, {b: measured[b]["floor_s"] for b in POOLS if b in measured})


def _short_efficiency() -> float:
    """From the last floor run."""
    return json.loads((_results.RESULTS / "grading.json").read_text())["batches"]["short"]["efficiency"]


def write_floor(data: dict, load: tuple) -> None:
    rows = []
    for name in ("short", *[b for b in POOLS if b in data]):
        d = data[name]
        s = d["share"]
        rows.append([name, d["n"], f"{d['wall_s']:.2f}", f"{d['programs_per_s']:.0f}", f"{d['efficiency']:.2f}",
                     f"{d['cpu_efficiency']:.2f}",
                     f"{d['program_cpu_s']:.2f}", f"{s['workers']:.2f}", f"{s['parent']:.2f}",
                     f"{s['idle_or_other']:.2f}", f"{d['tail_s']:.2f}"])
    st = data.get("stuck") or {"n_stuck": 0, "n_programs": 0, "with_stuck_s": 0.0, "without_s": 0.0, "ratio": 0.0,
                               "time_limits_s": {}}
    loads = ", ".join(f"{name} {data[name]['load_average']:.1f}" for name in data if "load_average" in data[name])
    notes = (f"Efficiency = CPU time of the sandboxed children / (wall x {data['short']['workers']} workers); "
             "the other shares are of the same capacity (wall x workers): the worker processes' own CPU, this "
             "process's CPU, and the rest (idle, or other processes on the machine). Tail: seconds from the "
             "last results but one per worker to the end of the batch.\n\n"
             "CPU efficiency = the children's CPU / all CPU the grading used (children, workers, this process): "
             "what the efficiency would be on an otherwise idle machine with no stragglers.\n\n"
             f"Stuck programs: the HumanEval+ pool ({st['n_programs']} programs, {st['n_stuck']} of which time out) "
             f"took {st['with_stuck_s']:.2f} s against {st['without_s']:.2f} s for the same batch without them "
             f"({st['ratio']:.2f}x; the stuck programs' per-test CPU limits {st['time_limits_s']} s).\n\n"
             f"1-minute load average before each batch: {loads} (the machine has {os.cpu_count()} cores).")
    _results.write("grading", {"batches": data, "load_average_before": load},
                   ["batch", "programs", "wall s", "programs/s", "efficiency", "CPU efficiency", "tests' own CPU s",
                    "workers share", "parent share", "idle/other share", "tail s"], rows, notes)


def write_side_by_side(data: dict, efficiency: float, load: tuple, evalplus_version: str) -> None:
    keys = ("codesieve_s", "evalplus_s", "ratio", "agreement", "n_programs", "disagreements", "passed", "runs")
    floor_keys = ("floor_s", "codesieve_over_floor", "duplicate_share")  # absent when rescored
    out = {b: {**{k: data[b][k] for k in (*keys, *floor_keys) if k in data[b]}, "load_average": load[0]} for b in data}
    out["efficiency_short_programs"] = efficiency
    rows = [[b, data[b]["n_programs"], f"{data[b]['codesieve_s']:.1f}", f"{data[b]['evalplus_s']:.1f}",
             f"{data[b]['ratio']:.1f}x", f"{100 * data[b]['agreement']:.2f}%",
             f"{data[b]['passed']['codesieve']} / {data[b]['passed']['evalplus']}",
             f"{data[b]['floor_s']:.1f}" if "floor_s" in data[b] else "-",
             f"{data[b]['codesieve_over_floor']:.2f}x" if "floor_s" in data[b] else "-"] for b in data]
    notes = (f"Each tool ran as a fresh process on the same programs (the pool's first n, all of them unless "
             f"--limit cut it), alternating, with its ground-truth cache "
             f"warm; times are the best of the rounds. EvalPlus {evalplus_version} ran with `--parallel "
             f"{os.cpu_count()}`, codesieve with one worker per core. 1-minute load average before: "
             f"{load[0]:.2f}. Efficiency of short programs (bench/results/grading.md): {efficiency:.2f}.\n\n"
             "Floor: the CPU time of the passing programs' own tests (timed inside the sandbox, each distinct "
             f"program once), divided by the {os.cpu_count()} cores, measured in the same run: no grader can "
             "take less wall time. Duplicate programs (exact text, same task) run once per `codesieve eval`.")
    for b in data:
        for d in data[b]["disagreements"]:
            notes += f"\n- {b} {d['task_id']} (program {d['index']}): codesieve {d['codesieve']}, EvalPlus {d['evalplus']}"
    path = _results.RESULTS / "grading_vs_evalplus.json"
    _results.write("grading_vs_evalplus", out,
                   ["pool", "programs", "codesieve s", "EvalPlus s", "ratio", "agreement", "passed (cs / EvalPlus)",
                    "floor s", "codesieve / floor"],
                   rows, notes)
    print(f"wrote {path}")


def _evalplus_version(python: str) -> str:
    return subprocess.run([python, "-c",
                           "import importlib.metadata as m; print(m.version('evalplus'))"],
                          capture_output=True, text=True).stdout.strip() or "?"


if __name__ == "__main__":
    main()
