"""A real multi-node Ray cluster on this machine (Ray's own `cluster_utils.Cluster`: one GCS, a
raylet per node), shared by the Ray tests of a session. Two nodes of one CPU each: the same two
cores a local executor gets."""

import os
import time

import pytest

from ..conftest import descendants, processes_of_uids


@pytest.fixture(scope="session")
def ray_cluster():
    from ray.cluster_utils import Cluster

    # Ray's memory monitor kills workers when the machine nears its memory limit, whoever holds the
    # memory; on a shared test machine that is other work's. (The backend survives it: see
    # docs/scaling.md, Faults.) The raylets read this when they start.
    os.environ["RAY_memory_monitor_refresh_ms"] = "0"
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster
    cluster.shutdown()


def leftovers(actors: list[dict]) -> list[int]:
    """Processes still alive from these actors: the actors themselves, anything below them, and
    anything running under their sandbox uids (what a program could leave behind)."""
    found = []
    for actor in actors:
        if os.path.exists(f"/proc/{actor['pid']}"):
            with open(f"/proc/{actor['pid']}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(actor["pid"])
            found += descendants(actor["pid"])
        if actor["base_uid"] is not None:
            found += processes_of_uids(range(actor["base_uid"], actor["base_uid"] + actor["workers"]))
    return found


def wait_until_gone(actors: list[dict], seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := leftovers(actors)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def ready_actors(backend, n: int, seconds: float = 60.0) -> list[dict]:
    """The backend's actors once `n` of them have started their sandbox pools."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = [a for a in backend.nodes() if a["ready"]]
        if len(ready) >= n:
            return ready
        time.sleep(0.2)
    raise AssertionError(f"only these actors started: {backend.nodes()}")


def sandbox_processes(address: str) -> list[int]:
    """Sandbox workers (`_worker.py`) of the executor actors on the cluster at `address`: children of
    a Ray worker process whose raylet belongs to that cluster."""
    def argv(pid: int) -> bytes:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()

    def parent(pid: int) -> int:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])

    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if b"execution/_worker.py" not in argv(int(entry)):
                continue
            actor = parent(int(entry))
            if argv(actor).startswith(b"ray::") and f"--gcs-address={address}".encode() in argv(parent(actor)):
                found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found
