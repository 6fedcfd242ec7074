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

Stdlib only, and no codesieve import: the codec and comparator are loaded from beside this file.
"""

from __future__ import annotations

import builtins
import collections
import ctypes
import errno
import gc
import io
import json
import linecache
import os
import resource
import select
import shutil
import signal
import struct
import sys
import time
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
import codec  # noqa: E402
import compare  # noqa: E402

sys.path.remove(_HERE)
for _name in ("codec", "compare"):  # keep them out of the programs' import namespace
    sys.modules[f"_codesieve_{_name}"] = sys.modules.pop(_name)

# Modules most programs import, loaded once here and shared by every forked child. Each one also
# makes every fork dearer (more pages to map and copy), so the list stays short.
for _mod in ("math", "re", "collections", "itertools", "functools", "heapq", "bisect", "string", "typing"):
    __import__(_mod)

_LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 0x4000, 0x40000
RESULT_FD = 3
DISPLAY_CHARS = 2000
VALUE_BYTES = 64 << 20  # a return value larger than this, encoded, is an output-limit failure
VIOLATION_ERRNOS = {errno.EPERM, errno.EACCES, errno.EROFS, errno.ENETUNREACH, errno.EAFNOSUPPORT,
                    errno.EHOSTUNREACH}


class CpuTimeout(BaseException):
    """Raised in the child when a test's CPU budget is spent."""


# ---------------------------------------------------------------- framing


def send(fd: int, obj: object) -> None:
    data = json.dumps(obj, separators=(",", ":")).encode()
    view = memoryview(struct.pack("<I", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def recv(fd: int) -> object | None:
    head = _read_exact(fd, 4)
    if head is None:
        return None
    body = _read_exact(fd, struct.unpack("<I", head)[0])
    return None if body is None else json.loads(body)


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- worker set-up


def isolate(uid: int | None) -> dict:
    """Enter private network and mount namespaces (root only). Returns what was achieved."""
    caps = {"uid": uid, "net": False, "fs": False, "why": ""}
    if os.geteuid() != 0:
        caps["why"] = "not root: no uid drop, no network namespace"
        return caps
    if _LIBC.unshare(CLONE_NEWNET | CLONE_NEWNS) != 0:
        caps["why"] = f"unshare failed: {os.strerror(ctypes.get_errno())}"
        return caps
    caps["net"] = True
    if _LIBC.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        caps["why"] = f"mount --make-rprivate failed: {os.strerror(ctypes.get_errno())}"
        return caps
    ok = True
    for path in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(path):
            ok &= _mount_tmpfs(path)
    caps["fs"] = ok and _expose_python(uid)
    return caps


def _mount_tmpfs(path: str) -> bool:
    return _LIBC.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                       b"size=256m,nr_inodes=65536,mode=0755") == 0


def _expose_python(uid: int | None) -> bool:
    """Let the dropped uid import the interpreter's modules when they live under a private
    directory (pyenv under a 0700 /root): cover that directory with an empty tmpfs and bind
    back only the interpreter's own paths. Everything else in it stays hidden."""
    MS_BIND = 4096
    MNT_DETACH = 2
    needed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, *sys.path) if p and os.path.isdir(p)}
    blocked: dict[str, set[str]] = {}
    for path in needed:
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            ancestor = "/" + "/".join(parts[:depth])
            if not os.stat(ancestor).st_mode & 0o001:
                blocked.setdefault(ancestor, set()).add(parts[depth])
                break
    for n, (directory, children) in enumerate(sorted(blocked.items())):
        stash = f"/tmp/.stash{n}"
        os.mkdir(stash)
        keep = []
        for k, child in enumerate(sorted(children)):
            os.mkdir(f"{stash}/{k}")
            if _LIBC.mount(f"{directory}/{child}".encode(), f"{stash}/{k}".encode(), None, MS_BIND | MS_REC, None):
                return False
            keep.append((child, f"{stash}/{k}"))
        if not _mount_tmpfs(directory):
            return False
        for child, src in keep:
            os.mkdir(f"{directory}/{child}")
            if _LIBC.mount(src.encode(), f"{directory}/{child}".encode(), None, MS_BIND | MS_REC, None):
                return False
            _LIBC.umount2(src.encode(), MNT_DETACH)
        shutil.rmtree(stash, ignore_errors=True)
    return True


def job_root(caps: dict, slot: int) -> str:
    if caps["fs"]:
        return "/tmp"
    import tempfile

    root = tempfile.mkdtemp(prefix=f"codesieve-w{slot}-")
    os.chmod(root, 0o711)
    return root


# ---------------------------------------------------------------- child side


INT_MAX_STR_DIGITS = sys.get_int_max_str_digits()


