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


def test_the_choice_is_said_in_words_with_the_loss_as_a_loss(tmp_path, pool, capsys, monkeypatch):
    small = tmp_path / "small.jsonl.gz"
    write_pool(small, pool.only(list(pool.by_problem())[:4]))
    monkeypatch.chdir(tmp_path)
    assert main(["pareto", str(small), "--budget", "1", "--spec", "orm:logprob", "--folds", "2"]) == 0
    captured = capsys.readouterr()
    data = json.loads((tmp_path / "runs" / "pareto" / "pareto_small.json").read_text())  # not in the cwd
    assert not list(tmp_path.glob("pareto_small.*"))
    chosen, ref = data["chosen"], data["points"][0]
    line = captured.out.strip()
    assert "\t" not in line and line.startswith(f"chosen: {chosen['spec']}: Best-of-8 {100 * chosen['bok']:.2f}%")
    loss = 100 * (ref["bok"] - chosen["bok"])
    if loss > 0:
        assert f"{loss:.2f} points below full's {100 * ref['bok']:.2f}%" in line
    assert "1 of 2" in captured.err and "2 of 2" in captured.err and "left" in captured.err


def test_verdict_signs():
    from codesieve.cli.pareto_cmd import verdict
    from codesieve.pareto.frontier import Point

    ref = Point("full", 0.8, 0.8, 10.0, 1.0, ())
    assert "26.22 points below full's 80.00% (32.8% of it)" in verdict(Point("orm:logprob", 0.5378, 0.5, 50.0, 1.0, ()), ref, 16)
    assert "1.00 points above full's 80.00%" in verdict(Point("x", 0.81, 0.8, 20.0, 1.0, ()), ref, 16)
    assert "as accurate as full" in verdict(Point("y", 0.8, 0.8, 20.0, 1.0, ()), ref, 16)


def test_a_negative_budget_is_refused(tmp_path, capsys):
    assert main(["pareto", str(tmp_path / "p.jsonl.gz"), "--budget", "-5"]) == 2
    assert "argument --budget: must be more than 0, got -5" in capsys.readouterr().err


def test_frontier_labels_do_not_overlap(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from codesieve.pareto.frontier import Point
    from codesieve.report.plot import plot_frontier

    # a staircase of close configurations, all on the frontier: names would print over each other
    points = [Point(f"syntax > tests:{i} > orm:logprob > full@{i}", 0.80 - 0.002 * i, 0.7, 100.0 * 1.05 ** i, 1.0, ())
              for i in range(12)]
    figures = []
    monkeypatch.setattr(plt, "close", figures.append)  # keep the figure to measure it
    plot_frontier(points, points, points[0], 8, "t", [tmp_path / "f.png"])
    [fig] = figures
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert len(boxes) == 24  # 12 numbers, 12 names
    assert not [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    monkeypatch.undo()
    plt.close(fig)
