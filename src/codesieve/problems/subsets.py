"""The fixed problem sets benchmarks and pools share, so pools and S* results cover the same problems.

MBPP+ is sampled by seed from its sorted ids before loading, so expected outputs are computed only
for the problems used; CodeContests keeps the first problems graded on private tests; any other
benchmark its first `count` problems.
"""

from __future__ import annotations

import random
from typing import Any

from codesieve.problems import mbppplus
from codesieve.problems._registry import load_benchmark
from codesieve.problems.codecontests import grades_on_public_tests
from codesieve.types import Problem


def problem_subset(benchmark: str, count: int | None = None, seed: int = 0, executor: Any = None) -> list[Problem]:
    """`count` problems of `benchmark` (all when None): a seeded sample for MBPP+, else the first."""
    if benchmark == "mbpp+":
        ids = sorted(p.id for p in mbppplus.read(mbppplus.DEFAULT_PATH))
        picked = set(random.Random(seed).sample(ids, min(count or len(ids), len(ids))))
        return load_benchmark(benchmark, ids=[i for i in ids if i in picked], executor=executor)
    if benchmark == "codecontests":
        private = [p for p in load_benchmark(benchmark, executor=executor) if not grades_on_public_tests(p)]
        return private[:count] if count is not None else private
    return load_benchmark(benchmark, limit=count, executor=executor)
