"""codesieve.report.pareto: the JSON, Markdown and plots of a frontier search."""

import json
import math

import pytest

from codesieve.pareto import Evaluation, Found, Point, StageCost
from codesieve.report.pareto import frontier_record, write_report

POINTS = (
    Point("full", 0.8, 0.8, 10.0, 50.0, (StageCost("full", 50.0, 100, 60, 0),), (0.7, 0.9)),
    Point("syntax > orm:trained", 0.79, 0.79, 400.0, 1.25,
          (StageCost("syntax", 0.25, 100, 5, 0), StageCost("orm:trained", 1.0, 95, 0, 0)), (0.69, 0.88)),
    Point("tests:1", 0.7, 0.7, 100.0, 5.0),
)


def test_writes_json_markdown_and_both_plots(tmp_path):
    ev = Evaluation("humaneval+", 10, 100, 10, 0.85, 0.3, 3, POINTS)
    found = Found(ev, POINTS[1], "at most 2 points below full", "measured thrice")
    paths = write_report(tmp_path / "out", "pareto_x", found, "codesieve pareto x.jsonl.gz", "x.jsonl.gz")
    assert [p.name for p in paths] == ["pareto_x.json", "pareto_x.md", "pareto_x.png", "pareto_x.svg", "pareto_x.html"]
    data = json.loads(paths[0].read_text())
    assert data["chosen"]["spec"] == data["best"]["spec"] == "syntax > orm:trained"
    assert data["chosen"]["speedup"] == data["ratio"] == 40.0 and data["full"] == {"bok": 0.8, "pps": 10.0}
    assert [p["frontier"] for p in data["points"]] == [True, True, False]
    assert data["points"][1]["loss_points"] == pytest.approx(1.0)
    assert data["loss_points"] == pytest.approx(1.0) and data["loss_relative"] == pytest.approx(0.0125)
    assert data["points"][2]["loss_relative"] == pytest.approx(0.125) and data["points"][1]["bok_ci"] == [0.69, 0.88]
    assert data["machine"]["cores"] and data["notes"] == "measured thrice"
    text = paths[1].read_text()
    assert "`codesieve pareto x.jsonl.gz`" in text and "40.00x" in text and "| orm:trained | 1.000 |" in text
    assert "1.00 points lost (1.25% of `full`'s Best-of-10)" in text and "interval 69.00-88.00" in text
    assert "| 2 | `syntax > orm:trained` | 79.00 | 69.00-88.00 | 79.00 | 400.0 | 40.00x | 1.00 | 1.25% | ★ |" in text
    assert "+" not in text.split("Chosen")[1].split("\n")[0]  # a loss is not shown with a plus sign
    assert paths[2].read_bytes()[:4] == b"\x89PNG" and b"<svg" in paths[3].read_bytes()[:500]


def test_the_fastest_within_2pct_and_the_paper_loss_from_the_remeasured_rows_when_there_are_any(tmp_path):
    points = (*POINTS, Point("orm:logprob > tests:1@2", 0.74, 0.74, 900.0, 0.1))  # 7.5% below full
    ev = Evaluation("humaneval+", 10, 100, 10, 0.85, 0.3, 3, points)
    grid = frontier_record(Found(ev, POINTS[1], "at most 2 points below full"), "cmd", "x.jsonl.gz")
    assert grid["best_at_2pct"] == {"spec": "syntax > orm:trained", "bok": 0.79, "pps": 400.0, "speedup": 40.0,
                                    "loss_relative": pytest.approx(0.0125), "measured": "grid"}
    assert grid["best_at_paper_loss"]["spec"] == "orm:logprob > tests:1@2"
    assert grid["best_at_paper_loss"]["speedup"] == 90.0
    found = Found(ev, POINTS[1], "at most 2 points below full", confirmed=("full", "tests:1"))
    again = frontier_record(found, "cmd", "x.jsonl.gz")  # only re-measured rows compete
    assert again["best_at_2pct"]["spec"] == "full" and again["best_at_paper_loss"]["measured"] == "confirmed"
    assert again["best_at_paper_loss"]["spec"] == "full"  # tests:1 loses 12.5%
    text = write_report(tmp_path, "p", Found(ev, POINTS[1], "c"), "cmd", "x.jsonl.gz")[1].read_text()
    assert ("- Fastest within 8.26% relative loss (the Pareto paper's loss): `orm:logprob > tests:1@2`: "
            "Best-of-10 74.00%, 90.00x `full`, 7.50% lost (one grid run)") in text


def test_nothing_chosen_and_a_zero_reference(tmp_path):
    points = (Point("full", 0.0, 0.0, 10.0, 5.0), Point("syntax", 0.0, 0.0, 100.0, 0.5))
    found = Found(Evaluation("humaneval+", 2, 4, 2, 0.0, 0.1, 1, points), None, "at least 1000 programs/s")
    paths = write_report(tmp_path, "p", found, "cmd", "p.jsonl.gz")
    data = json.loads(paths[0].read_text())
    assert data["chosen"] is None and data["loss_relative"] is None
    assert math.isnan(data["points"][1]["loss_relative"]) or data["points"][1]["loss_relative"] is None
    assert "nothing qualifies" in paths[1].read_text() and "| n/a |" in paths[1].read_text()
    assert data["best_at_paper_loss"]["spec"] == "syntax" and "n/a lost" in paths[1].read_text()