def child_main(job: dict, tests: list, idxs: list[int], fds: dict, workdir: str, uid: int | None) -> None:
    os.setsid()
    sys.set_int_max_str_digits(INT_MAX_STR_DIGITS)  # programs see a standard interpreter
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.dup2(fds["stdin"], 0)
    os.dup2(fds["out"], 1)
    os.dup2(fds["err"], 2)
    os.dup2(fds["res"], RESULT_FD)
    os.closerange(RESULT_FD + 1, 65536)
    os.chdir(workdir)  # the environment was set once for the worker (see `main`)
    lim = job["limits"]
    cpu_soft = _cpu_budget(lim, len(idxs))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_soft, cpu_soft + 1))
    resource.setrlimit(resource.RLIMIT_AS, (lim["memory_mb"] << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["file_bytes"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if uid is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["processes"],) * 2)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                 encoding="utf-8", errors="replace")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
                                  encoding="utf-8", errors="replace")
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                                  encoding="utf-8", errors="replace", line_buffering=True)
    signal.signal(signal.SIGPROF, _on_cpu_timer)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    source = job["program"]
    linecache.cache["solution.py"] = (len(source), None, source.splitlines(True), "solution.py")
    if job["kind"] == "stdio":
        _run_stdio(source, lim["time_s"], idxs[0])
    else:
        _run_function(job, tests, idxs)


def _cpu_budget(lim: dict, n_tests: int) -> int:
    """Whole seconds of CPU the child may use (RLIMIT_CPU soft limit): every test plus loading."""
    return int(min(lim["total_time_s"], lim["time_s"] * (n_tests + 1))) + 1


def _on_cpu_timer(signum, frame):
    raise CpuTimeout()


def _emit(rec: dict) -> None:
    data = (json.dumps(rec, separators=(",", ":")) + "\n").encode()
    try:
        while data:
            data = data[os.write(RESULT_FD, data):]
    except OSError:
        os._exit(71)


def _classify(exc: BaseException) -> str:
    if isinstance(exc, CpuTimeout):
        return "timeout"
    if isinstance(exc, MemoryError):
        return "memory"
    if isinstance(exc, OSError):
        if exc.errno in (errno.EFBIG, errno.ENOSPC, errno.EDQUOT):
            return "output"
        if exc.errno in VIOLATION_ERRNOS or isinstance(exc, BlockingIOError) and exc.errno == errno.EAGAIN:
            return "violation"
    return "error"


def _error(exc: BaseException) -> list[str]:
    try:
        message = str(exc)[:500]
    except BaseException:
        message = "<unprintable>"
    try:  # only the innermost frames: a runaway recursion has millions
        frames = collections.deque(maxlen=8)
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename != __file__:  # the harness's own frames are noise
                frames.append((tb.tb_frame, tb.tb_lineno))
            tb = tb.tb_next
        lines = traceback.StackSummary.extract(frames).format()
        tail = ("".join(lines) + f"{type(exc).__name__}: {message}")[-1500:]
    except BaseException:
        tail = ""
    return [type(exc).__name__, message, tail]


def _timed(time_s: float, fn):
    """Run fn() under a CPU timer; returns (status, value, error, cpu_seconds)."""
    t0 = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, time_s)
    try:
        value = fn()
        status, err = "ok", None
    except BaseException as exc:  # the program's own failure, whatever it raised
        value, status, err = None, _classify(exc), exc
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return status, value, (_error(err) if err is not None else None), time.process_time() - t0


def _run_stdio(source: str, time_s: float, idx: int) -> None:
    def run():
        code = compile(source, "solution.py", "exec")
        try:
            exec(code, {"__name__": "__main__", "__builtins__": builtins})
        except SystemExit as exc:
            if exc.code not in (None, 0):
                raise
        sys.stdout.flush()

    status, _, err, cpu = _timed(time_s, run)
    _emit({"i": idx, "s": status, "e": err, "t": cpu})


def _run_function(job: dict, tests: list, idxs: list[int]) -> None:
    g = {"__name__": "__solution__", "__builtins__": builtins}
    time_s = job["limits"]["time_s"]
    status, _, err, cpu = _timed(time_s, lambda: exec(compile(job["program"], "solution.py", "exec"), g))
    if status != "ok":
        _emit({"i": idxs[0], "s": status, "e": err, "t": cpu, "load": True})
        return
    entry = job.get("entry")
    fn = None
    if entry and any(t["t"] == "call" for t in (tests[i] for i in idxs)):
        status, fn, err, cpu = _timed(time_s, lambda: _resolve(g, entry))
        if status != "ok":
            _emit({"i": idxs[0], "s": status, "e": err, "t": cpu, "load": True})
            return
    cmp, stop, probe = job["cmp"], job["stop"], job["probe"]
    for i in idxs:
        test = tests[i]
        if test["t"] == "call":
            status, value, err, cpu = _timed(time_s, lambda: fn(*test["args"]))
        else:
            status, value, err, cpu = _timed(time_s, lambda: exec(test["code"], g))
        rec = {"i": i, "s": status, "e": err, "t": cpu}
        if status == "ok" and test["t"] == "call":
            try:
                rec["val"] = codec.encode(value)
                if len(json.dumps(rec["val"])) > VALUE_BYTES:
                    rec = {"i": i, "s": "output", "e": ["OutputLimit", "return value too large", ""], "t": cpu}
            except BaseException as exc:
                rec = {"i": i, "s": "error", "e": _error(exc), "t": cpu}
        _emit(rec)
        if stop and (status != "ok" or (not probe and test["t"] == "call" and "val" in rec
                                       and not _matches(test["exp"], codec.decode(rec["val"]), cmp))):
            return


