"""Connecting to Ray: the optional import, one shared connection per process, the live nodes."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from codesieve.errors import ConfigError

INSTALL_HINT = "pip install 'codesieve[ray]'"

_lock = threading.Lock()
_users = 0  # backends of this process using a connection codesieve opened
_ours = False  # whether codesieve called ray.init (and so calls ray.shutdown)


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError(f"the ray executor needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


def connect(address: str | None) -> Any:
    """Join the cluster at `address` (`auto`, `HOST:PORT`, `ray://HOST:PORT`; None: $RAY_ADDRESS, or a new
    Ray instance on this machine). A Ray connection this process already holds is used as it is."""
    global _users, _ours
    ray = import_ray()
    with _lock:
        if ray.is_initialized():
            if _ours:
                _users += 1
            return ray
        address = address or os.environ.get("RAY_ADDRESS") or None
        options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
        if address is None:  # a new instance on this machine: no dashboard to serve
            options["include_dashboard"] = False
        try:
            ray.init(address=address, **options)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise ConfigError(f"cannot join the Ray cluster at {address or 'a new local instance'}: {exc}") from None
        _ours, _users = True, 1
        return ray


def disconnect() -> None:
    """Leave the cluster once the last backend that joined it through `connect` is closed."""
    global _users, _ours
    with _lock:
        if not _ours:
            return
        _users -= 1
        if _users <= 0:
            import ray

            ray.shutdown()
            _ours, _users = False, 0


@dataclass(frozen=True)
class Node:
    node_id: str
    address: str
    cpus: int


def live_nodes(ray: Any) -> list[Node]:
    """The cluster's live nodes that offer CPUs to actors."""
    nodes = []
    for n in ray.nodes():
        cpus = int(n.get("Resources", {}).get("CPU", 0))
        if n.get("Alive") and cpus > 0:
            nodes.append(Node(n["NodeID"], n.get("NodeManagerAddress", "?"), cpus))
    return nodes
