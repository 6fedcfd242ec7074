"""Which executor actors the driver has on the cluster: one per live node (or group of cores).

Nodes come and go while a run lasts: a node that joins gets an actor at the next scan, and an actor
that is lost (its node died, or Ray's memory monitor killed it) is replaced while its node lives,
up to `ACTOR_DEATHS` times a node, so a node that keeps killing actors stops costing retries.
Not thread-safe; the backend calls it holding its lock.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from codesieve.execution.ray_backend import _cluster
from codesieve.execution.ray_backend._node import NodeRunner
from codesieve.execution.wire import HARNESS_VERSION

log = logging.getLogger(__name__)

ACTOR_DEATHS = 3  # a node whose actor died this often gets no new one (it kills them, or it is gone)


@dataclass(eq=False)
class Runner:
    """One `NodeRunner` actor, as the driver sees it."""

    node_id: str
    slot: int  # which group of the node's cores
    handle: Any
    workers: int
    ready: bool = False  # its hello came back: its sandbox pool is up
    info: dict = field(default_factory=dict)  # the actor's hello: host, pid, workers, base uid
    tasks: int = 0  # tasks in flight


class Membership:
    """The live actors, the nodes' sandbox capabilities, and why the last actor was lost.

    `per_actor`, `cores_per_actor` and `prefetch` are the backend's options of the same names.
    """

    def __init__(self, ray: Any, per_actor: int | None, cores_per_actor: int | None, prefetch: int):
        self._ray = ray
        self._actor_class = ray.remote(NodeRunner)
        self._per_actor = per_actor
        self._cores_per_actor = cores_per_actor
        self._prefetch = prefetch
        self.runners: list[Runner] = []
        self._deaths: dict[str, int] = {}  # node -> actors lost on it
        self._capabilities: dict[str, dict] = {}  # node -> what its sandbox achieved
        self.lost = 0  # actors lost
        self.last_error = ""
        self.last_scan = 0.0

    def scan(self) -> Iterator[Runner]:
        """Start an actor on every live node (or group of cores) that has none, yielding each one as it
        joins `runners` (so those started before the cluster became unreachable are still greeted)."""
        self.last_scan = time.monotonic()
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        have = {(r.node_id, r.slot) for r in self.runners}
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
                runner = Runner(node.node_id, slot, handle, workers)
                self.runners.append(runner)
                yield runner

    def lose(self, runner: Runner, why: str) -> bool:
        """`runner` failed (`why`): forget it and kill what is left of it. False if it was already lost."""
        if runner not in self.runners:
            return False
        self.runners.remove(runner)
        self.lost += 1
        self.last_error = why
        self._deaths[runner.node_id] = self._deaths.get(runner.node_id, 0) + 1
        log.warning("ray: lost the executor actor on node %s (%s); its jobs in flight run elsewhere",
                    runner.node_id[:12], why.splitlines()[0] if why else "?")
        try:
            self._ray.kill(runner.handle)
        except Exception:
            pass
        return True

    def started(self, runner: Runner, hello: dict) -> None:
        """`runner`'s hello came back: it takes tasks from now on."""
        runner.ready = True
        runner.info = hello
        self.note_capabilities(runner, hello.get("capabilities"))

    def note_capabilities(self, runner: Runner, caps: dict | None) -> None:
        """Keep the first capabilities a node reports, and warn when they are weaker than a local run's."""
        if caps is None or runner.node_id in self._capabilities:
            return
        self._capabilities[runner.node_id] = caps
        if not caps.get("net") or not caps.get("fs") or caps.get("uid") is None:
            log.warning("sandbox on Ray node %s (%s) is weaker than a local one: %s", runner.node_id[:12],
                        runner.info.get("host", "?"), caps)

    def capabilities(self) -> dict | None:
        """What the sandbox achieved on the weakest node so far: each guarantee holds only if it holds
        on every node (`uid` is None where any node could not drop to a sandbox uid)."""
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

    def ready_workers(self) -> int:
        return sum(r.workers for r in self.runners if r.ready)

    def close(self) -> None:
        """Stop every actor's sandbox pool (so nothing is left on its node), then end the actors."""
        handles = [r.handle for r in self.runners]
        closing = [h.close.remote() for h in handles]
        try:
            self._ray.wait(closing, num_returns=len(closing), timeout=30)
        except Exception:  # a node already gone has nothing left to close
            pass
        for handle in handles:
            try:
                self._ray.kill(handle)
            except Exception:
                pass
        self.runners.clear()
