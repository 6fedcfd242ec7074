import gzip

import pytest

import codesieve.problems as problems_pkg
from codesieve.errors import ConfigError, ProblemError
from codesieve.problems import BENCHMARKS, load_benchmark
from codesieve.problems._files import DATA_DIR
from tests.problems.conftest import FakeExecutor, NoExecutor


def test_exported_members_are_sorted_and_present():
    assert problems_pkg.__all__ == sorted(problems_pkg.__all__)
    for name in problems_pkg.__all__:
        assert hasattr(problems_pkg, name)


def test_benchmark_names():
    assert set(BENCHMARKS) == {"humaneval", "humaneval+", "mbpp+", "mbpp", "codecontests", "livecodebench", "jsonl"}
    assert all(isinstance(d, str) and "\n" not in d for d in BENCHMARKS.values())


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ConfigError) as info:
        load_benchmark("humaneval-x")
    for name in [*BENCHMARKS, "humanevalplus", "mbppplus"]:
        assert name in str(info.value)


def test_aliases_and_case():
    fake = FakeExecutor()
    assert [p.id for p in load_benchmark("HumanEvalPlus", ids=["HumanEval/3"], executor=fake)] == ["HumanEval/3"]
    assert [p.benchmark for p in load_benchmark("mbppplus", limit=1, executor=fake)] == ["mbpp+"]


@pytest.mark.parametrize("name", ["livecodebench", "jsonl"])
def test_benchmarks_without_bundled_data_ask_for_a_path(name):
    with pytest.raises(ConfigError, match="data=PATH"):
        load_benchmark(name)


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_missing_file_names_the_path_and_format(name, tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(ProblemError) as info:
        load_benchmark(name, data=missing)
    assert str(missing) in str(info.value)
    assert "JSONL" in str(info.value)


def test_malformed_json_names_file_and_line(tmp_path):
    path = tmp_path / "he.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write('\n\n{not json\n')
    with pytest.raises(ProblemError, match=r"he\.jsonl\.gz, line 3: not valid JSON"):
        load_benchmark("humaneval", data=path)


def test_missing_field_names_file_line_and_field(tmp_path):
    path = tmp_path / "he.jsonl"
    path.write_text('{"task_id": "a", "prompt": "def f():\\n", "entry_point": "f", "test": ""}\n')
    with pytest.raises(ProblemError, match=r"he\.jsonl, line 1, field 'canonical_solution': missing"):
        load_benchmark("humaneval", data=path)


def test_wrong_type_names_the_field(tmp_path):
    path = tmp_path / "he.jsonl"
    path.write_text('{"task_id": 7, "prompt": "", "entry_point": "f", "test": "", "canonical_solution": ""}\n')
    with pytest.raises(ProblemError, match=r"field 'task_id': expected string, got int"):
        load_benchmark("humaneval", data=path)


def test_ids_pick_in_order_given_and_limit_cuts():
    fake = FakeExecutor()
    picked = load_benchmark("humaneval", ids=["HumanEval/5", "HumanEval/1", "HumanEval/5"], executor=fake)
    assert [p.id for p in picked] == ["HumanEval/5", "HumanEval/1"]
    assert [p.id for p in load_benchmark("humaneval", limit=2, executor=fake)] == ["HumanEval/0", "HumanEval/1"]
    assert load_benchmark("humaneval", limit=0, executor=NoExecutor()) == []


def test_unknown_ids_say_what_ids_look_like():
    with pytest.raises(ConfigError, match=r"no problem 'HumanEval/999'.*'HumanEval/0'"):
        load_benchmark("humaneval", ids=["HumanEval/1", "HumanEval/999"], executor=FakeExecutor())


def test_negative_limit_is_a_config_error():
    with pytest.raises(ConfigError, match="limit"):
        load_benchmark("humaneval", limit=-1)


def test_bundled_data_and_notice_are_present():
    names = {p.name for p in DATA_DIR.iterdir()}
    assert {"HumanEvalPlus-v0.1.10.jsonl.gz", "MbppPlus-v0.2.0.jsonl.gz", "mbpp.jsonl.gz",
            "codecontests_test_shared.jsonl.gz", "NOTICE.md"} <= names
    notice = (DATA_DIR / "NOTICE.md").read_text()
    for fact in ("Apache-2.0", "CC-BY-4.0", "v0.1.10", "v0.2.0"):
        assert fact in notice
