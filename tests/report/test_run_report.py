"""`codesieve run --report` with a real small model (SmolLM2-135M), then the page in headless Chromium."""

from __future__ import annotations

import pytest

from codesieve.cli import main
from codesieve.report.browser import console_errors, wait_for
from codesieve.store import RunStore

SMALL = ["--model", "smollm2-135m", "--limit", "1", "-n", "2", "--rounds", "1", "--max-tokens", "64",
         "--parallel", "2", "--strategy", "sstar,zero-shot"]


@pytest.mark.timeout(900)  # a real model on 2 shared cores
def test_run_report_shows_the_run_in_chromium(tmp_path, browser):
    store, page = tmp_path / "run.sqlite", tmp_path / "r.html"
    assert main(["run", *SMALL, "--store", str(store), "--report", str(page)]) == 0
    with RunStore(store) as runs:
        [(key, _)] = runs.runs()
        totals = {t.strategy: t for t in runs.totals(key)}
        [record] = runs.problems(key)
    browser.get("about:blank")
    browser.get(page.as_uri() + "#runs")
    wait_for(browser, "body[data-ready-ms]")
    for name, t in totals.items():
        row = browser.find_element("css selector", f"table.strategies tr[data-strategy='{name}']")
        solved = row.find_element("css selector", "[data-field=solved]")
        assert solved.text == f"{t.passed}/{t.problems}"
    problem = record.problem_id
    browser.get("about:blank")
    browser.get(page.as_uri() + f"#problem/0/sstar/{problem}")
    wait_for(browser, f"#problem[data-shown='0/sstar/{problem}']")
    winner = browser.find_element("css selector", "[data-testid=winner] code[data-winner]")
    assert winner.text == record.strategies["sstar"].winner
    assert problem == "HumanEval/0"
    assert "def has_close_elements" in browser.find_element("css selector", "#problem pre.statement").text
    hidden = browser.find_elements("css selector", "[data-testid=candidates] [data-hidden]")
    assert len(hidden) == sum(len(lin.attempts) for lin in record.pools.sampled)  # every candidate graded
    assert console_errors(browser) == []
