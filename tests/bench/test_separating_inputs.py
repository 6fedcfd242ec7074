"""bench/separating_inputs.py's mutant-count series, without the pools: each count's mutants are
the first k of the run's one seeded shuffle, and the table lists the default sets first."""

import argparse
import importlib.util
from pathlib import Path

import pytest

from codesieve.select.mutate import input_mutants
from codesieve.types import CallTest, Problem, TaskKind

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("separating_inputs", BENCH / "separating_inputs.py")
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:  # as `python bench/separating_inputs.py` runs it
        patch.syspath_prepend(str(BENCH))
        spec.loader.exec_module(module)
    return module


PROBLEM = Problem(id="t/series", prompt="def f(xs, s):\n    pass\n", kind=TaskKind.FUNCTION, entry_point="f",
                  public_tests=(CallTest(([1, 2, 3, 4], "abc")), CallTest(([5, 0], "x"))))


def test_each_count_adds_inputs_to_the_smaller_ones(script):
    sets = script.input_sets(PROBLEM, ["def f(xs, s):\n    return len(xs)\n"], (2, 4, 64))
    assert sets["2 mutants"] == sets["4 mutants"][:2] == input_mutants(PROBLEM, 2)
    assert sets["64 mutants"][:4] == sets["4 mutants"]
    assert sets["64 mutants"] == input_mutants(PROBLEM, 64)  # fewer possible: all of them
    for k in (2, 4, 64):
        with_edges = sets[f"{k} mutants + edge cases"]
        assert with_edges[:len(sets[f"{k} mutants"])] == sets[f"{k} mutants"]
        assert all(t in with_edges for t in sets["edge cases"])
    assert sets["mutants"] == input_mutants(PROBLEM, 32)  # the default rows are unchanged
    assert set(script.input_sets(PROBLEM, [])) == set(script.SETS)


def test_counts_are_parsed_sorted_and_positive(script):
    assert script.parse_counts("32,8, 16,8") == (8, 16, 32)
    assert script.parse_counts("") == ()
    with pytest.raises(argparse.ArgumentTypeError):
        script.parse_counts("8,0")


def test_table_lists_the_default_sets_then_the_series(script):
    counts = {"unseparated": 1, "one_group": 0, "largest_passes": 1, "mean_inputs": 2.0, "rejected": 0}
    entry = {"split": "dev", "problems": 3, "mixed": 1, **{name: counts for name in script.SETS},
             "mutant_counts": {str(k): {name: counts for name in script.series_names(k)} for k in (16, 8)}}
    rows = script.table_rows({"humaneval+": entry})  # keys as the JSON sorts them: "16" before "8"
    assert [r[4] for r in rows] == ["mutants", "edge cases", "both", "8 mutants", "8 mutants + edge cases",
                                    "16 mutants", "16 mutants + edge cases"]
    assert rows[0] == ["humaneval+", "dev", 3, 1, "mutants", "2.0", 0, 1, 0, 1]
