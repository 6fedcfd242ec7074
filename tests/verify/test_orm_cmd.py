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


def test_scoring_the_training_pool_warns_that_it_is_in_sample(tmp_path, pool, capsys):
    problems = list(pool.by_problem())
    train_pool, held_out = tmp_path / "train.jsonl.gz", tmp_path / "held_out.jsonl.gz"
    write_pool(train_pool, pool.only(problems[:6]))
    write_pool(held_out, pool.only(problems[6:9]))
    artefact = tmp_path / "orm.json"
    assert main(["orm", "train", str(train_pool), "-o", str(artefact), "--folds", "3"]) == 0
    capsys.readouterr()
    assert main(["orm", "score", str(artefact), str(train_pool)]) == 0
    captured = capsys.readouterr()
    assert "trained on 6 of these 6 problems: the accuracy below is in-sample" in " ".join(captured.err.split())
    # Best-of-k with k = every candidate is top-1: one column, not two equal ones
    assert "top-1 % (= Best-of-8)" in captured.out and "Best-of-8 %" not in captured.out
    assert main(["orm", "score", str(artefact), str(held_out), "--k", "2"]) == 0
    captured = capsys.readouterr()
    assert "in-sample" not in captured.err
    assert "Best-of-2 %" in captured.out and "top-1 %" in captured.out
