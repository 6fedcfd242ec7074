"""Sandbox worker: a warm process that forks one fresh, confined child per program run.

Started by `codesieve.execution.executor` as `python -I _worker.py SLOT UID`; it speaks
length-prefixed JSON on its stdin/stdout. Starting a Python per program costs ~40 ms; forking
this already-warm process costs ~1 ms, which is where the executor's throughput comes from.

Confinement of each child (see docs/sandbox.md for what it does *not* stop):
- its own session, killed with the worker (PR_SET_PDEATHSIG), and the worker is a child
  subreaper, so daemonised grandchildren come back to it and are killed after every run;
- RLIMIT_CPU (CPU time, so verdicts don't change on a busy machine) plus a per-test CPU timer
  and a wall-clock guard for programs that sleep; RLIMIT_AS, RLIMIT_FSIZE, no core files;
- as root: a dropped uid per worker, so RLIMIT_NPROC bounds fork bombs and the program cannot
  signal codesieve or write outside its private directory; a network namespace with no
  interfaces up; private root-owned tmpfs over /tmp, /var/tmp and /dev/shm;
- stdout/stderr through pipes with a size cap; stdin from an in-memory file.

Stdlib only, and no codesieve import: `_sandbox` (set-up), `_child` (the child side),
`_outcomes` (records to verdicts), the codec and the comparator are loaded by path from beside
this file.
"""

from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import _child  # noqa: E402
import _outcomes  # noqa: E402
import _sandbox  # noqa: E402
import codec  # noqa: E402
import proc  # noqa: E402

sys.path.remove(_HERE)
for _name in ("codec", "compare", "_child", "_outcomes", "_sandbox"):  # out of the programs' import namespace
    sys.modules[f"_codesieve{_name}"] = sys.modules.pop(_name)

# Modules most programs import, loaded once here and shared by every forked child. Each one also
# makes every fork dearer (more pages to map and copy), so the list stays short.
for _mod in ("math", "re", "collections", "itertools", "functools", "heapq", "bisect", "string", "typing"):
    __import__(_mod)

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
RESULT_BYTES = 4 * _child.VALUE_BYTES  # result records of one run, at most


# ---------------------------------------------------------------- worker side of one run


def run_child(job: dict, tests: list, idxs: list[int], root: str, uid: int | None) -> tuple[list[dict], float]:
    """Fork a confined child for tests `idxs`, supervise it; one outcome per index, and the
    child's CPU seconds."""
    lim = job["limits"]
    workdir = os.path.join(root, "run")  # one path, so HOME and TMPDIR are set once per worker
    shutil.rmtree(workdir, ignore_errors=True)
    os.mkdir(workdir, 0o700)
    if uid is not None:
        os.chown(workdir, uid, uid)
    stdin_fd = os.memfd_create("stdin")
    if job["kind"] == "stdio":
        data = tests[idxs[0]]["in"].encode()
        view = memoryview(data)
        while view:
            view = view[os.write(stdin_fd, view):]
        os.lseek(stdin_fd, 0, os.SEEK_SET)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    res_r, res_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            _child.child_main(job, tests, idxs, {"stdin": stdin_fd, "out": out_w, "err": err_w, "res": res_w},
                       workdir, uid)
        except BaseException:
            pass
        finally:
            try:
                _child.flush_matches()
                sys.stdout.flush()
            except BaseException:
                pass
            os._exit(0)
    for fd in (stdin_fd, out_w, err_w, res_w):
        os.close(fd)
    reason, out, err, records, status, cpu = _supervise(pid, out_r, err_r, res_r, lim, len(idxs))
    leftovers = kill_leftovers(uid)
    shutil.rmtree(workdir, ignore_errors=True)
    return _outcomes.from_records(job, tests, idxs, reason, out, err, records, status, leftovers), cpu


def _supervise(pid, out_r, err_r, res_r, lim, n_tests):
    """Pump the child's pipes until it exits; enforce the output cap and the wall-clock guard."""
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    for fd in (out_r, err_r, res_r, pidfd):
        os.set_blocking(fd, False)
        poller.register(fd, select.POLLIN)
    out, err, res = bytearray(), bytearray(), bytearray()
    cap = lim["output_bytes"]
    per_test_wall = 3 * lim["time_s"] + 1.0
    deadline = time.monotonic() + per_test_wall * 2  # loading plus the first test
    reason, exited, seen_bytes, cpu_seen = None, False, 0, 0.0
    while not exited:
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            cpu = proc.cpu_seconds(pid)
            if cpu - cpu_seen < 0.1 * per_test_wall:  # not computing: sleeping or blocked
                reason = "wall"
                break
            # Computing, only slowly on a busy machine: CPU limits decide, so verdicts do not
            # depend on the load; RLIMIT_CPU ends it if the CPU timer cannot.
            cpu_seen, deadline = cpu, time.monotonic() + per_test_wall
            continue
        for fd, _ in poller.poll(timeout * 1000):
            if fd == pidfd:
                exited = True
                continue
            buf = out if fd == out_r else err if fd == err_r else res
            if _drain(fd, buf):
                poller.unregister(fd)  # EOF: a closed pipe would otherwise wake poll() forever
            if fd == err_r and len(err) > 65536:
                del err[:-16384]
        if len(out) > cap:
            reason = "output"
            break
        if len(res) > seen_bytes:  # a record (possibly a large one) is arriving: the test is not stuck
            seen_bytes = len(res)
            deadline = time.monotonic() + per_test_wall
            if seen_bytes > RESULT_BYTES:
                reason = "output"
                break
    if reason:
        _kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    if reason is None and os.WIFSIGNALED(status) and cpu >= _child.cpu_budget(lim, n_tests):
        reason = "cpu"
    for fd, buf in ((out_r, out), (err_r, err), (res_r, res)):
        _drain(fd, buf)
        os.close(fd)
    os.close(pidfd)
    if len(out) > cap and reason is None:
        reason = "output"
    return reason, bytes(out[:cap]), bytes(err[-4096:]), _records(bytes(res)), status, cpu