def _resolve(g: dict, entry: str):
    if "." in entry:
        cls, method = entry.split(".", 1)
        if cls not in g:
            raise NameError(f"class {cls!r} is not defined by the program")
        return getattr(g[cls](), method)
    if entry not in g:
        raise NameError(f"function {entry!r} is not defined by the program")
    return g[entry]


def _matches(expected, actual, cmp: dict) -> bool:
    return compare.values_match(expected, actual, cmp["atol"], cmp["rtol"], cmp["seq"])


# ---------------------------------------------------------------- worker side of one run


def run_child(job: dict, tests: list, idxs: list[int], root: str, uid: int | None) -> list[dict]:
    """Fork a confined child for tests `idxs`, supervise it, and return one record per index."""
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
            child_main(job, tests, idxs, {"stdin": stdin_fd, "out": out_w, "err": err_w, "res": res_w},
                       workdir, uid)
        except BaseException:
            pass
        finally:
            try:
                sys.stdout.flush()
            except BaseException:
                pass
            os._exit(0)
    for fd in (stdin_fd, out_w, err_w, res_w):
        os.close(fd)
    reason, out, err, records, status = _supervise(pid, out_r, err_r, res_r, lim, len(idxs))
    leftovers = kill_leftovers()
    shutil.rmtree(workdir, ignore_errors=True)
    return _records_to_outcomes(job, tests, idxs, reason, out, err, records, status, leftovers)


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
    reason, exited, seen_records = None, False, 0
    while not exited:
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            reason = "wall"
            break
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
        n = res.count(b"\n")
        if n > seen_records:
            seen_records = n
            deadline = time.monotonic() + per_test_wall
    if reason:
        _kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    if reason is None and os.WIFSIGNALED(status) and usage.ru_utime + usage.ru_stime >= _cpu_budget(lim, n_tests):
        reason = "cpu"
    for fd, buf in ((out_r, out), (err_r, err), (res_r, res)):
        _drain(fd, buf)
        os.close(fd)
    os.close(pidfd)
    if len(out) > cap and reason is None:
        reason = "output"
    records = {}
    for line in bytes(res).splitlines():
        try:
            rec = json.loads(line)
            records[int(rec["i"])] = rec
        except (ValueError, KeyError, TypeError):
            continue  # garbage written on the result fd by the program itself
    return reason, bytes(out[:cap]), bytes(err[-4096:]), records, status


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


def kill_leftovers() -> int:
    """Kill every process still descending from this worker; returns how many were alive.

    The worker is a child subreaper, so anything a program left behind, daemonised or not,
    is by now a direct child of the worker or a descendant of one.
    """
    _reap_zombies()
    found = 0
    for _ in range(50):
        kids = _children()
        if not kids:
            return found
        found += len(kids)
        for kid in kids:
            for killer in (os.killpg, os.kill):
                try:
                    killer(kid, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.002)
        _reap_zombies()
    return found


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


_STATUS = {"timeout": "timeout", "memory": "memory_exceeded", "output": "output_limit",
           "violation": "sandbox_violation", "error": "runtime_error"}


def _records_to_outcomes(job, tests, idxs, reason, out, err, records, status, leftovers):
    outcomes, dead = [], False
    for i in idxs:
        rec = records.get(i)
        if dead or (rec is None and outcomes and outcomes[-1]["v"] not in ("passed", "ok")):
            outcomes.append({"v": "not_run"})
            continue
        if rec is None:
            outcomes.append(_death(reason, status, err))
            dead = True
            continue
        try:
            o = _outcome(job, tests[i], rec, out, reason)
        except Exception as exc:  # a record the program wrote itself, malformed on purpose or not
            o = {"v": "runtime_error", "e": ["HarnessError", f"unreadable result record: {exc!r}"[:300], ""]}
        dead = dead or bool(rec.get("load"))
        outcomes.append(o)
    if leftovers:
        last = max((k for k, o in enumerate(outcomes) if o["v"] != "not_run"), default=0)
        outcomes[last]["v"] = "sandbox_violation"
        outcomes[last]["e"] = ["LeftoverProcesses",
                               f"the program left {leftovers} process(es) running; they were killed", ""]
    return outcomes


