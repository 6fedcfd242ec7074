"""The executor: runs jobs on a pool of warm sandbox workers, in parallel, with a result cache.

Every program codesieve runs (debugging, selection, verification, grading) goes through
`Executor.run`. Untrusted code never runs in this process: each worker is a separate Python
process that forks a confined child per program (see `_worker.py`). One supervising thread per
worker feeds it jobs from a shared queue; a watchdog kills and replaces a worker that stops
answering, so a batch always finishes.
"""

from __future__ import annotations

import asyncio
import hashlib
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
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

from codesieve.errors import SandboxError
from codesieve.execution import codec
from codesieve.execution.cache import ExecutionCache
from codesieve.execution.job import Job
from codesieve.types import AssertTest, CallTest, ErrorInfo, ExecResult, StdioTest, TestOutcome, Verdict

log = logging.getLogger(__name__)

HARNESS_VERSION = "6"  # bump when what an outcome holds changes: it invalidates cached results
WORKER_SCRIPT = os.path.join(os.path.dirname(__file__), "_worker.py")
BASE_UID = 200_000  # as root, programs run under uids of a block reserved from here on
UID_BLOCK = 64  # uids per executor: one per worker slot
UID_LOCKS = "/tmp/codesieve-uid-locks"
_STOP = object()


class Executor:
    """A pool of sandbox workers. Use as a context manager, or call `close()`.

    >>> with Executor() as ex:
    ...     results = ex.run([Job(program, TaskKind.STDIO, (StdioTest("1 2", "3"),))])
    """

    def __init__(self, workers: int | None = None, *, cache: ExecutionCache | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.cache = cache if cache is not None else ExecutionCache()
        self.capabilities: dict | None = None
        self._queue: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._procs: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self._tests_memo: dict[int, tuple[tuple, str]] = {}
        self._closed = False
        self._uid_lock, self.base_uid = _reserve_uid_block() if os.geteuid() == 0 else (None, None)

    # -------------------------------------------------------------- public API

    def run(self, jobs: Sequence[Job], on_result: Callable[[int, ExecResult], None] | None = None,
            ) -> list[ExecResult]:
        """Run `jobs` and return their results in order. `on_result(i, result)` reports progress
        (called from worker threads)."""
        if self._closed:
            raise SandboxError("this Executor is closed; create a new one")
        results: list[ExecResult | None] = [None] * len(jobs)
        by_key: dict[str, list[int]] = {}
        payloads: dict[str, _Payload] = {}
        for i, job in enumerate(jobs):
            payload = self._payload(job)
            key = payload.key
            hit = self.cache.get(key)
            if hit is not None:
                results[i] = _to_result(json.loads(hit), job, cached=True)
                if on_result:
                    on_result(i, results[i])
                continue
            by_key.setdefault(key, []).append(i)
            payloads[key] = payload
        if by_key:
            self._start()
            batch = _Batch(len(by_key))
            for key, idxs in by_key.items():
                self._queue.put((batch, key, payloads[key], jobs[idxs[0]], idxs))
            batch.wait()
            for key, idxs in by_key.items():
                raw = batch.raw[key]
                if raw.get("cacheable", True):
                    self.cache.put(key, json.dumps(raw, separators=(",", ":")))
                for i in idxs:
                    results[i] = _to_result(raw, jobs[i], cached=False)
                    if on_result:
                        on_result(i, results[i])
        return results  # type: ignore[return-value]

    async def run_async(self, jobs: Sequence[Job]) -> list[ExecResult]:
        """`run` without blocking the event loop (for the async pipeline)."""
        return await asyncio.to_thread(self.run, jobs)

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
            for slot in range(self.workers):  # anything a killed worker's children left behind
                _kill_uid_processes(self._uid(slot))
            os.close(self._uid_lock)
            self._uid_lock = None

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:  # best effort: workers also die with us (PR_SET_PDEATHSIG)
        try:
            self.close()
        except Exception:
            pass

    # -------------------------------------------------------------- internals

    def _payload(self, job: Job) -> "_Payload":
        memo = self._tests_memo.get(id(job.tests))
        if memo is None or memo[0] is not job.tests:
            text = json.dumps([_encode_test(t) for t in job.tests], separators=(",", ":"), sort_keys=True)
            memo = (job.tests, text, hashlib.sha256(text.encode()).hexdigest())
            if len(self._tests_memo) > 512:
                self._tests_memo.clear()
            self._tests_memo[id(job.tests)] = memo
        head = {
            "v": HARNESS_VERSION,
            "program": job.program,
            "kind": str(job.kind),
            "entry": job.entry_point,
            "limits": asdict(job.limits),
            "cmp": {"atol": job.comparison.atol, "rtol": job.comparison.rtol,
                    "seq": job.comparison.sequences_as_lists},
            "stop": job.stop_on_fail,
            "probe": job.probe,
        }
        return _Payload(json.dumps(head, separators=(",", ":"), sort_keys=True), memo[2], memo[1])

    def _start(self) -> None:
        with self._lock:
            if self._threads:
                return
            for slot in range(self.workers):
                t = threading.Thread(target=self._serve, args=(slot,), name=f"codesieve-exec-{slot}",
                                     daemon=True)
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
            item = self._queue.get()
            if item is _STOP:
                return
            batch, key, payload, job, _ = item
            raw = None
            for attempt in range(2):
                try:
                    if proc is None or proc.poll() is not None:
                        proc = self._spawn(slot)
                        held = set()
                    seq += 1
                    raw = _call(proc, seq, payload.body(seq, payload.tests_key not in held), _watchdog_seconds(job))
                    if raw.get("need_tests"):  # the worker let that test set go
                        seq += 1
                        raw = _call(proc, seq, payload.body(seq, True), _watchdog_seconds(job))
                    held.add(payload.tests_key)
                    break
                except (SandboxError, OSError, ValueError) as exc:
                    log.warning("sandbox worker %d failed (%s); restarting it", slot, exc)
                    if proc is not None:
                        _kill_worker(proc)
                        _kill_uid_processes(self._uid(slot))
                    proc = None
            if raw is None:
                raw = {"outcomes": [{"v": "runtime_error",
                                     "e": ["SandboxError", "the sandbox worker failed twice on this job", ""]}],
                       "wall": 0.0, "cacheable": False}
            batch.done(key, raw)


class _Batch:
    def __init__(self, n: int):
        self.raw: dict[str, dict] = {}
        self._left = n
        self._event = threading.Event()
        self._lock = threading.Lock()

    def done(self, key: str, raw: dict) -> None:
        with self._lock:
            self.raw[key] = raw
            self._left -= 1
            if self._left == 0:
                self._event.set()

    def wait(self) -> None:
        self._event.wait()


def _watchdog_seconds(job: Job) -> float:
    per_test = 3 * job.limits.time_s + 1.0
    return per_test * (len(job.tests) + 2) + 30.0


@dataclass(frozen=True)
class _Payload:
    """A job as the worker reads it. Test sets travel once per worker, which keeps them decoded:
    sending and decoding a thousand tests costs more than forking and running a program."""

    head: str  # the job's JSON object without its tests
    tests_key: str  # sha256 of `tests`
    tests: str  # JSON list of encoded tests

    @property
    def key(self) -> str:
        """The result-cache key: everything that decides the result."""
        return hashlib.sha256((self.head + self.tests_key).encode()).hexdigest()

    def body(self, seq: int, with_tests: bool) -> bytes:
        tests = f',"tests_bytes":{len(self.tests)},"tests":{self.tests}' if with_tests else ""
        return f'{{"id":{seq},{self.head[1:-1]},"tests_key":"{self.tests_key}"{tests}}}'.encode()


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
    """Reserve uids no other live executor uses, so one can never signal another's programs.

    A block is held by an flock on its lock file for as long as the executor lives; the kernel
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


# ------------------------------------------------------------------ wire format


def _encode_test(test) -> dict:
    if isinstance(test, StdioTest):
        return {"t": "stdio", "in": test.input, "out": test.output}
    if isinstance(test, CallTest):
        return {"t": "call", "args": codec.encode(tuple(test.args)), "exp": codec.encode(test.expected)}
    if isinstance(test, AssertTest):
        return {"t": "assert", "code": test.code}
    raise SandboxError(f"not a test: {test!r}")


_NOT_RUN = TestOutcome(Verdict.NOT_RUN)


def _to_result(raw: dict, job: Job, cached: bool) -> ExecResult:
    outcomes = []
    for o in raw["outcomes"]:
        err = o.get("e")
        outcomes.append(TestOutcome(
            verdict=Verdict(o["v"]),
            output=o.get("o", ""),
            output_hash=o.get("h", ""),
            error=ErrorInfo(*err) if err else None,
            time_s=o.get("t", 0.0),
            value=codec.decode(o["val"]) if "val" in o else None,
        ))
    outcomes += [_NOT_RUN] * (raw.get("n", len(outcomes)) - len(outcomes))
    verdict = Verdict.OK if job.probe else Verdict.PASSED
    for o in outcomes:
        if o.verdict not in (Verdict.PASSED, Verdict.OK, Verdict.NOT_RUN):
            verdict = o.verdict
            break
    return ExecResult(verdict=verdict, outcomes=tuple(outcomes), wall_s=raw.get("wall", 0.0), cached=cached)
