"""A synthetic candidate pool for tests: real reference solutions, rewritten correct variants, and
mutated wrong ones (`codesieve.verify.program_mutants`), labelled by running every hidden test on
the real executor.

Build the committed fixture and the benchmark pool (from the repository root):

    .venv/bin/python -m tests.verify.synthetic_pool humaneval+ 12 8 tests/verify/data/humaneval_mutants.jsonl.gz
    .venv/bin/python -m tests.verify.synthetic_pool humaneval+ 164 16 tests/verify/data/humaneval_mutants_164x16.jsonl.gz

Log-probabilities are synthetic (drawn at random, slightly higher for correct variants), so the
pool exercises the machinery but says nothing about real generators.
"""

from __future__ import annotations

import random
import sys

from codesieve.execution import Executor, Job
from codesieve.types import Candidate, Problem
from codesieve.verify.pool import LabelledPool, PoolEntry, write_pool
from codesieve.verify.program_mutants import pool_variants

def make_pool(problems: list[Problem], per_problem: int, executor: Executor, seed: int = 0) -> LabelledPool:
    rng = random.Random(seed)
    candidates = []
    for problem in problems:
        for index, program in enumerate(pool_variants(problem.reference or "", problem.entry_point, per_problem, rng)):
            candidates.append(Candidate(problem.id, index, program, completion_tokens=len(program) // 4))
    by_id = {p.id: p for p in problems}
    results = executor.run([Job.for_problem(by_id[c.problem_id], c.program, by_id[c.problem_id].hidden_tests)
                            for c in candidates])
    entries = []
    for c, result in zip(candidates, results):
        logprob = rng.gauss(-0.25 if result.passed else -0.32, 0.08)
        c = Candidate(c.problem_id, c.index, c.program, mean_logprob=round(logprob, 4),
                      completion_tokens=c.completion_tokens)
        entries.append(PoolEntry(c, result.passed, result.verdict))
    benchmark = problems[0].benchmark if problems else ""
    meta = {"synthetic": "reference variants and mutants; logprobs are random", "seed": seed,
            "per_problem": per_problem}
    return LabelledPool(benchmark, tuple(entries), meta)


if __name__ == "__main__":
    from codesieve.problems import load_benchmark

    name, n_problems, per, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with Executor() as ex:
        loaded = load_benchmark(name, limit=n_problems, executor=ex)
        write_pool(out, make_pool(loaded, per, ex))
