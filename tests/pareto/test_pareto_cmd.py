import json

from codesieve.cli import main
from codesieve.verify.pool import write_pool


def test_pareto_cli_on_a_small_pool(tmp_path, pool, capsys):
    small = tmp_path / "small.jsonl.gz"
    write_pool(small, pool.only(list(pool.by_problem())[:4]))
    code = main(["pareto", str(small), "-o", str(tmp_path / "out"), "--folds", "2", "--max-loss", "100",
                 "--spec", "syntax > orm:trained > tests:5@2", "--spec", "orm:logprob"])
    assert code == 0
    chosen = capsys.readouterr().out
    data = json.loads((tmp_path / "out" / "pareto_small.json").read_text())
    assert [p["spec"] for p in data["points"]] == ["full", "syntax > orm:trained > tests:5@2", "orm:logprob"]
    assert data["chosen"]["spec"] in chosen and data["problems"] == 4
    assert (tmp_path / "out" / "pareto_small.png").exists()
    assert data["command"] == (f"codesieve pareto {small} --max-loss 100.0 -o {tmp_path / 'out'} --folds 2 "
                               "--spec 'syntax > orm:trained > tests:5@2' --spec orm:logprob")


def test_bad_spec_fails_before_any_work(tmp_path, capsys):
    assert main(["pareto", str(tmp_path / "missing.jsonl.gz"), "--spec", "syntax > "]) == 2
    assert "empty stage" in capsys.readouterr().err
