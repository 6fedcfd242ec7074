"""The `local` backend: a pool of pre-forked sandbox workers on this machine.

Untrusted code never runs in this process: each worker is a separate Python process that forks a
confined child per program (see `_worker.py`). One supervising thread per worker feeds it tasks
from a queue shared by every `run` call, dearest first; a watchdog kills and replaces a worker
that stops answering, so a batch always finishes. As root, each backend reserves a block of uids
(one per worker) so that it can kill whatever its programs leave behind, and nothing else.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from typing import Sequence

from codesieve.errors import SandboxError
from codesieve.execution.interface import OnDone, Task, register_backend
from codesieve.execution.wire import failed_twice

log = logging.getLogger(__name__)

WORKER_SCRIPT = os.path.join(os.path.dirname(__file__), "_worker.py")
BASE_UID = 200_000  # as root, programs run under uids of a block reserved from here on
UID_BLOCK = 64  # uids per backend: one per worker slot
UID_LOCKS = "/tmp/codesieve-uid-locks"
_STOP = (float("inf"), 0, None, None)  # sorts after every queued task: close lets them finish


class LocalBackend:
    """`workers` sandbox workers (default: one per core), started at the first `run`."""

    def __init__(self, workers: int | None = None):
        self._workers = max(1, workers or os.cpu_count() or 1)
        self.capabilities: dict | None = None
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()  # ties in cost keep submission order
        self._threads: list[threading.Thread] = []
        self._procs: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._uid_lock, self.base_uid = _reserve_uid_block() if os.geteuid() == 0 else (None, None)

    @property
    def workers(self) -> int:
        return self._workers

    def run(self, tasks: Sequence[Task], on_done: OnDone) -> None:
        if self._closed:
            raise SandboxError("this executor backend is closed; create a new one")
        if not tasks:
            return
        self._start()
        left = [len(tasks)]
        all_done = threading.Event()
        lock = threading.Lock()

        def done(task: Task, raw: dict) -> None:
            try:
                on_done(task, raw)
            finally:
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        all_done.set()

        for task in tasks:
            self._queue.put((-task.cost, next(self._order), task, done))
        all_done.wait()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._queue.put(_STOP)
        for t in self._threads:
            t.join(timeout=10)
        with self._lock:
            for proc in list(self._procs.values()):
                _kill_worker(proc)
            self._procs.clear()
        if self._uid_lock is not None:
            for slot in range(self._workers):  # anything a killed worker's children left behind
                _kill_uid_processes(self._uid(slot))
            os.close(self._uid_lock)
            self._uid_lock = None

    def __del__(self) -> None:  # best effort: workers also die with us (PR_SET_PDEATHSIG)
        try:
            self.close()
        except Exception:
            pass

    # -------------------------------------------------------------- workers

    def _start(self) -> None:
        with self._lock:
            if self._threads:
                return
            for slot in range(self._workers):
                t = threading.Thread(target=self._serve, args=(slot,), name=f"codesieve-exec-{slot}", daemon=True)
                t.start()
                self._threads.append(t)

    def _uid(self, slot: int) -> str:
        return "-" if self.base_uid is None else str(self.base_uid + slot)

    def _spawn(self, slot: int) -> subprocess.Popen:
        uid = self._uid(slot)
        _kill_uid_processes(uid)
        # -I's isolation (-E -P -s) with a fixed hash seed, which -E would ignore: the environment
        # is given whole instead. Set iteration order, and so a program's output, is then the same
        # in every run, so cached results and the prompts built from them repeat.
        proc = subprocess.Popen([sys.executable, "-P", "-s", WORKER_SCRIPT, str(slot), uid],
                                env={"PYTHONHASHSEED": "0"}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                bufsize=0)
        hello = _recv(proc, deadline=time.monotonic() + 30)
        if not hello or "hello" not in hello:
            _kill_worker(proc)
            raise SandboxError(f"sandbox worker {slot} did not start (python: {sys.executable})")
        caps = hello["hello"]
        with self._lock:
            self._procs[slot] = proc
            if self.capabilities is None:
                self.capabilities = caps
                if not caps.get("net"):
                    log.warning("sandbox: network isolation unavailable (%s); programs can reach the "
                                "network and processes are bounded only by time limits", caps.get("why"))
                elif not caps.get("fs"):
                    log.warning("sandbox: private /tmp unavailable; programs may write to shared /tmp")
        return proc

    def _serve(self, slot: int) -> None:
        proc: subprocess.Popen | None = None
        held: set[str] = set()  # test sets the worker process was sent (it may have let some go)
        seq = 0
        while True:
            _, _, task, done = self._queue.get()
            if task is None:
                return
            raw = None
            for attempt in range(2):
                try:
                    if proc is None or proc.poll() is not None:
                        proc = self._spawn(slot)
                        held = set()
                    seq += 1
                    raw = _call(proc, seq, _body(task, seq, task.tests_key not in held), task.watchdog_s)
                    if raw.get("need_tests"):  # the worker let that test set go
                        seq += 1
                        raw = _call(proc, seq, _body(task, seq, True), task.watchdog_s)
                    held.add(task.tests_key)
                    break
                except (SandboxError, OSError, ValueError) as exc:
                    log.warning("sandbox worker %d failed (%s); restarting it", slot, exc)
                    if proc is not None:
                        _kill_worker(proc)
                        _kill_uid_processes(self._uid(slot))
                    proc = None
            if raw is None:
                raw = failed_twice()
            raw.pop("id", None)
            try:
                done(task, raw)
            except Exception:  # a caller's callback must not take a worker thread down
                log.exception("executor result callback failed")


@register_backend("local")
def _local(arg: str | None, workers: int | None) -> LocalBackend:
    if arg:
        raise SandboxError(f"the local backend takes no argument (got {arg!r}); use --workers for its size")
    return LocalBackend(workers)


# ------------------------------------------------------------------ the worker pipe protocol


def _body(task: Task, seq: int, with_tests: bool) -> bytes:
    """The task as the worker reads it. Test sets travel once per worker, which keeps them decoded:
    sending and decoding a thousand tests costs more than forking and running a program."""
    tests = f',"tests_bytes":{len(task.tests)},"tests":{task.tests}' if with_tests else ""
    return f'{{"id":{seq},{task.head[1:-1]},"tests_key":"{task.tests_key}"{tests}}}'.encode()


def _call(proc: subprocess.Popen, seq: int, body: bytes, timeout: float) -> dict:
    proc.stdin.write(struct.pack("<I", len(body)) + body)
    reply = _recv(proc, deadline=time.monotonic() + timeout)
    if reply is None:
        raise SandboxError("worker stopped answering (watchdog)")
    if reply.get("id") != seq:
        raise SandboxError("worker protocol out of step")
    return reply


def _recv(proc: subprocess.Popen, deadline: float) -> dict | None:
    fd = proc.stdout.fileno()
    head = _read(fd, 4, deadline)
    if head is None:
        return None
    body = _read(fd, struct.unpack("<I", head)[0], deadline)
    return None if body is None else json.loads(body)


def _read(fd: int, n: int, deadline: float) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, n - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _reserve_uid_block() -> tuple[int, int]:
    """Reserve uids no other live backend uses, so one can never signal another's programs.

    A block is held by an flock on its lock file for as long as the backend lives; the kernel
    drops the lock if this process dies, so blocks never leak.
    """
    import fcntl

    os.makedirs(UID_LOCKS, mode=0o700, exist_ok=True)
    for block in range(4096):
        fd = os.open(os.path.join(UID_LOCKS, f"{block}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return fd, BASE_UID + block * UID_BLOCK
    raise SandboxError(f"no free sandbox uid block: 4096 executors are running (locks in {UID_LOCKS})")


def _kill_worker(proc: subprocess.Popen) -> None:
    try:
        proc.kill()
        proc.wait(timeout=5)
    except Exception:
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()
        except Exception:
            pass


def _kill_uid_processes(uid: str) -> None:
    """Kill whatever a dead worker's children left running under their dropped uid."""
    if uid == "-":
        return
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                for line in fh:
                    if line.startswith("Uid:"):
                        if line.split()[1] == uid:
                            os.kill(int(entry), 9)
                        break
        except OSError:
            continue
