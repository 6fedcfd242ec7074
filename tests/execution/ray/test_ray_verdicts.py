"""The Ray backend gives the local backend's verdicts, on real programs and hostile ones, on a
real two-node cluster, and leaves nothing running on any node."""

import os

import pytest

from codesieve.execution import ExecutionCache, Executor
from codesieve.execution.ray_backend import RayBackend
from codesieve.grade import grade_samples
from codesieve.problems import load_benchmark
from codesieve.types import Verdict

from ..test_hostile import HOSTILE, stdio
from .conftest import ready_actors, wait_until_gone

pytestmark = pytest.mark.ray


def _grade(problems, samples, backend):
    with Executor(cache=ExecutionCache(max_memory_items=0), backend=backend) as ex:
        graded = grade_samples(problems, samples, ex)
    return [g.result.verdict for g in graded], sum(g.passed for g in graded) / len(graded)  # one sample a task


def test_humaneval_references_and_wrong_variants_match_the_local_backend(ray_cluster):
    problems = load_benchmark("humaneval")
    right = [{"task_id": p.id, "solution": p.reference} for p in problems]
    wrong = [{"task_id": p.id, "solution": p.completion_prefix + "    return None\n"} for p in problems]
    backend = RayBackend(ray_cluster.address)
    nodes = ready_actors(backend, 2)
    ray_right, ray_right_pass = _grade(problems, right, backend)  # the executor closes the backend
    local_right, _ = _grade(problems, right, "local")
    assert ray_right == local_right and ray_right_pass == 1.0
    backend = RayBackend(ray_cluster.address)
    ray_wrong, ray_wrong_pass = _grade(problems, wrong, backend)
    local_wrong, _ = _grade(problems, wrong, "local")
    assert ray_wrong == local_wrong and ray_wrong_pass == 0.0
    assert len(nodes) == 2 and len({n["node_id"] for n in nodes}) == 2
    assert wait_until_gone(nodes) == []  # the first backend's actors, closed with its executor


@pytest.fixture(scope="module")
def hostile_on_ray(ray_cluster):
    jobs = [job for job, _ in HOSTILE.values()]
    backend = RayBackend(ray_cluster.address)
    with Executor(cache=ExecutionCache(max_memory_items=0), backend=backend) as ex:
        results = dict(zip(HOSTILE, ex.run(jobs)))
        sane = ex.run([stdio("print('ok')\n")])[0]
        stats, nodes, caps = backend.stats(), ready_actors(backend, 2), backend.capabilities
    return results, sane, stats, nodes, caps


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_program_gets_its_verdict_on_ray(hostile_on_ray, name):
    results, *_ = hostile_on_ray
    assert results[name].verdict in HOSTILE[name][1], (name, results[name])


def test_hostile_programs_ran_on_both_nodes_with_the_whole_sandbox(hostile_on_ray):
    _, sane, stats, nodes, caps = hostile_on_ray
    assert sane.verdict is Verdict.PASSED
    assert len(stats.tasks_by_node) == 2 and stats.lost_runners == 0  # no program took a node down
    assert caps["net"] and caps["fs"]
    if os.geteuid() == 0:
        assert caps["uid"] is not None and all(n["base_uid"] is not None for n in nodes)


def test_nothing_left_running_on_any_node(hostile_on_ray):
    *_, nodes, _ = hostile_on_ray
    assert wait_until_gone(nodes) == []
    assert not os.path.exists("/etc/codesieve-pwned") and not os.path.exists("/tmp/pwned")
