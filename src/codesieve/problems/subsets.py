"""The fixed problem sets benchmarks and pools share, so pools and S* results cover the same problems,
and the dev/test split every reported number names (docs/sstar.md).

MBPP+ is sampled by seed from its sorted ids before loading, so expected outputs are computed only
for the problems used; CodeContests keeps the first problems graded on private tests; any other
benchmark its first `count` problems. The ids of HumanEval+, MBPP+ and CodeContests subsets are
read from the bundled files without running anything (`subset_ids`).

The split: every default and threshold is chosen on dev; test is run once per change of default
and never used to choose anything.
"""

from __future__ import annotations

import random
from typing import Any

from codesieve.errors import ConfigError
from codesieve.problems import codecontests, humanevalplus, mbppplus
from codesieve.problems._registry import load_benchmark
from codesieve.types import Problem

_BUNDLED = {"humaneval+": humanevalplus, "mbpp+": mbppplus, "codecontests": codecontests}
SPLITS = ("dev", "test")
# dev: how many of each benchmark's subset (`subset_ids`, seed SPLIT_SEED) it holds, None for all;
# test: the rest (MBPP+: the other 278; CodeContests: the 46 with private tests after the first 40)
DEV_COUNTS: dict[str, int | None] = {"humaneval+": None, "mbpp+": 100, "codecontests": 40}
SPLIT_SEED = 0


def subset_ids(benchmark: str, count: int | None = None, seed: int = 0) -> list[str]:
    """The ids `problem_subset(benchmark, count, seed)` loads (HumanEval+, MBPP+, CodeContests),
    read from the bundled file without running anything."""
    if benchmark not in _BUNDLED:
        raise ConfigError(f"no id-only subset of {benchmark!r}; one of {', '.join(_BUNDLED)}")
    module = _BUNDLED[benchmark]
    problems = module.read(module.DEFAULT_PATH)
    if benchmark == "mbpp+":
        ids = sorted(p.id for p in problems)
        picked = set(random.Random(seed).sample(ids, min(count or len(ids), len(ids))))
        return [i for i in ids if i in picked]
    if benchmark == "codecontests":
        problems = [p for p in problems if not codecontests.grades_on_public_tests(p)]
    ids = [p.id for p in problems]
    return ids[:count] if count is not None else ids


def problem_subset(benchmark: str, count: int | None = None, seed: int = 0, executor: Any = None) -> list[Problem]:
    """`count` problems of `benchmark` (all when None): a seeded sample for MBPP+, else the first."""
    if benchmark in _BUNDLED:
        return load_benchmark(benchmark, ids=subset_ids(benchmark, count, seed), executor=executor)
    return load_benchmark(benchmark, limit=count, executor=executor)


def split_ids(benchmark: str, split: str) -> list[str]:
    """The ids of `benchmark`'s problems in `split` ("dev" or "test"), read without running anything.
    HumanEval+ is all dev (its test split is empty)."""
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    if benchmark not in DEV_COUNTS:
        raise ConfigError(f"{benchmark!r} has no dev/test split; only {', '.join(DEV_COUNTS)} have")
    dev = subset_ids(benchmark, DEV_COUNTS[benchmark], SPLIT_SEED)
    if split == "dev":
        return dev
    taken = set(dev)
    return [i for i in subset_ids(benchmark) if i not in taken]


def split_problems(benchmark: str, split: str, executor: Any = None) -> list[Problem]:
    """`benchmark`'s problems in `split`, loaded (reference solutions run on `executor` where needed)."""
    return load_benchmark(benchmark, ids=split_ids(benchmark, split), executor=executor)
