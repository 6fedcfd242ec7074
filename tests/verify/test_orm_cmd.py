import json

from codesieve.cli import main
from codesieve.verify.pool import write_pool


def test_train_then_score(tmp_path, pool, capsys):
    small = tmp_path / "small.jsonl.gz"
    write_pool(small, pool.only(list(pool.by_problem())[:6]))
    artefact, scores = tmp_path / "orm.json", tmp_path / "scores.jsonl"
    assert main(["orm", "train", str(small), "-o", str(artefact), "--folds", "3"]) == 0
    assert "orm:trained (3-fold, held out)" in capsys.readouterr().out
    assert json.loads(artefact.read_text())["trained_on"]["problems"] == 6
    assert main(["orm", "score", str(artefact), str(small), "-o", str(scores)]) == 0
    rows = [json.loads(line) for line in scores.read_text().splitlines()]
    assert len(rows) == 48 and {"problem_id", "index", "score", "passed"} <= set(rows[0])


def test_score_with_a_missing_artefact_says_how_to_make_one(tmp_path, capsys):
    assert main(["orm", "score", str(tmp_path / "nope.json"), str(tmp_path / "pool.jsonl.gz")]) == 2
    assert "codesieve orm train" in capsys.readouterr().err
