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
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Sequence

from codesieve.errors import SandboxError
from codesieve.execution.interface import OnDone, RawResult, Task
from codesieve.execution.ray_backend import _cluster
from codesieve.execution.ray_backend._node import NodeRunner, to_wire
from codesieve.execution.wire import HARNESS_VERSION

log = logging.getLogger(__name__)

RESCAN_S = 5.0  # how often the driver looks for nodes that joined, while it has work
ACTOR_DEATHS = 3  # a node whose actor died this often gets no new one (it kills them, or it is gone)


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


@dataclass(eq=False)
class _Batch:
    left: int
    on_done: OnDone
    finished: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


@dataclass(eq=False)
class _Item:
    task: Task
    batch: _Batch
    attempts: int = 0


@dataclass(eq=False)
class _Runner:
    node_id: str
    slot: int
    handle: Any
    workers: int
    ready: bool = False
    info: dict = field(default_factory=dict)  # the actor's hello: host, pid, workers, base uid
    held: set[str] = field(default_factory=set)  # test sets sent to it
    tasks: int = 0  # tasks in flight


@dataclass(eq=False)
class _Call:
    runner: _Runner
    items: list[_Item]  # empty for the actor's hello
    sent: float


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
        self._per_actor = workers
        self._cores_per_actor = cores_per_actor
        self._prefetch = max(1, prefetch)
        self._max_attempts = max(1, max_attempts)
        self._start_timeout = start_timeout_s
        self._cond = threading.Condition()
        self._pending: dict[str, deque[_Item]] = {}  # test set -> its waiting tasks
        self._holders: dict[str, int] = {}  # test set -> how many live actors hold it
        self._runners: list[_Runner] = []
        self._calls: dict[Any, _Call] = {}  # ObjectRef -> what it answers
        self._deaths: dict[str, int] = {}  # node -> actors lost on it
        self._capabilities: dict[str, dict] = {}
        self._last_error = ""
        self._waiting_since: float | None = None
        self._last_scan = 0.0
        self._closed = False
        self._counts = {"tasks": 0, "calls": 0, "retried": 0, "lost_runners": 0, "test_sets_sent": 0,
                        "test_bytes_sent": 0, "pool_s": 0.0, "call_s": 0.0}
        self._by_node: dict[str, int] = {}
        self._ray = _cluster.connect(address)
        self._actor_class = self._ray.remote(NodeRunner)
        try:
            with self._cond:
                self._scan_nodes()
            if not self._runners:
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
            return sum(r.workers for r in self._runners)

    @property
    def capabilities(self) -> dict | None:
        """What the sandbox achieved on the weakest node so far: each guarantee holds only if it holds
        on every node (`uid` is None where any node could not drop to a sandbox uid)."""
        with self._cond:
            caps = list(self._capabilities.values())
        if not caps:
            return None
        merged = dict(caps[0])
        for c in caps[1:]:
            merged["net"] = bool(merged.get("net")) and bool(c.get("net"))
            merged["fs"] = bool(merged.get("fs")) and bool(c.get("fs"))
            if c.get("uid") is None:
                merged["uid"] = None
            merged["why"] = merged.get("why") or c.get("why", "")
        return merged

    def run(self, tasks: Sequence[Task], on_done: OnDone) -> None:
        if not tasks:
            return
        batch = _Batch(len(tasks), on_done)
        with self._cond:
            if self._closed:
                raise SandboxError("this executor backend is closed; create a new one")
            for task in sorted(tasks, key=lambda t: -t.cost):  # dearest first: the tail is short
                self._pending.setdefault(task.tests_key, deque()).append(_Item(task, batch))
            if self._waiting_since is None:
                self._waiting_since = time.monotonic()
            self._fill()
            self._cond.notify_all()
        batch.finished.wait()
        if batch.error is not None:
            raise batch.error

    def close(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._fail_pending(SandboxError("the executor backend was closed while this batch ran"))
            self._cond.notify_all()
        self._thread.join(timeout=60)
        ray = self._ray
        handles = [r.handle for r in self._runners]
        closing = [h.close.remote() for h in handles]
        try:
            ray.wait(closing, num_returns=len(closing), timeout=30)
        except Exception:  # a node already gone has nothing left to close
            pass
        for handle in handles:
            try:
                ray.kill(handle)
            except Exception:
                pass
        self._runners.clear()
        _cluster.disconnect()

    def __enter__(self) -> "RayBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> RayStats:
        with self._cond:
            return RayStats(**self._counts, tasks_by_node=dict(self._by_node))

    def nodes(self) -> list[dict]:
        """The actors and what they said of themselves (host, pid, workers, base uid), once started."""
        with self._cond:
            return [{"node_id": r.node_id, "slot": r.slot, "ready": r.ready, "workers": r.workers,
                     **r.info} for r in self._runners]

    # ------------------------------------------------------------------ actors

    def _scan_nodes(self) -> None:
        """Start an actor on every live node (or group of cores) that has none. Holds the lock."""
        self._last_scan = time.monotonic()
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        have = {(r.node_id, r.slot) for r in self._runners}
        for node in _cluster.live_nodes(self._ray):
            if self._deaths.get(node.node_id, 0) >= ACTOR_DEATHS:
                continue
            per = min(node.cpus, self._cores_per_actor or node.cpus)
            for slot in range(math.ceil(node.cpus / per)):
                if (node.node_id, slot) in have:
                    continue
                cpus = min(per, node.cpus - slot * per)
                workers = self._per_actor or cpus
                handle = self._actor_class.options(
                    num_cpus=cpus, max_concurrency=self._prefetch * workers + 2, max_restarts=0,
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node.node_id, soft=False),
                ).remote(workers, HARNESS_VERSION)
                runner = _Runner(node.node_id, slot, handle, workers)
                self._runners.append(runner)
                self._calls[handle.hello.remote()] = _Call(runner, [], time.monotonic())

    def _drop(self, runner: _Runner, why: str, failed: _Call) -> None:
        """An actor is gone (`failed` was the call that said so): its chunks in flight go back to the
        queue, and a live node gets a new actor (Ray's memory monitor, for one, kills actors of nodes
        that run short of memory), up to `ACTOR_DEATHS` per node. Holds the lock."""
        if runner not in self._runners:
            return
        self._runners.remove(runner)
        self._counts["lost_runners"] += 1
        self._last_error = why
        self._deaths[runner.node_id] = self._deaths.get(runner.node_id, 0) + 1
        log.warning("ray: lost the executor actor on node %s (%s); its jobs in flight run elsewhere",
                    runner.node_id[:12], why.splitlines()[0] if why else "?")
        for key in runner.held:
            self._holders[key] -= 1
        calls = [failed]
        for ref, call in list(self._calls.items()):
            if call.runner is runner:
                del self._calls[ref]
                calls.append(call)
        for call in calls:
            for item in call.items:
                item.attempts += 1
                if item.attempts >= self._max_attempts:
                    self._deliver(item, _node_failed(item.attempts, why))
                else:
                    self._counts["retried"] += 1
                    self._pending.setdefault(item.task.tests_key, deque()).appendleft(item)
        try:
            self._ray.kill(runner.handle)
        except Exception:
            pass
        try:
            self._scan_nodes()
        except Exception as exc:  # the cluster is unreachable: what still runs carries on
            self._last_error = f"{type(exc).__name__}: {exc}"

    # ------------------------------------------------------------------ dispatch

    def _fill(self) -> None:
        """Give every ready actor chunks until it holds `prefetch` tasks per worker. A chunk comes back
        only when all its tasks are done, so it is at most half the actor's workers: the actor always
        holds other chunks to run meanwhile, and its workers never wait for a chunk's slowest task or
        for the round trip to the driver. A chunk is also at most what the actor lacks, and at most a
        fair share of what waits, so chunks shrink to one task at the tail of a batch. Holds the lock."""
        if not self._pending:
            return
        total = sum(r.workers for r in self._runners if r.ready) or 1
        for runner in self._runners:
            room = self._prefetch * runner.workers - runner.tasks
            while runner.ready and room > 0 and self._pending:
                waiting = sum(map(len, self._pending.values()))
                size = max(1, min(room, runner.workers // 2,
                                  math.ceil(runner.workers * waiting / (self._prefetch * total))))
                self._send(runner, self._take(runner, size))
                room -= size

    def _take(self, runner: _Runner, size: int) -> list[_Item]:
        """Up to `size` tasks for `runner`: of test sets it holds, then of sets no actor holds, then any;
        the dearest first within each."""
        items: list[_Item] = []
        while len(items) < size and self._pending:
            key = min(self._pending, key=lambda k: (0 if k in runner.held else 1 if not self._holders.get(k) else 2,
                                                    -self._pending[k][0].task.cost))
            group = self._pending[key]
            while group and len(items) < size:
                items.append(group.popleft())
            if not group:
                del self._pending[key]
        return items

    def _send(self, runner: _Runner, items: list[_Item]) -> None:
        tests: dict[str, str] = {}
        for item in items:
            key = item.task.tests_key
            if key not in runner.held:
                runner.held.add(key)
                self._holders[key] = self._holders.get(key, 0) + 1
                tests[key] = item.task.tests
                self._counts["test_sets_sent"] += 1
                self._counts["test_bytes_sent"] += len(item.task.tests)
        unique = list({item.task.key: to_wire(item.task) for item in items}.values())
        ref = runner.handle.run.remote(unique, tests)
        runner.tasks += len(items)
        self._calls[ref] = _Call(runner, items, time.monotonic())

    def _collect(self) -> None:
        """The driver's one thread that waits on the cluster: results, lost nodes, new nodes."""
        ray = self._ray
        while True:
            with self._cond:
                while not self._calls and not self._closed:
                    self._cond.wait(timeout=RESCAN_S)
                    self._housekeep()
                if self._closed:
                    return
                refs = list(self._calls)
            ready, rest = ray.wait(refs, num_returns=1, timeout=1.0)
            if ready and rest:
                ready += ray.wait(rest, num_returns=len(rest), timeout=0)[0]
            with self._cond:
                for ref in ready:
                    self._answer(ref)
                self._housekeep()
                self._fill()

    def _answer(self, ref: Any) -> None:
        """Take in one call's answer. Holds the lock."""
        call = self._calls.pop(ref, None)
        if call is None:  # its actor was dropped meanwhile, and its tasks requeued
            return
        runner = call.runner
        ray = self._ray
        try:
            answer = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # our code on the node raised: that node cannot run jobs
            self._drop(runner, str(exc.cause if exc.cause is not None else exc), call)
            return
        except ray.exceptions.RayError as exc:  # the actor or its node died
            self._drop(runner, f"{type(exc).__name__}: {exc}", call)
            return
        if not call.items:  # hello
            runner.ready = True
            runner.info = answer
            self._note_capabilities(runner, answer.get("capabilities"))
            return
        runner.tasks -= len(call.items)
        results, missing, pool_s, caps = answer
        self._counts["calls"] += 1
        self._counts["pool_s"] += pool_s
        self._counts["call_s"] += time.monotonic() - call.sent
        self._note_capabilities(runner, caps)
        by_key: dict[str, list[_Item]] = {}
        for item in call.items:
            by_key.setdefault(item.task.key, []).append(item)
        for key in missing:  # the actor let that test set go: send it again
            for item in by_key.pop(key, []):
                if item.task.tests_key in runner.held:
                    runner.held.discard(item.task.tests_key)
                    self._holders[item.task.tests_key] -= 1
                self._pending.setdefault(item.task.tests_key, deque()).appendleft(item)
        for key, raw in results:
            for item in by_key.pop(key, []):
                self._by_node[runner.node_id] = self._by_node.get(runner.node_id, 0) + 1
                self._deliver(item, raw)

    def _note_capabilities(self, runner: _Runner, caps: dict | None) -> None:
        if caps is None or runner.node_id in self._capabilities:
            return
        self._capabilities[runner.node_id] = caps
        if not caps.get("net") or not caps.get("fs") or caps.get("uid") is None:
            log.warning("sandbox on Ray node %s (%s) is weaker than a local one: %s", runner.node_id[:12],
                        runner.info.get("host", "?"), caps)

    def _deliver(self, item: _Item, raw: RawResult) -> None:
        """Report one task's result, once. Holds the lock (callbacks are short: a cache write)."""
        batch = item.batch
        if batch.error is not None:
            return
        self._counts["tasks"] += 1
        try:
            batch.on_done(item.task, dict(raw))
        except Exception:  # a caller's callback must not take the dispatcher down
            log.exception("executor result callback failed")
        batch.left -= 1
        if batch.left == 0:
            batch.finished.set()

    def _housekeep(self) -> None:
        """Look for new nodes now and then; fail the work if no actor could start in time. Holds the lock."""
        if not self._pending:
            self._waiting_since = None
            return
        now = time.monotonic()
        if now - self._last_scan > RESCAN_S:
            try:
                self._scan_nodes()
            except Exception as exc:  # the cluster is unreachable: keep what runs, try again later
                self._last_error = f"{type(exc).__name__}: {exc}"
        if any(r.ready for r in self._runners):
            self._waiting_since = now
        elif not self._runners:
            self._fail_pending(SandboxError(
                f"every codesieve executor actor on the Ray cluster at {self.address or 'this machine'} is lost "
                f"and no other node is live; last error: {self._last_error or 'none'}"))
        elif self._waiting_since is not None and now - self._waiting_since > self._start_timeout:
            self._fail_pending(SandboxError(
                f"no codesieve executor actor is running on the Ray cluster at {self.address or 'this machine'} "
                f"after {self._start_timeout:.0f}s (are CPUs free? see `ray status`); last error: "
                f"{self._last_error or 'none'}"))

    def _fail_pending(self, error: Exception) -> None:
        """Every batch with waiting or running tasks ends with `error`. Holds the lock."""
        batches = {id(i.batch): i.batch for group in self._pending.values() for i in group}
        batches.update({id(i.batch): i.batch for call in self._calls.values() for i in call.items})
        self._pending.clear()
        for batch in batches.values():
            if batch.error is None and batch.left > 0:
                batch.error = error
                batch.finished.set()


def _node_failed(attempts: int, why: str) -> RawResult:
    message = f"the Ray node running this job was lost {attempts} times (last: {why.splitlines()[0] if why else '?'})"
    return {"outcomes": [{"v": "runtime_error", "e": ["SandboxError", message, ""]}], "wall": 0.0, "cacheable": False}
