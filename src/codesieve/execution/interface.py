"""The executor's two interfaces, and the registry of worker-pool backends.

- `JobRunner` is what every caller of the executor is typed against: a batch of `Job`s in,
  `ExecResult`s out, in order. `Executor` (the front: cache, dedup, ordering, streaming) is the
  implementation; fakes in fast unit tests implement it too.
- `ExecutorBackend` is what the front runs work on: a pool of sandbox workers, chosen by name
  (`Executor(backend="local")`, `"ray:ADDRESS"`). A backend sees `Task`s, which are plain strings
  and numbers (JSON inside), so they pickle and travel to other machines; it never sees a `Job`.

A backend registers itself by name from anywhere, inside the package or out:

    @register_backend("mine")
    def _make(arg: str | None, workers: int | None) -> ExecutorBackend: ...

    Executor(backend="mine:some-arg")
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

from codesieve.errors import ConfigError
from codesieve.execution.job import Job
from codesieve.types import ExecResult

RawResult = dict[str, Any]
"""A task's result as JSON-able data, exactly what the result cache stores:
`{"outcomes": [outcome, ...], "n": number of tests, "wall": seconds, "cpu": the sandboxed processes'
CPU seconds, "cacheable": bool (default true)}`.
An outcome is `{"v": verdict, "t": cpu seconds, "o": shown output, "h": output fingerprint,
"e": [type, message, traceback], "val": encoded value (probes)}`, keys present when they apply."""


@dataclass(frozen=True)
class Task:
    """One program run on one test set, as a backend receives it (serialisable: strings and floats).

    `tests` is the same string object for every task of a test set within a batch; `tests_key`
    (its sha256) lets a backend send a test set once per worker or node and refer to it after.
    """

    key: str  # the result-cache key; unique within one `run` call
    head: str  # JSON object: program, kind, entry point, limits, comparison, flags (no tests)
    tests_key: str  # sha256 of `tests`
    tests: str  # JSON list of encoded tests
    n_tests: int
    watchdog_s: float  # a worker busy with this task for longer than this is hung: kill, retry once
    cost: float = 0.0  # expected run time, relative to the batch's other tasks: start the dearest first


OnDone = Callable[[Task, RawResult], None]


@runtime_checkable
class ExecutorBackend(Protocol):
    """A pool of sandbox workers that runs `Task`s.

    `run` may be called from several threads at once (a cascade checks many problems in
    parallel); the calls share the workers. It calls `on_done(task, raw)` exactly once per task,
    from any thread, as each finishes (so results stream), and returns when all have. A worker
    that dies or hangs is replaced and the task retried once; a task that fails twice gets a
    `runtime_error` raw result with `"cacheable": false`, never an exception. The backend bounds its
    own in-flight work (a remote one must not flood its cluster with a million tasks at once).
    `close` stops every worker and kills every process they started; it is idempotent.
    """

    @property
    def workers(self) -> int:
        """How many programs run at once."""
        ...

    @property
    def capabilities(self) -> dict | None:
        """What the sandbox achieved (`{"uid", "net", "fs", "why"}`), once a worker has started."""
        ...

    def run(self, tasks: Sequence[Task], on_done: OnDone) -> None: ...

    def close(self) -> None: ...


class JobRunner(Protocol):
    """Runs jobs in the sandbox: what selection, verification, grading and loading are typed against."""

    @property
    def workers(self) -> int: ...

    def run(self, jobs: Sequence[Job], on_result: Callable[[int, ExecResult], None] | None = None,
            ) -> list[ExecResult]:
        """Results in the order of `jobs`; `on_result(i, result)` is called as each arrives."""
        ...

    async def run_async(self, jobs: Sequence[Job]) -> list[ExecResult]: ...


BackendFactory = Callable[[str | None, int | None], ExecutorBackend]
"""`factory(arg, workers)`: `arg` is what follows the first ':' of the spec (`"ray:auto"` -> `"auto"`)."""

_FACTORIES: dict[str, BackendFactory] = {}
# Backends in the package register on import; importing them only when named keeps heavy
# dependencies (ray) out of every other run.
_BUILTIN_MODULES = {"local": "codesieve.execution.local", "ray": "codesieve.execution.ray_backend"}


def register_backend(name: str) -> Callable[[BackendFactory], BackendFactory]:
    """Register a backend factory under `name` (a decorator)."""
    if not name or ":" in name:
        raise ConfigError(f"backend name {name!r} must be non-empty and hold no ':'")

    def decorate(factory: BackendFactory) -> BackendFactory:
        _FACTORIES[name] = factory
        return factory

    return decorate


def backend_names() -> list[str]:
    return sorted(set(_FACTORIES) | set(_BUILTIN_MODULES))


def create_backend(spec: str, workers: int | None = None) -> ExecutorBackend:
    """The backend named by `spec` (`NAME` or `NAME:ARG`), started lazily by its first `run`."""
    name, _, arg = spec.partition(":")
    if name not in _FACTORIES and name in _BUILTIN_MODULES:
        try:
            importlib.import_module(_BUILTIN_MODULES[name])
        except ImportError as exc:
            raise ConfigError(f"executor backend {name!r} is unavailable: {exc}") from exc
    factory = _FACTORIES.get(name)
    if factory is None:
        raise ConfigError(f"unknown executor backend {name!r} (known: {', '.join(backend_names())})")
    return factory(arg or None, workers)
