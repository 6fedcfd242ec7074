"""The HTML report opened from file:// in a real headless Chromium: no console errors, the numbers
of the store, a problem's duels and winner, a wrong pick marked, every Pareto point plotted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codesieve.cli import main
from codesieve.execution import Executor
from codesieve.report.browser import console_errors, wait_for
from codesieve.report.html import write_html
from codesieve.report.html_data import RunReport, run_data
from codesieve.store import RunStore

from tests.report.conftest import PROBLEMS

PARETO = Path(__file__).resolve().parents[2] / "bench" / "results" / "pareto_humanevalplus.json"


@pytest.fixture(scope="module")
def page(toy_run, tmp_path_factory):
    """The toy run's report, graded with its problems, and the committed HumanEval+ Pareto evaluation."""
    path, key = toy_run
    with RunStore(path) as store, Executor(workers=2) as executor:
        summary, details = run_data(store, key, problems={p.id: p for p in PROBLEMS}, executor=executor)
    out = tmp_path_factory.mktemp("html") / "report.html"
    write_html(out, [RunReport(summary, details)], [json.loads(PARETO.read_text())])
    return out


def open_page(browser, path: Path, fragment: str = "") -> None:
    """Load the page afresh (getting the same file again would only change its hash)."""
    browser.get("about:blank")
    browser.get(path.as_uri() + fragment)
    wait_for(browser, "body[data-ready-ms]")


def shown(browser, view: str):
    """The problem pane once it shows `view` ('run/strategy/problem')."""
    return wait_for(browser, f"#problem[data-shown='{view}']")


def css(browser, selector: str):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def test_the_page_opens_from_file_without_console_errors(browser, page):
    assert page.read_text().count("<script") == 3  # data, details, code: nothing loaded from elsewhere
    assert "http://" not in page.read_text() and "https://" not in page.read_text()
    console_errors(browser)  # forget what earlier pages logged
    open_page(browser, page)
    open_page(browser, page, "#problem/0/sstar/t/square")
    shown(browser, "0/sstar/t/square")
    open_page(browser, page, "#pareto")
    assert console_errors(browser) == []
    # the model's answers contain '</script>': shown as text, never run
    assert browser.execute_script("return window.hostile") is None


def test_summary_numbers_equal_the_stores(browser, page, toy_run):
    path, key = toy_run
    with RunStore(path) as store:
        totals = store.totals(key)
    open_page(browser, page, "#runs")
    for t in totals:
        [row] = css(browser, f"table.strategies tr[data-strategy='{t.strategy}']")
        cell = {c.get_attribute("data-field"): c.text for c in row.find_elements("css selector", "[data-field]")}
        assert cell["solved"] == f"{t.passed}/{t.problems}"
        assert cell["accuracy"] == f"{100 * t.accuracy:.1f}%"
        assert int(cell["model_calls"].replace(",", "")) == t.model_calls
        assert int(cell["tokens"].replace(",", "")) == t.tokens
        assert int(cell["executions"].replace(",", "")) == t.executions
        assert cell["interval"].startswith("[") and cell["interval"].endswith("%]")


def test_selecting_a_problem_shows_its_duels_and_the_winner(browser, page, toy_run):
    path, key = toy_run
    with RunStore(path) as store:
        [record] = store.problems(key, problems=["t/double"])
    sstar = record.strategies["sstar"]
    open_page(browser, page, "#problems/0/sstar")
    [row] = css(browser, "#problem-list tr[data-problem='t/double']")
    row.click()
    shown(browser, "0/sstar/t/double")
    [winner] = css(browser, "[data-testid=winner] code[data-winner]")
    assert winner.text == sstar.winner
    assert len(css(browser, "[data-testid=duel]")) == len(sstar.evidence.duels) >= 1
    duel = css(browser, "[data-testid=duel]")[0].text
    assert "double(10)" in duel and "Because double(10) should be 20" in duel  # input and the judge's reasoning
    assert css(browser, "[data-testid=behaviour] tr[data-candidate]")
    assert css(browser, "[data-testid=diff]")  # x * 3 was debugged into 2 * x
    assert "correct" in css(browser, "[data-testid=verdict]")[0].text
    css(browser, "button[data-strategy='cascade:syntax > lint']")[0].click()
    shown(browser, "0/cascade:syntax > lint/t/double")
    stages = [row.text.split()[0] for row in css(browser, "[data-testid=cascade] tbody tr")]
    assert stages == [s.stage for s in record.strategies["cascade:syntax > lint"].evidence.stages]


def test_a_wrong_pick_is_marked(browser, page):
    open_page(browser, page, "#problems/0/sstar/picked-wrong")
    rows = css(browser, "#problem-list tbody tr")
    assert [r.get_attribute("data-problem") for r in rows] == ["t/square"]
    assert rows[0].find_element("css selector", "td[data-strategy=sstar]").get_attribute("data-status") == "wrong"
    rows[0].click()
    shown(browser, "0/sstar/t/square")
    [marked] = css(browser, "[data-testid=wrong-pick]")
    assert "t/square#1.0" in marked.text and "t/square#3.0" in marked.text  # the correct ones it passed over
    assert "x + x" not in marked.text
    open_page(browser, page, "#runs")
    [cell] = css(browser, "table.oracle tr[data-strategy=sstar] [data-field=picked_wrong]")
    assert cell.text == "1"