def _records(res: bytes) -> dict[int, dict]:
    """The child's result records by test index: parsed in one go (a thousand-test suite sends a
    thousand lines), line by line if the program wrote garbage of its own on the result fd."""
    lines = res.splitlines()
    try:
        parsed = json.loads(b"[" + b",".join(lines) + b"]")
        return {int(rec["i"]): rec for rec in parsed}
    except (ValueError, KeyError, TypeError):
        pass
    records = {}
    for line in lines:
        try:
            rec = json.loads(line)
            records[int(rec["i"])] = rec
        except (ValueError, KeyError, TypeError):
            continue  # garbage written on the result fd by the program itself
    return records





def _drain(fd: int, buf: bytearray) -> bool:
    """Read what is available into buf; True once the pipe is at EOF (or broken)."""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return False
        except OSError:
            return True
        if not chunk:
            return True
        buf += chunk
        if len(buf) > (64 << 20):
            return False


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def kill_leftovers(uid: int | None) -> int:
    """Kill every process still descending from this worker; returns how many were alive.

    The worker is a child subreaper, so anything a program left behind, daemonised or not,
    is by now a direct child of the worker or a descendant of one. A fork bomb replaces what is
    killed one by one faster than it goes, so as root every process of the program's uid is
    killed at once first: `kill(-1)` from that uid, which the kernel does atomically with forks.
    """
    _reap_zombies()
    kids = _children()
    if not kids:
        return 0
    if uid is not None:
        _kill_all_of_uid(uid)
    found = set()
    for _ in range(50):
        found.update(kids)
        for kid in kids:
            for killer in (os.killpg, os.kill):
                try:
                    killer(kid, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.002)
        _reap_zombies()
        kids = _children()
        if not kids:
            break
    return len(found)


def _kill_all_of_uid(uid: int) -> None:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the helper child
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # every process of this uid but the caller
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _children() -> list[int]:
    me = os.getpid()
    try:
        with open(f"/proc/{me}/task/{me}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _reap_zombies() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# ---------------------------------------------------------------- main loop


_held: dict[str, tuple[list, int]] = {}  # decoded test sets by key, oldest first, with their JSON size
# Every forked child inherits the held sets and counts them against its address-space limit, and
# decoded tests take several times their JSON size: hold little (dozens of typical suites).
TESTS_HELD_BYTES = 8 << 20


def _tests(job: dict) -> list | None:
    """The job's decoded tests: sent with it, or held from an earlier job (None: ask for them)."""
    key = job["tests_key"]
    if "tests" not in job:
        held = _held.pop(key, None)
        if held is not None:
            _held[key] = held  # now the newest
        return None if held is None else held[0]
    tests = job["tests"]  # decoded as the job was read (codec.object_hook), with "expj" from the sender
    _held.pop(key, None)
    _held[key] = (tests, int(job["tests_bytes"]))
    while len(_held) > 1 and sum(size for _, size in _held.values()) > TESTS_HELD_BYTES:
        del _held[next(iter(_held))]  # the oldest first; the newest stays, however big: its problem's
        # other programs come next (a problem's jobs are queued together), and it is in memory anyway
    return tests


def run_job(job: dict, root: str, uid: int | None) -> dict:
    tests = _tests(job)
    if tests is None:
        return {"id": job["id"], "need_tests": True}
    groups = [[i] for i in range(len(tests))] if job["kind"] == "stdio" else [list(range(len(tests)))]
    if not tests:
        groups = []
    outcomes, failed, cpu = [], False, 0.0
    t0 = time.monotonic()
    for idxs in groups:
        if failed and job["stop"]:
            outcomes.extend({"v": "not_run"} for _ in idxs)
            continue
        got, used = run_child(job, tests, idxs, root, uid)
        cpu += used
        failed = failed or any(o["v"] not in ("passed", "ok") for o in got)
        outcomes.extend(got)
    while outcomes and outcomes[-1] == {"v": "not_run"}:  # the parent pads to "n" (a stop leaves many)
        outcomes.pop()
    return {"id": job["id"], "outcomes": outcomes, "n": len(tests), "wall": time.monotonic() - t0,
            "cpu": round(cpu, 6)}


def main() -> None:
    slot, uid_arg = int(sys.argv[1]), sys.argv[2]
    uid = int(uid_arg) if uid_arg != "-" else None
    fd_in, fd_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    _sandbox.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _sandbox.prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    caps = _sandbox.isolate(uid)
    root = _sandbox.job_root(caps, slot)
    workdir = os.path.join(root, "run")
    shutil.rmtree(workdir, ignore_errors=True)
    os.environ.clear()
    os.environ.update(HOME=workdir, TMPDIR=workdir, PATH="/usr/local/bin:/usr/bin:/bin",
                      OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                      PYTHONIOENCODING="utf-8", LANG="C.UTF-8")
    gc.collect()
    gc.freeze()  # children then never touch (copy) the worker's objects when they collect garbage
    _sandbox.send(fd_out, {"hello": caps})
    while True:
        job = _sandbox.recv(fd_in, codec.object_hook)
        if job is None:
            break
        _sandbox.send(fd_out, run_job(job, root, uid))


if __name__ == "__main__":
    main()

