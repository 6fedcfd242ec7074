"""The child side of a run: confine this freshly forked process, then run the program's tests.

Everything here runs in the forked child, after which it `os._exit`s. Results go to the worker as
one JSON line per test on RESULT_FD. Imported by path from `_worker.py` (stdlib only).
"""

from __future__ import annotations

import builtins
import collections
import ctypes
import errno
import io
import json
import linecache
import os
import resource
import signal
import sys
import time
import traceback

import codec
import compare

_LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
RESULT_FD = 3
VALUE_BYTES = 64 << 20  # a return value larger than this, encoded, is an output-limit failure
VIOLATION_ERRNOS = {errno.EPERM, errno.EACCES, errno.EROFS, errno.ENETUNREACH, errno.EAFNOSUPPORT,
                    errno.EHOSTUNREACH}


class CpuTimeout(BaseException):
    """Raised in the child when a test's CPU budget is spent."""


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
    cpu_soft = cpu_budget(lim, len(idxs))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_soft, cpu_soft + 1))
    resource.setrlimit(resource.RLIMIT_AS, (_inherited_bytes() + (lim["memory_mb"] << 20),) * 2)
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


def _inherited_bytes() -> int:
    """Address space the child starts with (the worker's interpreter and the job's tests): the
    program's memory limit comes on top, so big test inputs do not starve it."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def cpu_budget(lim: dict, n_tests: int) -> int:
    """Whole seconds of CPU the child may use (RLIMIT_CPU soft limit): every test plus loading."""
    return int(min(lim["total_time_s"], lim["time_s"] * (n_tests + 1))) + 1


def _on_cpu_timer(signum, frame):
    raise CpuTimeout()


_matched: list[str] = []  # grading: match records not written yet
_flushed_at = 0.0
FLUSH_S = 0.02  # matches are written at least this often, so the worker sees the program progress


def _emit(rec: dict) -> None:
    """Write a record now, after the matches held back (the worker reads them in order)."""
    _write("".join(_matched) + json.dumps(rec, separators=(",", ":")) + "\n")
    _matched.clear()


def _emit_match(i: int, cpu: float) -> None:
    """A test whose value equals the expected one: written with others, one system call for many
    (a write per test woke the worker a thousand times for a thousand-test suite)."""
    global _flushed_at
    _matched.append(f'{{"i":{i},"s":"ok","t":{cpu!r},"m":1}}\n')
    now = time.monotonic()
    if len(_matched) >= 256 or now - _flushed_at >= FLUSH_S:
        flush_matches()
        _flushed_at = now


def flush_matches() -> None:
    if _matched:
        _write("".join(_matched))
        _matched.clear()


def _write(text: str) -> None:
    data = memoryview(text.encode())
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


# The harness's folder (this module, codec, compare). Its frames are left out of a program's
# traceback: they say nothing about the program, and their paths and line numbers would make the
# debug feedback, and so a stored run's requests, depend on where and which codesieve is installed.
_HARNESS = os.path.dirname(os.path.abspath(__file__))


def _error(exc: BaseException) -> list[str]:
    try:
        message = str(exc)[:500]
    except BaseException:
        message = "<unprintable>"
    try:  # only the innermost frames: a runaway recursion has millions
        frames = collections.deque(maxlen=8)
        tb = exc.__traceback__
        while tb is not None:
            if os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) != _HARNESS:  # noise, see above
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
        code = compile(source, "solution.py", "exec", dont_inherit=True)
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
    status, _, err, cpu = _timed(time_s, lambda: exec(compile(job["program"], "solution.py", "exec", dont_inherit=True), g))
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
    grading = stop and not probe  # only verdicts matter: a value equal to the expected one is not sent
    for i in idxs:
        test = tests[i]
        if test["t"] == "call":
            status, value, err, cpu = _timed(time_s, lambda: fn(*test["args"]))
        else:
            status, value, err, cpu = _timed(time_s, lambda: exec(compile(test["code"], "test.py", "exec", dont_inherit=True), g))
        rec = {"i": i, "s": status, "e": err, "t": cpu}
        if status == "ok" and test["t"] == "call":
            try:
                enc = codec.encode(value)
                text = codec.canonical(enc)
                if len(text) > VALUE_BYTES:
                    rec = {"i": i, "s": "output", "e": ["OutputLimit", "return value too large", ""], "t": cpu}
                elif grading and text == test.get("expj"):
                    _emit_match(i, cpu)
                    continue
                else:
                    rec["val"] = enc
            except BaseException as exc:
                rec = {"i": i, "s": "error", "e": _error(exc), "t": cpu}
        _emit(rec)
        if stop and (status != "ok" or (not probe and test["t"] == "call" and "val" in rec
                                       and not matches(test["exp"], codec.decode(rec["val"]), cmp))):
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


def matches(expected, actual, cmp: dict) -> bool:
    return compare.values_match(expected, actual, cmp["atol"], cmp["rtol"], cmp["seq"])