def _outcome(job: dict, test: dict, rec: dict, out: bytes, reason: str | None) -> dict:
    """One test's outcome from the child's record (and, for stdio, its stdout)."""
    stdio, probe = job["kind"] == "stdio", job["probe"]
    o = {"t": round(float(rec.get("t", 0.0)), 6)}
    if rec.get("e"):
        o["e"] = [str(x)[:1500] for x in rec["e"]][:3]
    s = rec.get("s")
    if s != "ok":
        o["v"] = _STATUS.get(s, "runtime_error")
        if stdio:
            _attach_text(o, out)
    elif stdio:
        _attach_text(o, out)
        expected = test.get("out")
        o["v"] = "ok" if probe or expected is None else (
            "passed" if compare.stdio_match(expected, out.decode("utf-8", "replace")) else "wrong_answer")
        if reason == "output":
            o["v"] = "output_limit"
    elif test["t"] == "call":
        enc = rec["val"]
        value = codec.decode(enc)
        o["o"] = _short(repr(value))
        o["h"] = compare.fingerprint_value(enc)
        if probe:
            o["v"] = "ok"
            o["val"] = enc
        else:
            o["v"] = "passed" if _matches(test["exp"], value, job["cmp"]) else "wrong_answer"
    else:
        o["v"] = "passed"
    return o


def _attach_text(o: dict, out: bytes) -> None:
    text = out.decode("utf-8", "replace")
    o["o"] = _short(text)
    o["h"] = compare.fingerprint_text(text)


def _short(text: str) -> str:
    return text if len(text) <= DISPLAY_CHARS else text[:DISPLAY_CHARS] + f"... [{len(text)} chars]"


def _death(reason: str | None, status: int, err: bytes) -> dict:
    tail = err.decode("utf-8", "replace")[-1500:]
    if reason == "output":
        return {"v": "output_limit", "e": ["OutputLimit", "output exceeded the limit", ""]}
    if reason == "wall":
        return {"v": "timeout", "e": ["Timeout", "wall-clock limit exceeded (sleeping or blocked?)", ""]}
    if reason == "cpu":
        return {"v": "timeout", "e": ["Timeout", "CPU time limit exceeded", ""]}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return {"v": "output_limit", "e": ["OutputLimit", "file size limit exceeded", ""]}
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        hint = " (stack overflow or memory exhausted?)" if sig == signal.SIGSEGV else ""
        return {"v": "runtime_error", "e": ["Signal", f"killed by {name}{hint}", tail]}
    code = os.WEXITSTATUS(status)
    return {"v": "runtime_error", "e": ["Exit", f"the program exited with code {code} before finishing", tail]}


# ---------------------------------------------------------------- main loop


def run_job(job: dict, root: str, uid: int | None) -> dict:
    tests = job["tests"]
    for t in tests:
        if t["t"] == "call":
            t["args"] = codec.decode(t["args"])
            t["exp"] = codec.decode(t.get("exp"))
    groups = [[i] for i in range(len(tests))] if job["kind"] == "stdio" else [list(range(len(tests)))]
    if not tests:
        groups = []
    outcomes, failed = [], False
    t0 = time.monotonic()
    for idxs in groups:
        if failed and job["stop"]:
            outcomes.extend({"v": "not_run"} for _ in idxs)
            continue
        got = run_child(job, tests, idxs, root, uid)
        failed = failed or any(o["v"] not in ("passed", "ok") for o in got)
        outcomes.extend(got)
    return {"id": job["id"], "outcomes": outcomes, "wall": time.monotonic() - t0}


def main() -> None:
    slot, uid_arg = int(sys.argv[1]), sys.argv[2]
    uid = int(uid_arg) if uid_arg != "-" else None
    fd_in, fd_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1)
    sys.set_int_max_str_digits(0)  # the worker shows huge return values; children get the default back
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    caps = isolate(uid)
    root = job_root(caps, slot)
    workdir = os.path.join(root, "run")
    shutil.rmtree(workdir, ignore_errors=True)
    os.environ.clear()
    os.environ.update(HOME=workdir, TMPDIR=workdir, PATH="/usr/local/bin:/usr/bin:/bin",
                      OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                      PYTHONIOENCODING="utf-8", LANG="C.UTF-8")
    gc.collect()
    gc.freeze()  # children then never touch (copy) the worker's objects when they collect garbage
    send(fd_out, {"hello": caps})
    while True:
        job = recv(fd_in)
        if job is None:
            break
        send(fd_out, run_job(job, root, uid))


if __name__ == "__main__":
    main()
