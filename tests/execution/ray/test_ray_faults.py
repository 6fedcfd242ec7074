"""A node lost mid-batch costs only its jobs in flight: they run again elsewhere, the batch
completes, every job gets exactly one result and the store exactly one row per job."""

import sqlite3
import threading
from collections import Counter

import pytest

from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.execution.ray_backend import RayBackend
from codesieve.types import CallTest, Limits, TaskKind, Verdict

from .conftest import ready_actors, wait_until_gone

pytestmark = pytest.mark.ray

# ~0.1 s of CPU each: a batch long enough to lose a node in the middle of it
BUSY = "def f(n, salt):\n    s = 0\n    for i in range(n):\n        s += i % 7\n    return salt\n"


def _jobs(n: int) -> list[Job]:
    return [Job(BUSY, TaskKind.FUNCTION, (CallTest((300_000, i), i),), entry_point="f",
                limits=Limits(time_s=5.0)) for i in range(n)]


def test_killing_a_raylet_mid_batch(ray_cluster, tmp_path):
    doomed = ray_cluster.add_node(num_cpus=1)
    ray_cluster.wait_for_nodes()
    backend = RayBackend(ray_cluster.address)
    actors = {a["node_id"]: a for a in ready_actors(backend, 3)}
    doomed_id = doomed.node_id
    assert doomed_id in actors

    jobs = _jobs(120)
    seen: Counter[int] = Counter()
    killed = threading.Event()

    def on_result(i, result):
        seen[i] += 1
        if not killed.is_set() and backend.stats().tasks_by_node.get(doomed_id, 0) >= 3:
            killed.set()  # the doomed node has done some jobs and has more in flight: kill its raylet
            threading.Thread(target=ray_cluster.remove_node, args=(doomed, False)).start()

    cache = tmp_path / "exec.sqlite"
    with Executor(cache=ExecutionCache(cache), backend=backend) as ex:
        results = ex.run(jobs, on_result=on_result)
        stats = backend.stats()
    assert killed.is_set()
    assert [r.verdict for r in results] == [Verdict.PASSED] * len(jobs)
    assert all(seen[i] == 1 for i in range(len(jobs))) and len(seen) == len(jobs)
    assert stats.lost_runners >= 1 and stats.retried >= 1
    assert stats.tasks == len(jobs)
    rows = sqlite3.connect(cache).execute("SELECT key, COUNT(*) FROM exec_cache GROUP BY key").fetchall()
    assert len(rows) == len(jobs) and {n for _, n in rows} == {1}
    assert wait_until_gone([actors[doomed_id]]) == []  # the lost node's programs died with it
    assert wait_until_gone(list(actors.values())) == []
