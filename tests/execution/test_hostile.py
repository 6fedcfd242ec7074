"""Hostile programs are contained: each gets the right typed verdict, the executor and its workers
survive, and nothing is left running afterwards."""

import os
import time

import pytest

from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.types import CallTest, Limits, StdioTest, TaskKind, Verdict

from .conftest import descendants, processes_of_uids

FAST = Limits(time_s=1.0, total_time_s=5.0, memory_mb=512)
ROOT = os.geteuid() == 0


def stdio(program: str, stdin: str = "", expected: str | None = "ok\n", limits: Limits = FAST) -> Job:
    return Job(program, TaskKind.STDIO, (StdioTest(stdin, expected),), limits=limits)


def function(program: str, limits: Limits = FAST) -> Job:
    return Job(program, TaskKind.FUNCTION, (CallTest((1,), 1), CallTest((2,), 2)), entry_point="f",
               limits=limits, stop_on_fail=False)


HOSTILE = {
    "fork_bomb": (stdio("import os\nwhile True:\n    os.fork()\n"),
                  {Verdict.SANDBOX_VIOLATION} if ROOT else {Verdict.SANDBOX_VIOLATION, Verdict.TIMEOUT}),
    # bytes(n) is calloc-backed: the address-space limit trips without seconds of page faults first
    "memory_bomb": (stdio("x = []\nwhile True:\n    x.append(bytes(10**8))\n"), {Verdict.MEMORY_EXCEEDED}),
    "infinite_loop": (stdio("while True:\n    pass\n"), {Verdict.TIMEOUT}),
    "sleep_forever": (stdio("import time\ntime.sleep(10**6)\n"), {Verdict.TIMEOUT}),
    "infinite_stdout": (stdio("while True:\n    print('spam' * 100)\n"), {Verdict.OUTPUT_LIMIT}),
    "disk_fill": (stdio("with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * 2**20)\n"),
                  {Verdict.OUTPUT_LIMIT}),
    "socket_loopback": (stdio("import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=2)\n"),
                        {Verdict.SANDBOX_VIOLATION}),
    "socket_outside": (stdio("import socket\nsocket.create_connection(('93.184.216.34', 80), timeout=2)\n"),
                       {Verdict.SANDBOX_VIOLATION}),
    "kill_parent": (stdio("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('ok')\n"),
                    {Verdict.SANDBOX_VIOLATION}),
    "kill_parent_group": (stdio("import os, signal\nos.killpg(os.getpgid(os.getppid()), signal.SIGKILL)\n"),
                          {Verdict.SANDBOX_VIOLATION}),
    "kill_own_group": (stdio("import os, signal\nos.killpg(0, signal.SIGKILL)\n"), {Verdict.RUNTIME_ERROR}),
    # as its own uid it can only reach itself: nothing else dies, and it carries on
    "kill_everything": (stdio("import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n"
                              "    pass\nprint('ok')\n"), {Verdict.PASSED} if ROOT else {Verdict.RUNTIME_ERROR}),
    "write_outside_workdir": (stdio("open('/etc/codesieve-pwned', 'w').write('x')\n"),
                              {Verdict.SANDBOX_VIOLATION}),
    "write_shared_tmp": (stdio("open('/tmp/pwned', 'w').write('x')\n"), {Verdict.SANDBOX_VIOLATION}),
    "sys_exit_nonzero": (stdio("import sys\nsys.exit(3)\n"), {Verdict.RUNTIME_ERROR}),
    "os_exit_in_function": (function("import os\ndef f(x):\n    os._exit(0)\n"), {Verdict.RUNTIME_ERROR}),
    "sys_exit_in_function": (function("import sys\ndef f(x):\n    sys.exit(0)\n"), {Verdict.RUNTIME_ERROR}),
    "recursion_overflow": (function("def f(x):\n    return f(x)\n"), {Verdict.RUNTIME_ERROR}),
    "deep_recursion_segfault": (function("import sys\nsys.setrecursionlimit(10**8)\ndef f(x):\n    return f(x)\n"),
                                {Verdict.RUNTIME_ERROR, Verdict.MEMORY_EXCEEDED, Verdict.TIMEOUT}),
    "daemon_outlives_program": (stdio("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                                      "        time.sleep(1000)\n    os._exit(0)\nprint('ok')\n"),
                                {Verdict.SANDBOX_VIOLATION}),
    "huge_stdin_unread": (stdio("print('ok')\n", stdin="x" * (64 << 20)), {Verdict.PASSED}),
    "huge_stdin_read": (stdio("import sys\nprint(len(sys.stdin.read()))\n", stdin="y" * (64 << 20),
                              expected=f"{64 << 20}\n"), {Verdict.PASSED}),
    "catches_timeout": (stdio("while True:\n    try:\n        while True: pass\n    except BaseException: pass\n"),
                        {Verdict.TIMEOUT}),
}


@pytest.fixture(scope="module")
def hostile_results():
    """Run the whole hostile suite in one batch through a fresh executor, then close it."""
    jobs = [job for job, _ in HOSTILE.values()]
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        results = dict(zip(HOSTILE, ex.run(jobs)))
        sane = ex.run([stdio("print('ok')\n")])[0]
        pids = [p.pid for p in ex.backend._procs.values()]
        uids = range(ex.backend.base_uid, ex.backend.base_uid + ex.workers) if ex.backend.base_uid is not None else range(0)
    return results, sane, pids, uids


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_program_gets_its_verdict(hostile_results, name):
    results, *_ = hostile_results
    _, expected = HOSTILE[name]
    result = results[name]
    assert result.verdict in expected, (name, result)


def test_executor_survives_and_still_works(hostile_results):
    _, sane, *_ = hostile_results
    assert sane.verdict is Verdict.PASSED


def test_nothing_left_running(hostile_results):
    _, _, worker_pids, uids = hostile_results
    time.sleep(0.2)
    assert not set(worker_pids) & set(descendants(os.getpid()))
    assert processes_of_uids(uids) == []
    for pid in worker_pids:
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def test_no_files_written_outside():
    assert not os.path.exists("/etc/codesieve-pwned")
    assert not os.path.exists("/tmp/pwned")
