"""`codesieve run --executor ray:ADDRESS` with the real small model: the driver is killed in the
middle of the run, run again, and the store ends with every problem once, as a local run's."""

import signal
import subprocess
import sys
import time

import pytest

from codesieve.store import RunStore

from ..conftest import descendants
from .conftest import sandbox_processes

pytestmark = pytest.mark.ray

RUN = ["--model", "smollm2-135m", "--limit", "2", "-n", "2", "--rounds", "1", "--max-tokens", "64",
       "--parallel", "2", "--concurrency", "1", "--strategy", "public-filter,zero-shot"]


def _codesieve(args: list[str]) -> subprocess.Popen:
    main = "import sys; from codesieve.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", main, "run", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
        except OSError:
            pass
    return alive


def _problems_done(store) -> list[str]:
    if not store.exists():
        return []
    try:
        with RunStore(store) as runs:
            return [r.problem_id for key, _ in runs.runs() for r in runs.problems(key)]
    except Exception:  # the run is creating its tables right now
        return []


@pytest.mark.timeout(1200)  # a real model on 2 shared cores
def test_run_on_ray_resumes_after_the_driver_is_killed(ray_cluster, tmp_path):
    store = tmp_path / "run.sqlite"
    args = [*RUN, "--store", str(store), "--executor", f"ray:{ray_cluster.address}"]
    driver = _codesieve(args)
    deadline = time.monotonic() + 900
    while not _problems_done(store) and driver.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert driver.poll() is None, driver.communicate()[0]  # still going: problems are left
    done_before = _problems_done(store)
    assert done_before == ["HumanEval/0"]
    pools = sandbox_processes(ray_cluster.address)
    pools += [p for pid in pools for p in descendants(pid)]
    assert pools  # the actors' sandbox workers, warm
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    # the driver owned the actors: Ray ends them, and their sandbox pools die with them
    deadline = time.monotonic() + 30
    while _alive(pools) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _alive(pools) == []

    resumed = _codesieve(args)
    out = resumed.communicate(timeout=900)[0]
    assert resumed.returncode == 0, out
    assert "accuracy" in out
    done = _problems_done(store)
    assert done == ["HumanEval/0", "HumanEval/1"]  # each once, the first kept from before the kill
