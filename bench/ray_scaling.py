"""Ray scaling: full-test grading of the HumanEval+ pool with the local backend and with the Ray
backend on 1 and 2 nodes of this machine, at equal total cores, in one run.

Every candidate runs on all of its problem's hidden tests (stopping at the first failure), as
`codesieve pareto`'s `full` reference does. For each Ray configuration a fresh cluster of raylets
starts on this machine; the pool is then graded in slices, each slice by the local backend and by
Ray in alternating order, so a change in the machine's load hits both alike (this is a shared
machine). Reported: programs/s, driver CPU per program, the CPU of Ray's own processes (GCS,
raylets, the executor actors) per program, and verdict agreement (every test's verdict) with the
local backend. The SQLite result store's write rate is measured too: the driver's ceiling in
docs/scaling.md.

    python bench/ray_scaling.py [--every N] [--slices 4] [--cores 2]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import _results

from codesieve.execution.proc import cpu_seconds
from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.verify.pool import load_problems, read_pool

POOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "pools", "humanevalplus.jsonl.gz")


def outcome(result) -> tuple:
    """What must agree between backends: the verdict and every test's verdict."""
    return result.verdict.value, tuple(o.verdict.value for o in result.outcomes)


class Measure:
    """Time, driver CPU and Ray's own CPU (GCS, raylets, executor actors) over several batches."""

    def __init__(self):
        self.wall = self.driver_cpu = self.ray_cpu = 0.0
        self.n = 0
        self.results: dict[int, object] = {}

    def run(self, ex, jobs, idxs, ray_pids) -> None:
        ray_cpu, driver_cpu, t0 = cpu_seconds(*ray_pids), time.process_time(), time.perf_counter()
        results = ex.run([jobs[i] for i in idxs])
        self.wall += time.perf_counter() - t0
        self.driver_cpu += time.process_time() - driver_cpu
        self.ray_cpu += cpu_seconds(*ray_pids) - ray_cpu
        self.n += len(idxs)
        self.results.update(zip(idxs, results))

    def row(self) -> dict:
        return {"wall_s": self.wall, "pps": self.n / self.wall, "driver_cpu_ms_per_program": 1000 * self.driver_cpu / self.n,
                "ray_cpu_ms_per_program": 1000 * self.ray_cpu / self.n}