def test_the_pareto_view_shows_every_point_with_its_numbers_on_hover(browser, page):
    from selenium.webdriver.common.action_chains import ActionChains

    evaluation = json.loads(PARETO.read_text())
    open_page(browser, page, "#pareto")
    circles = css(browser, "[data-testid=pareto-plot] circle.point")
    assert sorted(c.get_attribute("data-spec") for c in circles) == sorted(p["spec"] for p in evaluation["points"])
    assert len(css(browser, "[data-testid=pareto-points] tbody tr")) == len(evaluation["points"])
    chosen = evaluation["chosen"]
    [dot] = [c for c in circles if c.get_attribute("data-spec") == chosen["spec"]]
    ActionChains(browser).move_to_element(dot).perform()
    tip = wait_for(browser, ".plot .tip:not([hidden])")
    assert chosen["spec"] in tip.text and f"{chosen['pps']:.1f} programs/s" in tip.text
    stages = css(browser, "[data-testid=pareto-stages] tbody tr")
    assert [s.text.split()[0] for s in stages] == [s["stage"] for s in chosen["stages"]]


def test_several_runs_side_by_side(browser, toy_run, small_run, tmp_path):
    reports, totals = [], []
    for path, key in (toy_run, small_run):
        with RunStore(path) as store:
            summary, details = run_data(store, key, label=key)
            totals.append({t.strategy: t for t in store.totals(key)})
        reports.append(RunReport(summary, details))
    out = write_html(tmp_path / "two.html", reports)
    open_page(browser, out, "#runs")
    table = css(browser, "[data-testid=side-by-side]")[0]
    assert [th.text for th in table.find_elements("css selector", "thead th")] == ["strategy", "toy-1", "toy-2"]
    [sstar] = [r for r in table.find_elements("css selector", "tbody tr") if r.text.startswith("sstar")]
    cells = [td.text for td in sstar.find_elements("css selector", "td")]
    for cell, by_strategy in zip(cells, totals):
        t = by_strategy["sstar"]
        assert cell.startswith(f"{100 * t.accuracy:.1f}%") and cell.endswith(f"{t.passed}/{t.problems}")
    [zero_shot] = [r for r in table.find_elements("css selector", "tbody tr") if r.text.startswith("zero-shot")]
    assert zero_shot.find_elements("css selector", "td")[1].text == "–"  # toy-2 did not run it
    open_page(browser, out, "#problems/1/sstar")
    assert len(css(browser, "#problem-list tbody tr")) == len(PROBLEMS)
    assert console_errors(browser) == []


def test_codesieve_report_writes_one_file_from_a_store(toy_run, tmp_path, capsys):
    path, _ = toy_run
    out = tmp_path / "r.html"
    assert main(["report", str(path), str(PARETO), "-o", str(out), "--no-grade"]) == 0
    text = out.read_text()
    assert "toy-1" in text and "Verification frontier" in text
    assert main(["report", f"{path}:nope", "-o", str(out)]) == 2
    assert "no run 'nope'" in capsys.readouterr().err


def test_codesieve_pareto_writes_the_interactive_view_beside_its_plots(browser, tmp_path):
    from codesieve.pareto import Evaluation, Found, Point, StageCost
    from codesieve.report.pareto import write_report

    points = (Point("full", 0.8, 0.8, 10.0, 50.0, (StageCost("full", 50.0, 100, 60, 0),), (0.7, 0.9)),
              Point("syntax > orm:trained", 0.79, 0.79, 400.0, 1.25,
                    (StageCost("syntax", 0.25, 100, 5, 0), StageCost("orm:trained", 1.0, 95, 0, 0)), (0.69, 0.88)),
              Point("tests:1", 0.0, 0.0, 100.0, 5.0))
    chosen = Found(Evaluation("humaneval+", 10, 100, 10, 0.85, 0.3, 3, points), points[1], "at most 2 points below full")
    nothing = Found(Evaluation("humaneval+", 2, 4, 2, 0.0, 0.1, 1, points[:1]), None, "at least 1000 programs/s")
    for found, stem in ((chosen, "chosen"), (nothing, "nothing")):
        [page] = [p for p in write_report(tmp_path, stem, found, "cmd", "x.jsonl.gz") if p.suffix == ".html"]
        open_page(browser, page)
        specs = [c.get_attribute("data-spec") for c in css(browser, "[data-testid=pareto-plot] circle.point")]
        assert specs == [p.spec for p in found.evaluation.points]
        assert len(css(browser, "[data-testid=pareto-stages] tbody tr")) == (2 if found.chosen else 0)
        assert console_errors(browser) == []
