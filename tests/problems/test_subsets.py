"""The dev/test split, defined once: what each side holds, that they never meet, and that the dev
benchmark (bench/sstar_accuracy.py) runs exactly dev by default. Compared by ids, so no expected
output is computed."""


import pytest

from codesieve.errors import ConfigError
from codesieve.problems import codecontests, mbppplus, problem_subset
from codesieve.problems.subsets import split_ids, split_problems, subset_ids
from tests.bench_scripts import bench_module



def test_dev_and_test_cover_each_benchmark_without_meeting():
    mbpp = sorted(p.id for p in mbppplus.read(mbppplus.DEFAULT_PATH))
    private = [p.id for p in codecontests.read(codecontests.DEFAULT_PATH) if not codecontests.grades_on_public_tests(p)]
    dev, test = split_ids("mbpp+", "dev"), split_ids("mbpp+", "test")
    assert (len(dev), len(test)) == (100, 278) and not set(dev) & set(test) and sorted(dev + test) == mbpp
    assert dev == subset_ids("mbpp+", 100, seed=0)  # the seeded 100 the dev runs always used
    dev, test = split_ids("codecontests", "dev"), split_ids("codecontests", "test")
    assert dev == private[:40] and test == private[40:] and len(test) >= 40
    assert len(split_ids("humaneval+", "dev")) == 164 and split_ids("humaneval+", "test") == []


def test_the_dev_benchmark_runs_the_dev_split_by_default():
    sstar_accuracy = bench_module("sstar_accuracy")
    args = sstar_accuracy.parser().parse_args([])
    for benchmark in ("humaneval+", "mbpp+", "codecontests"):
        assert sstar_accuracy.benchmark_ids(args, benchmark) == split_ids(benchmark, "dev")
    changed = sstar_accuracy.parser().parse_args(["--mbpp", "20"])
    assert len(sstar_accuracy.benchmark_ids(changed, "mbpp+")) == 20


def test_loading_a_split_loads_its_ids():
    # CodeContests runs no reference solution: loading is reading
    assert [p.id for p in split_problems("codecontests", "test")] == split_ids("codecontests", "test")
    assert [p.id for p in problem_subset("codecontests", 3)] == split_ids("codecontests", "dev")[:3]


def test_unknown_splits_and_benchmarks_are_refused():
    with pytest.raises(ConfigError, match="unknown split"):
        split_ids("mbpp+", "train")
    with pytest.raises(ConfigError, match="no dev/test split"):
        split_ids("mbpp", "dev")
