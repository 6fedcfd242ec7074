"""Executor backends: one registered from outside the package runs jobs through the front (cache,
dedup, ordering, streaming), and tasks survive the trip a remote backend makes them take."""

import json
import pickle
import threading

import pytest

from codesieve.errors import ConfigError
from codesieve.execution import (
    ExecutionCache,
    Executor,
    ExecutorBackend,
    Job,
    Task,
    backend_names,
    create_backend,
    register_backend,
)
from codesieve.execution.local import LocalBackend
from codesieve.types import CallTest, StdioTest, TaskKind, Verdict


class PicklingBackend:
    """A stand-in for a remote backend: every task is pickled on its way to a real local pool
    (as Ray would ship it), and every raw result comes back through JSON."""

    def __init__(self, label: str | None, workers: int | None):
        self.label = label
        self.pool = LocalBackend(workers)
        self.seen: list[Task] = []
        self.test_sets: set[str] = set()
        self._lock = threading.Lock()

    @property
    def workers(self) -> int:
        return self.pool.workers

    @property
    def capabilities(self):
        return self.pool.capabilities

    def run(self, tasks, on_done):
        shipped = [pickle.loads(pickle.dumps(t)) for t in tasks]
        with self._lock:
            self.seen.extend(shipped)
            self.test_sets.update(t.tests_key for t in shipped)
        originals = {t.key: t for t in tasks}
        self.pool.run(shipped, lambda t, raw: on_done(originals[t.key], json.loads(json.dumps(raw))))

    def close(self):
        self.pool.close()


made: list[PicklingBackend] = []


@register_backend("pickling")
def _pickling(arg, workers):
    made.append(PicklingBackend(arg, workers))
    return made[-1]


def test_a_backend_registered_outside_the_package_runs_jobs():
    add = "def f(a, b):\n    return a + b\n"
    tests = (CallTest((1, 2), 3), CallTest((2, 2), 4))
    jobs = [Job(add, TaskKind.FUNCTION, tests, entry_point="f"),
            Job(add.replace("+", "-"), TaskKind.FUNCTION, tests, entry_point="f"),
            Job("print(int(input()) * 2)", TaskKind.STDIO, (StdioTest("21", "42"),)),
            Job(add, TaskKind.FUNCTION, tests, entry_point="f")]  # a duplicate: runs once
    streamed = []
    assert "pickling" in backend_names()
    with Executor(2, cache=ExecutionCache(), backend="pickling:lab") as ex:
        backend = made[-1]
        assert isinstance(backend, ExecutorBackend) and backend.label == "lab" and ex.workers == 2
        results = ex.run(jobs, on_result=lambda i, r: streamed.append(i))
        assert [r.verdict for r in results] == [Verdict.PASSED, Verdict.WRONG_ANSWER, Verdict.PASSED, Verdict.PASSED]
        assert sorted(streamed) == [0, 1, 2, 3]
        assert len(backend.seen) == 3 and len(backend.test_sets) == 2  # one test set shared by two programs
        again = ex.run(jobs[:1])  # from the front's cache: the backend is not asked
        assert again[0].cached and len(backend.seen) == 3
        assert ex.capabilities is not None
    with pytest.raises(Exception):
        backend.pool.run(backend.seen[:1], lambda t, raw: None)  # closed with the executor


def test_the_cache_key_is_the_task_key_and_does_not_depend_on_the_backend(tmp_path):
    job = Job("def f():\n    return 1\n", TaskKind.FUNCTION, (CallTest((), 1),), entry_point="f")
    with Executor(1, cache=ExecutionCache(tmp_path / "c.sqlite"), backend="pickling") as ex:
        assert not ex.run([job])[0].cached
    with Executor(1, cache=ExecutionCache(tmp_path / "c.sqlite")) as ex:  # the local backend
        assert ex.run([job])[0].cached


def test_an_unknown_backend_is_a_config_error_naming_the_known_ones():
    with pytest.raises(ConfigError, match="unknown executor backend 'nope'.*local"):
        create_backend("nope")
    with pytest.raises(ConfigError, match="must be non-empty"):
        register_backend("a:b")


class _Recording:
    """A backend that answers every task itself ("passed"), recording each call's tasks and thread."""

    workers, capabilities = 2, None

    def __init__(self):
        self.calls: list[tuple[list[str], str]] = []
        self._lock = threading.Lock()

    def run(self, tasks, on_done):
        with self._lock:
            self.calls.append(([t.key for t in tasks], threading.current_thread().name))
        for task in tasks:
            on_done(task, {"outcomes": [{"v": "passed"}], "n": task.n_tests})

    def close(self):
        pass


def test_tasks_go_to_the_backend_in_chunks_as_prepared_and_duplicates_run_once(monkeypatch):
    """A long preparation sends what is ready from threads of their own; a job identical to one
    already sent, or already finished, gets that task's result without running again."""
    from codesieve.execution import executor as front

    monkeypatch.setattr(front, "SUBMIT_EVERY_S", -1.0)  # every task its own chunk
    backend = _Recording()
    programs = ["def f():\n    return 1", "def f():\n    return 2", "def f():\n    return 1", "def f():\n    return 3"]
    jobs = [Job(p, TaskKind.FUNCTION, (CallTest((), 1),), entry_point="f") for p in programs]
    streamed: list[int] = []
    with Executor(backend=backend, cache=ExecutionCache(max_memory_items=0)) as ex:
        results = ex.run(jobs, on_result=lambda i, r: streamed.append(i))
    assert [r.verdict for r in results] == [Verdict.PASSED] * 4
    assert sorted(streamed) == [0, 1, 2, 3]
    sent = [key for keys, _ in backend.calls for key in keys]
    assert len(sent) == len(set(sent)) == 3
    assert [name for _, name in backend.calls] == ["codesieve-submit"] * 3  # none waited for the rest
