"""Benchmark loaders: each turns a dataset file into `Problem`s with public and hidden tests.

    from codesieve.problems import load_benchmark
    problems = load_benchmark("humaneval+", limit=10)

Bundled data (HumanEval+, MBPP+, MBPP, CodeContests) and its licences: data/NOTICE.md.
"""

from codesieve.problems._registry import BENCHMARKS, load_benchmark
from codesieve.problems.codecontests import grades_on_public_tests
from codesieve.problems.jsonl import write_problems_jsonl
from codesieve.problems.subsets import problem_subset

__all__ = ["BENCHMARKS", "grades_on_public_tests", "load_benchmark", "problem_subset", "write_problems_jsonl"]
