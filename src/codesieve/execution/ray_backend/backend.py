"""The `ray` backend: sandbox pools on every node of a Ray cluster, fed from this process.

One `NodeRunner` actor per node (or per `cores_per_actor` cores) owns that node's local sandbox
pool. The queue stays here, on the driver: each actor holds at most `prefetch` tasks per worker
(back-pressure: the cluster never holds more than a few tasks per core, so the last ones of a
batch are not stuck behind a busy node), sent in chunks that shrink as the queue empties, and a
chunk's results come back as soon as it finishes. An actor is given tasks
whose test set it already holds first, so a problem's tests travel once per node. When a node
dies, the tasks of its chunks in flight go back to the queue and run elsewhere; every task's
result is reported exactly once, and only here, so the driver stays the single writer of the
run's stores.

The parts, each behind the backend's one lock: `queue.TaskQueue` (waiting tasks and their
batches), `testsets.TestSets` (which actor holds which tests), `membership.Membership` (the
actors) and `dispatch.Dispatcher` (the calls in flight). This class owns the lock, the one thread
that waits on the cluster, and the time limits.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Sequence

from codesieve.errors import SandboxError
from codesieve.execution.interface import OnDone, Task
from codesieve.execution.ray_backend import _cluster
from codesieve.execution.ray_backend.dispatch import Dispatcher
from codesieve.execution.ray_backend.membership import Membership

RESCAN_S = 5.0  # how often the driver looks for nodes that joined, while it has work


@dataclass(frozen=True)
class RayStats:
    """What the backend did, for benchmarks and tests: calls, retries, test-set traffic, time."""

    tasks: int  # results delivered
    calls: int  # chunks that came back
    retried: int  # tasks sent again after their node died
    lost_runners: int  # actors lost (node died, or the actor failed)
    test_sets_sent: int
    test_bytes_sent: int
    pool_s: float  # seconds the nodes' pools spent on chunks (summed over chunks)
    call_s: float  # seconds from sending a chunk to having its results (summed over chunks)
    tasks_by_node: dict[str, int]


class RayBackend:
    """Runs tasks on sandbox pools on every live node of the Ray cluster at `address`.

    `workers`: sandbox workers per actor (default: the CPUs the actor's node offers Ray).
    `cores_per_actor`: split big nodes into several actors of this many cores (default: one per
    node). `prefetch`: tasks each actor may hold per worker (one running, the rest queued there so
    its workers never wait for the network). `max_attempts`: a task whose node died this often
    gets a `runtime_error` result (not cached) instead of another try. `start_timeout_s`: how long
    work may wait for a first actor.
    """

    def __init__(self, address: str | None = None, workers: int | None = None, *,
                 cores_per_actor: int | None = None, prefetch: int = 2, max_attempts: int = 3,
                 start_timeout_s: float = 120.0):
        self.address = address
        self._start_timeout = start_timeout_s
        self._cond = threading.Condition()
        self._waiting_since: float | None = None
        self._closed = False
        self._ray = _cluster.connect(address)
        try:
            members = Membership(self._ray, workers, cores_per_actor, max(1, prefetch))
            self._dispatch = Dispatcher(self._ray, members, max(1, prefetch), max(1, max_attempts))
            with self._cond:
                self._dispatch.rescan(strict=True)
            if not members.runners:
                raise SandboxError(f"the Ray cluster at {address or 'this machine'} has no live node with CPUs")
        except BaseException:
            _cluster.disconnect()
            raise
        self._thread = threading.Thread(target=self._collect, name="codesieve-ray", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ ExecutorBackend

    @property
    def workers(self) -> int:
        with self._cond:
            return sum(r.workers for r in self._dispatch.members.runners)

    @property
    def capabilities(self) -> dict | None:
        """What the sandbox achieved on the weakest node so far (see `Membership.capabilities`)."""
        with self._cond:
            return self._dispatch.members.capabilities()

    def run(self, tasks: Sequence[Task], on_done: OnDone) -> None:
        if not tasks:
            return
        with self._cond:
            if self._closed:
                raise SandboxError("this executor backend is closed; create a new one")
            batch = self._dispatch.queue.submit(tasks, on_done)
            if self._waiting_since is None:
                self._waiting_since = time.monotonic()
            self._dispatch.fill()
            self._cond.notify_all()
        batch.finished.wait()
        if batch.error is not None:
            raise batch.error

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._dispatch.fail(SandboxError("the executor backend was closed while this batch ran"))
            self._cond.notify_all()
        self._thread.join(timeout=60)
        self._dispatch.members.close()
        _cluster.disconnect()

    def __enter__(self) -> "RayBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> RayStats:
        with self._cond:
            d = self._dispatch
            return RayStats(tasks=d.queue.delivered, **d.counts, lost_runners=d.members.lost,
                            test_sets_sent=d.testsets.sent, test_bytes_sent=d.testsets.bytes_sent,
                            tasks_by_node=dict(d.by_node))

    def nodes(self) -> list[dict]:
        """The actors and what they said of themselves (host, pid, workers, base uid), once started."""
        with self._cond:
            return [{"node_id": r.node_id, "slot": r.slot, "ready": r.ready, "workers": r.workers,
                     **r.info} for r in self._dispatch.members.runners]

    # ------------------------------------------------------------------ the collecting thread

    def _collect(self) -> None:
        """The driver's one thread that waits on the cluster: results, lost nodes, new nodes."""
        ray, dispatch = self._ray, self._dispatch
        while True:
            with self._cond:
                while not dispatch.calls and not self._closed:
                    self._cond.wait(timeout=RESCAN_S)
                    self._housekeep()
                if self._closed:
                    return
                refs = list(dispatch.calls)
            ready, rest = ray.wait(refs, num_returns=1, timeout=1.0)
            if ready and rest:
                ready += ray.wait(rest, num_returns=len(rest), timeout=0)[0]
            with self._cond:
                for ref in ready:
                    dispatch.answer(ref)
                self._housekeep()
                dispatch.fill()

    def _housekeep(self) -> None:
        """Look for new nodes now and then; fail the work if no actor could start in time. Holds the lock."""
        if not self._dispatch.queue:
            self._waiting_since = None
            return
        members, now = self._dispatch.members, time.monotonic()
        if now - members.last_scan > RESCAN_S:
            self._dispatch.rescan()
        where, why = self.address or "this machine", members.last_error or "none"
        if any(r.ready for r in members.runners):
            self._waiting_since = now
        elif not members.runners:
            self._dispatch.fail(SandboxError(f"every codesieve executor actor on the Ray cluster at {where} is "
                                             f"lost and no other node is live; last error: {why}"))
        elif self._waiting_since is not None and now - self._waiting_since > self._start_timeout:
            self._dispatch.fail(SandboxError(
                f"no codesieve executor actor is running on the Ray cluster at {where} after "
                f"{self._start_timeout:.0f}s (are CPUs free? see `ray status`); last error: {why}"))
