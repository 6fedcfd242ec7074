"""The `ray` executor backend: codesieve's sandbox on every node of a Ray cluster.

    Executor(backend="ray")                     # $RAY_ADDRESS, or a new Ray instance on this machine
    Executor(backend="ray:auto")                # the cluster this machine belongs to (`ray start`)
    Executor(backend=RayBackend("10.0.0.1:6379", cores_per_actor=16))

Ray is an optional dependency (`pip install 'codesieve[ray]'`); this package imports it only
when a backend is created. See docs/scaling.md.
"""

from codesieve.execution.interface import register_backend
from codesieve.execution.ray_backend.backend import RayBackend, RayStats

__all__ = ["RayBackend", "RayStats"]


@register_backend("ray")
def _ray(arg: str | None, workers: int | None) -> RayBackend:
    return RayBackend(arg, workers)
