"""A run stored before reports read typed records reports exactly as it did then.

tests/store/fixtures/toy-run.sqlite holds two pipeline runs on `conftest.PROBLEMS` (every built-in
strategy, then S* again as a rerun); tests/report/fixtures/toy-run holds what the report made of
them when they were stored: the HTML report's data and the S*-against-baselines results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from codesieve.execution import Executor
from codesieve.report import sstar
from codesieve.report.html_data import run_data
from codesieve.store import RunStore

from tests.report.conftest import PROBLEMS

STORE = Path(__file__).parents[1] / "store" / "fixtures" / "toy-run.sqlite"
EXPECTED = Path(__file__).parent / "fixtures" / "toy-run"
DESIGN = sstar.Design(("zero-shot", "majority-vote", "self-debug"), ("sstar", "sstar-predict"),
                      (sstar.Rerun("sstar, again", "sstar"),))


def test_a_stored_run_reports_as_it_did_when_it_was_stored(tmp_path):
    shutil.copy(STORE, tmp_path / "run.sqlite")
    problems = {p.id: p for p in PROBLEMS}
    with RunStore(tmp_path / "run.sqlite") as store, Executor(workers=2) as executor:
        summary, details = run_data(store, "toy-1", problems=problems, executor=executor, label="toy")
        assert json.dumps([summary, details], indent=1) + "\n" == (EXPECTED / "html.json").read_text()
        sstar.write(tmp_path, "sstar_accuracy", store, {"toy": "toy-1"}, {"toy": 2}, {"toy": problems}, executor,
                    DESIGN, ["Model: m  "], "About.", {}, rerun_keys={"toy": {"sstar, again": "toy-r"}})
    for name in ("sstar_accuracy.json", "sstar_accuracy.md"):
        assert (tmp_path / name).read_text() == (EXPECTED / name).read_text()
