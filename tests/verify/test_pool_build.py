"""Building a labelled pool (codesieve.verify.pool_build, `codesieve pool build`): labels from the real
executor, resuming only with the same settings, and the command end to end on the embedded smollm2."""

from __future__ import annotations

import asyncio

import pytest

from codesieve.cli import main
from codesieve.execution import Executor
from codesieve.llm.fake import FakeBackend
from codesieve.types import CallTest, Candidate, Problem, TaskKind, Verdict
from codesieve.verify.pool import LabelledPool, PoolEntry, read_pool, write_pool
from codesieve.verify.pool_build import PoolSettings, build_pool, resumed_entries

SETTINGS = PoolSettings(model="m", n=2)
RIGHT = "```python\ndef double(x):\n    return 2 * x\n```"
WRONG = "```python\ndef double(x):\n    return x + 2\n```"


def problem(pid: str) -> Problem:
    return Problem(pid, "double x", TaskKind.FUNCTION, entry_point="double",
                   hidden_tests=(CallTest((2,), 4), CallTest((3,), 6)))


def test_a_pool_file_resumes_only_with_the_same_settings(tmp_path):
    path = tmp_path / "p.jsonl.gz"
    assert resumed_entries(path, SETTINGS) == []
    entries = (PoolEntry(Candidate("HumanEval/0", 0, "def f(): pass\n"), False, Verdict.WRONG_ANSWER),)
    write_pool(path, LabelledPool("humaneval+", entries, {**SETTINGS.__dict__, "n_problems": 1, "command": "x"}))
    assert resumed_entries(path, SETTINGS) == list(entries)
    assert resumed_entries(path, PoolSettings(model="m", n=16)) == []
    assert resumed_entries(path, PoolSettings(model="other", n=2)) == []


def test_build_labels_every_sample_and_resumes(tmp_path):
    llm = FakeBackend(lambda request, i: RIGHT if i == 0 else WRONG)
    out, lines = tmp_path / "pools" / "toy.jsonl.gz", []
    problems = [problem(f"t/{i}") for i in range(3)]
    with Executor(workers=1) as executor:
        pool = asyncio.run(build_pool(llm, executor, "toy", problems[:2], out, SETTINGS, chunk=1,
                                      command="cmd", progress=lines.append))
        assert [(e.candidate.problem_id, e.candidate.index, e.passed, e.verdict) for e in pool.entries] == [
            ("t/0", 0, True, Verdict.PASSED), ("t/0", 1, False, Verdict.WRONG_ANSWER),
            ("t/1", 0, True, Verdict.PASSED), ("t/1", 1, False, Verdict.WRONG_ANSWER)]
        assert read_pool(out).meta["complete"] and read_pool(out).meta["command"] == "cmd"
        assert len(llm.requests) == 2 and "2/2 problems, 4 candidates, 2 passing" in lines[-1]
        pool = asyncio.run(build_pool(llm, executor, "toy", problems, out, SETTINGS, progress=lines.append))
    assert len(llm.requests) == 3  # only the new problem was sampled
    assert "2 problems already in" in lines[-2] and len(pool.by_problem()) == 3
    assert all(e.candidate.mean_logprob == pytest.approx(-0.5) for e in pool.entries)  # logprobs asked for


def test_pool_build_command_with_smollm2_resumes(tmp_path, capsys):
    out = tmp_path / "he.jsonl.gz"
    args = ["pool", "build", "--benchmark", "humaneval", "--limit", "1", "-n", "2", "--model", "smollm2-135m",
            "--max-tokens", "64", "--parallel", "2", "--store", str(tmp_path / "c.sqlite"), "-o", str(out)]
    assert main(args) == 0
    pool = read_pool(out)
    assert pool.benchmark == "humaneval" and len(pool.entries) == 2 and pool.meta["model"] == "smollm2-135m"
    assert {e.candidate.problem_id for e in pool.entries} == {"HumanEval/0"}
    assert all(e.candidate.raw and e.candidate.mean_logprob is not None for e in pool.entries)
    assert "wrote" in capsys.readouterr().err
    assert main(args) == 0 and "1 problems already in" in capsys.readouterr().err
    assert main([*args[:-2], "-o", str(out), "--temperature", "0"]) == 2
    assert "argument --temperature: must be more than 0, got 0" in capsys.readouterr().err
