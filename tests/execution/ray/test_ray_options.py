"""Choosing the Ray backend by name, and what a user without Ray is told (no cluster needed)."""

import sys
from pathlib import Path

import pytest

from codesieve.cli import main
from codesieve.errors import ConfigError
from codesieve.execution import Executor, backend_names


POOL = Path(__file__).resolve().parents[3] / "bench" / "data" / "pools" / "humanevalplus.jsonl.gz"


@pytest.fixture
def without_ray(monkeypatch):
    """This interpreter as if Ray were not installed: `import ray` fails."""
    monkeypatch.setitem(sys.modules, "ray", None)


def test_ray_is_a_known_backend():
    assert {"local", "ray"} <= set(backend_names())


def test_without_ray_the_backend_says_how_to_install_it(without_ray):
    with pytest.raises(ConfigError, match=r"pip install 'codesieve\[ray\]'"):
        Executor(backend="ray:auto")


@pytest.mark.parametrize("command", [["eval", "{samples}", "--benchmark", "humaneval"],
                                     ["run", "--store", "{store}", "--limit", "1"],
                                     ["pareto", "{pool}", "-o", "{out}"]])
def test_every_command_takes_executor_ray_and_explains_a_missing_ray(without_ray, tmp_path, capsys, command):
    samples = tmp_path / "s.jsonl"
    samples.write_text('{"task_id": "HumanEval/0", "completion": "    return True\\n"}\n')
    args = [a.format(samples=samples, store=tmp_path / "r.sqlite", out=tmp_path, pool=POOL) for a in command]
    assert main([*args, "--executor", "ray"]) == 2
    assert "pip install 'codesieve[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "r.sqlite").exists()  # nothing started, nothing written


def test_an_unknown_executor_names_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown executor backend 'slurm' \(known: .*local, .*ray"):
        Executor(backend="slurm")
