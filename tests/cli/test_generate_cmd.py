"""`codesieve generate`: samples JSONL that `codesieve eval` reads, resumable through the store.

The model is scripted: its answers are put in the completion store first, then the command runs
with --replay, which serves them without starting any model (the same path a resumed run takes).
"""

import asyncio
import json

from codesieve.cli import main
from codesieve.generate.sample import SampleConfig, sample
from codesieve.llm import CachingBackend, CompletionStore, FakeBackend, model_id_for
from codesieve.problems import load_benchmark
from codesieve.runs import RunFiles

ANSWER = "```python\ndef has_close_elements(numbers, threshold):\n    return False\n```"


def test_generate_writes_eval_rows_from_the_store(tmp_path, capsys):
    store = tmp_path / "run.sqlite"
    problems = load_benchmark("humaneval", limit=2)
    with CompletionStore(RunFiles.beside(store).completions) as completions:
        llm = CachingBackend(FakeBackend(lambda r, i: ANSWER, model_id=model_id_for("smollm2-135m")), completions)
        config = SampleConfig(n=3, temperature=0.8, top_p=1.0, max_tokens=64, seed=0)
        asyncio.run(sample(llm, problems, config))
    out = tmp_path / "samples.jsonl"
    code = main(["generate", "--benchmark", "humaneval", "--limit", "2", "-n", "3", "--temperature", "0.8",
                 "--max-tokens", "64", "--model", "smollm2-135m", "--store", str(store), "--replay", "-o", str(out)])
    assert code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["task_id"] for r in rows] == ["HumanEval/0"] * 3 + ["HumanEval/1"] * 3
    assert [r["index"] for r in rows[:3]] == [0, 1, 2]
    assert all(r["raw"] == ANSWER and r["completion_tokens"] > 0 for r in rows)
    assert all(("completion" in r) != ("solution" in r) for r in rows)
    # codesieve eval reads the file
    assert main(["eval", str(out), "--benchmark", "humaneval"]) == 0
    assert "pass@1" in capsys.readouterr().out


def test_generate_replay_without_samples_says_what_to_do(tmp_path, capsys):
    code = main(["generate", "--benchmark", "humaneval", "--limit", "1", "--model", "smollm2-135m",
                 "--store", str(tmp_path / "s.sqlite"), "--replay", "-o", str(tmp_path / "o.jsonl")])
    assert code == 2
    assert "run without replay" in capsys.readouterr().err


def test_several_samples_are_sampled_not_greedy_copies(tmp_path, capsys, scripted_model):
    out = tmp_path / "samples.jsonl"
    common = ["generate", "--benchmark", "humaneval", "--limit", "1", "--store", str(tmp_path / "s.sqlite")]
    assert main([*common, "-n", "2", "-o", str(out)]) == 0
    [fake] = scripted_model
    assert [(r.n, r.temperature) for r in fake.requests] == [(2, 0.8)]
    assert "temperature 0.8" in capsys.readouterr().err
    assert main([*common, "-o", str(out)]) == 0  # one sample: greedy
    assert (scripted_model[1].requests[0].n, scripted_model[1].requests[0].temperature) == (1, 0.0)
    assert main([*common, "-n", "2", "--temperature", "0", "-o", str(out)]) == 0
    assert "2 samples at temperature 0 are 2 copies of one program" in " ".join(capsys.readouterr().err.split())
