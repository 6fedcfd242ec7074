import json

import pytest

from codesieve.pareto.evaluate import Evaluation
from codesieve.pareto.frontier import Point, StageCost
from codesieve.pareto.report import write_report

POINTS = (
    Point("full", 0.8, 0.8, 10.0, 50.0, (StageCost("full", 50.0, 100, 60, 0),)),
    Point("syntax > orm:trained", 0.79, 0.79, 400.0, 1.25,
          (StageCost("syntax", 0.25, 100, 5, 0), StageCost("orm:trained", 1.0, 95, 0, 0))),
    Point("tests:1", 0.7, 0.7, 100.0, 5.0),
)


def test_writes_json_markdown_and_both_plots(tmp_path):
    ev = Evaluation("humaneval+", 10, 100, 10, 0.85, 0.3, 3, POINTS)
    paths = write_report(tmp_path / "out", "pareto_x", ev, POINTS[1], "at most 2 points below full",
                         "codesieve pareto x.jsonl.gz", "x.jsonl.gz")
    assert [p.name for p in paths] == ["pareto_x.json", "pareto_x.md", "pareto_x.png", "pareto_x.svg"]
    data = json.loads(paths[0].read_text())
    assert data["chosen"]["spec"] == data["best"]["spec"] == "syntax > orm:trained"
    assert data["chosen"]["speedup"] == data["ratio"] == 40.0 and data["full"] == {"bok": 0.8, "pps": 10.0}
    assert [p["frontier"] for p in data["points"]] == [True, True, False]
    assert data["points"][1]["loss_points"] == pytest.approx(1.0)
    text = paths[1].read_text()
    assert "`codesieve pareto x.jsonl.gz`" in text and "40.00x" in text and "| orm:trained | 1.000 |" in text
    assert paths[2].read_bytes()[:4] == b"\x89PNG" and b"<svg" in paths[3].read_bytes()[:500]