def paired(jobs, cores: int, nodes: int, slices: int) -> tuple[dict, dict]:
    """The local backend and Ray on `nodes` nodes of this machine, `cores` cores each, on the same
    slices of the pool in alternating order, so both see the same machine load."""
    from ray.cluster_utils import Cluster

    # Ray's memory monitor kills workers when the machine nears its memory limit, whoever holds the
    # memory (on this shared machine, other work); the raylets read this when they start.
    os.environ["RAY_memory_monitor_refresh_ms"] = "0"

    from codesieve.execution.ray_backend import RayBackend

    t0 = time.perf_counter()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": cores // nodes, "include_dashboard": False})
    for _ in range(nodes - 1):
        cluster.add_node(num_cpus=cores // nodes)
    cluster.wait_for_nodes()
    try:
        backend = RayBackend(cluster.address)
        with Executor(cache=ExecutionCache(max_memory_items=0), backend=backend) as ray_ex, \
                Executor(cores, cache=ExecutionCache(max_memory_items=0)) as local_ex:
            while not all(a["ready"] for a in backend.nodes()):
                time.sleep(0.1)
            startup = time.perf_counter() - t0
            local_ex.run([Job(f"x = {i}\n", jobs[0].kind, ()) for i in range(4 * cores)])  # warm workers
            daemons = [p.process.pid for node in [cluster.head_node, *cluster.worker_nodes]
                       for procs in node.all_processes.values() for p in procs]
            ray_pids = daemons + [a["pid"] for a in backend.nodes()]
            local, ray = Measure(), Measure()
            for s in range(slices):
                idxs = list(range(s, len(jobs), slices))
                for m, ex in ((local, local_ex), (ray, ray_ex))[::1 if s % 2 == 0 else -1]:
                    m.run(ex, jobs, idxs, ray_pids)
                print(f"  ray{nodes} slice {s + 1}/{slices}: local {local.n / local.wall:.1f}, ray {ray.n / ray.wall:.1f}"
                      f" programs/s, load {os.getloadavg()[0]:.1f}", flush=True)
            stats = backend.stats()
        ray_row = {"backend": "ray", "nodes": nodes, "startup_s": startup, **ray.row(), "results": ray.results,
                   "calls": stats.calls, "tasks_per_call": stats.tasks / max(1, stats.calls),
                   "test_sets_sent": stats.test_sets_sent, "test_mb_sent": stats.test_bytes_sent / 1e6,
                   "retried": stats.retried, "tasks_by_node": sorted(stats.tasks_by_node.values()),
                   "call_overhead_ms": 1000 * (stats.call_s - stats.pool_s) / max(1, stats.calls)}
        local_row = {"backend": "local", "nodes": 1, **local.row(), "results": local.results,
                     "ray_idle_cpu_ms_per_program": 1000 * local.ray_cpu / local.n}
        return local_row, ray_row
    finally:
        cluster.shutdown()


def store_writes_per_s(results) -> float:
    """Rate of result-cache writes to a fresh SQLite file: the driver-side store's ceiling."""
    raws = [json.dumps({"outcomes": [{"v": o.verdict.value, "t": o.time_s} for o in r.outcomes],
                        "wall": r.wall_s}) for r in results]
    with tempfile.TemporaryDirectory() as tmp:
        cache = ExecutionCache(os.path.join(tmp, "exec.sqlite"))
        t0 = time.perf_counter()
        for i, raw in enumerate(raws):
            cache.put(f"{i:064x}", raw)
        return len(raws) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", default=POOL)
    ap.add_argument("--every", type=int, default=1, help="every Nth candidate (default 1: all)")
    ap.add_argument("--cores", type=int, default=os.cpu_count(), help="total cores of every configuration")
    ap.add_argument("--slices", type=int, default=4, help="alternate local and Ray over this many slices")
    args = ap.parse_args()
    load_before = os.getloadavg()
    pool = read_pool(args.pool)
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        problems = {p.id: p for p in load_problems(pool, ex)}
    entries = pool.entries[::args.every]
    jobs = [Job.for_problem(problems[e.candidate.problem_id], e.candidate.program,
                            problems[e.candidate.problem_id].hidden_tests) for e in entries]
    best: dict[str, dict] = {}
    for nodes in (1, 2):
        print(f"ray{nodes}: {len(jobs)} programs in {args.slices} slices", flush=True)
        best[f"local_vs_ray{nodes}"], best[f"ray{nodes}"] = paired(jobs, args.cores, nodes, args.slices)
    reference = [outcome(best["local_vs_ray1"]["results"][i]) for i in range(len(jobs))]
    for row in best.values():
        row["agreement"] = sum(outcome(row["results"][i]) == ref for i, ref in enumerate(reference)) / len(jobs)
    local_results = [best["local_vs_ray1"]["results"][i] for i in range(len(jobs))]
    labels = sum(r.passed == e.passed for r, e in zip(local_results, entries)) / len(jobs)
    store_rate = store_writes_per_s(local_results)
    load_after = os.getloadavg()
    local, ray = best["local_vs_ray2"], best["ray2"]
    detail = {name: {k: v for k, v in row.items() if k != "results"} for name, row in best.items()}
    overhead = {}
    for nodes in (1, 2):
        row, base = best[f"ray{nodes}"], best[f"local_vs_ray{nodes}"]
        overhead[f"ray{nodes}"] = {
            "wall_ms_per_program": 1000 * args.cores * (1 / row["pps"] - 1 / base["pps"]),
            "cpu_ms_per_program": row["driver_cpu_ms_per_program"] + row["ray_cpu_ms_per_program"]
            - base["driver_cpu_ms_per_program"] - base["ray_idle_cpu_ms_per_program"]}
    data = {"local_pps": local["pps"], "ray_pps": ray["pps"], "ray_nodes": 2, "ratio": ray["pps"] / local["pps"],
            "agreement": min(row["agreement"] for row in best.values()), "n_programs": len(jobs),
            "cores": args.cores, "configs": detail, "ray_overhead": overhead, "pool": os.path.basename(args.pool),
            "pool_label_agreement": labels, "passed": sum(r.passed for r in local_results),
            "store_writes_per_s": store_rate, "slices": args.slices, "every": args.every,
            "load_average_before": load_before, "load_average_after": load_after}
    rows = []
    for nodes in (1, 2):
        base, row = best[f"local_vs_ray{nodes}"], best[f"ray{nodes}"]
        rows.append([f"local (paired with ray{nodes})", 1, base["pps"], 1.0, f"{100 * base['agreement']:.2f}%",
                     base["driver_cpu_ms_per_program"], base["ray_idle_cpu_ms_per_program"], "-"])
        rows.append([f"ray{nodes}", nodes, row["pps"], row["pps"] / base["pps"], f"{100 * row['agreement']:.2f}%",
                     row["driver_cpu_ms_per_program"], row["ray_cpu_ms_per_program"], row["startup_s"]])
    notes = (f"{len(jobs)} candidates of {os.path.basename(args.pool)} ({data['passed']} pass), each on all its "
             f"hidden tests; {args.cores} cores in every configuration (ray1: one node of {args.cores} CPUs, ray2: "
             f"two nodes of {args.cores // 2}). Each Ray configuration is paired with the local backend on the same {args.slices} slices of the pool, in alternating order, so both see the same machine load (the idle cluster's CPU during local slices is the local rows' Ray CPU). Ray overhead per program "
             f"(ray2): {overhead['ray2']['wall_ms_per_program']:.2f} core-ms of wall time, "
             f"{overhead['ray2']['cpu_ms_per_program']:.2f} ms of extra CPU (driver + Ray's processes - local "
             f"driver); {detail['ray2']['call_overhead_ms']:.2f} ms per call beyond the pool's time, "
             f"{detail['ray2']['tasks_per_call']:.1f} programs per call. Test sets sent: "
             f"{detail['ray2']['test_sets_sent']} ({detail['ray2']['test_mb_sent']:.1f} MB) for "
             f"{len(problems)} problems. Result store: {store_rate:.0f} writes/s. Local verdicts vs the pool's labels: "
             f"{100 * labels:.2f}%. 1-minute load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
             f"(a shared machine: other work ran meanwhile).")
    _results.write("ray_scaling", data, ["backend", "nodes", "programs/s", "vs local", "agreement",
                                         "driver CPU ms/program", "Ray CPU ms/program", "start-up s"], rows, notes)


if __name__ == "__main__":
    main()
