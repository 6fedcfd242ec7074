from pathlib import Path

import pytest

from codesieve.execution import ExecutionCache, Executor
from codesieve.problems import load_benchmark
from codesieve.types import CallTest, Candidate, Problem, TaskKind
from codesieve.verify.pool import read_pool

POOL_PATH = Path(__file__).parent / "data" / "humaneval_mutants.jsonl.gz"


@pytest.fixture(scope="session")
def executor():
    """One warm pool for the session; no result cache, so every test really executes."""
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        yield ex


@pytest.fixture(scope="session")
def pool():
    return read_pool(POOL_PATH)


@pytest.fixture(scope="session")
def problems(pool, executor):
    """The HumanEval+ problems of the fixture pool, by id."""
    loaded = load_benchmark(pool.benchmark, ids=list(pool.by_problem()), executor=executor)
    return {p.id: p for p in loaded}


ADD = Problem(
    id="toy/add", prompt="add two numbers", kind=TaskKind.FUNCTION, entry_point="add",
    public_tests=(CallTest((1, 2), 3),),
    hidden_tests=(CallTest((1, 2), 3), CallTest((0, 0), 0), CallTest((-5, 2), -3), CallTest((10, 10), 20)),
)


def cands(problem: Problem, *programs: str, logprobs=None) -> tuple[Candidate, ...]:
    logprobs = logprobs or [None] * len(programs)
    return tuple(Candidate(problem.id, i, p, mean_logprob=lp) for i, (p, lp) in enumerate(zip(programs, logprobs)))
