"""A run stored before reports read typed records reports exactly as it did then.

tests/store/fixtures/toy-run.sqlite holds two pipeline runs on `conftest.PROBLEMS` (every built-in
strategy, then S* again as a rerun); tests/report/fixtures/toy-run holds what the report made of
them when they were stored: the HTML report's data and the S*-against-baselines results. The golden
files are extended deliberately, never rewritten: sstar_accuracy.* with the report's
`<variant>_separation` keys and table, then its `<variant>_wrong_picks` keys and table, then the
execution-settled duels' counts in `<variant>_decisions` and its table (issue 34).
Evidence fields added since the run was stored are marked `codesieve.types.ADDED_LATER`, so
html.json, which shows the stored evidence, is as it was."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from codesieve.execution import Executor
from codesieve.report import sstar, wrong_picks
from codesieve.report.html_data import run_data
from codesieve.select.evidence import BY_EXECUTION, NO_DIFFERENCE
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


def test_separation_counts_draws_and_single_groups_the_hidden_tests_split(tmp_path):
    """The toy run's S* duels all found a differing input and never ended in one group; the same
    records, with their duels made draws and their groups merged, count as such."""
    shutil.copy(STORE, tmp_path / "run.sqlite")
    with RunStore(tmp_path / "run.sqlite") as store:
        found = {r.problem_id: r.strategies["sstar"].evidence for r in store.problems("toy-1")}
    correct = {"t/square": {"t/square#0.0", "t/square#2.0"}, "t/double": set()}
    done = set(found)
    assert sstar.separation(found, done, correct) == {
        "duels": 2, "no_difference": 0, "no_difference_share": 0.0, "one_group": 0, "one_group_split": 0,
        "one_group_split_problems": [], "inputs_dropped": 0}
    square, double = found["t/square"], found["t/double"]
    merged = {"t/square": replace(square, groups=square.groups[:1], duels=(), inputs_rejected=2),
              "t/double": replace(double, groups=double.groups[:1], duels=()),
              "t/other": None}
    assert sstar.separation(merged, done, correct) == {
        "duels": 0, "no_difference": 0, "no_difference_share": 0.0, "one_group": 2, "one_group_split": 1,
        "one_group_split_problems": ["t/square"], "inputs_dropped": 2}
    drawn = {"t/double": replace(double, duels=tuple(replace(d, decided_by=NO_DIFFERENCE, points=(1.0, 1.0))
                                                     for d in double.duels))}
    assert sstar.separation(drawn | {"t/square": square}, {"t/double"}, correct)["no_difference_share"] == 1.0


def test_wrong_picks_read_from_the_stored_evidence(tmp_path):
    """The toy run's judge lies about square, so each S* variant's one wrong pick is the judge's;
    the same record with its duel levelled, a draw, or lost by execution on a mutant reads as such."""
    shutil.copy(STORE, tmp_path / "run.sqlite")
    with RunStore(tmp_path / "run.sqlite") as store:
        found = {r.problem_id: r.strategies["sstar-predict"].evidence for r in store.problems("toy-1")}
    correct = {"t/square": {"t/square#1.0", "t/square#3.0"}, "t/double": {"t/double#1.0"}}
    square = found["t/square"]
    assert wrong_picks.wrong_picks(found, ["t/square"], correct)["problems"] == {"judge_wrong": ["t/square"]}
    (judged,) = square.duels
    problem = {p.id: p for p in PROBLEMS}["t/square"]
    mutant = replace(judged.evidence[0], input="square(3)")  # one of the record's mutants, not the model's
    assert "square(3)" in square.inputs and "square(3)" not in square.inputs_raw and square.inputs_mutated
    for changed, expected in ((replace(judged, points=(1.0, 1.0)), ("judge_level", ())),
                              (replace(judged, decided_by=NO_DIFFERENCE, evidence=()), ("no_difference", ())),
                              (replace(judged, decided_by=BY_EXECUTION), ("execution", ())),
                              (replace(judged, decided_by=BY_EXECUTION, evidence=(mutant,)),
                               ("execution", ("execution_added_only",)))):
        assert wrong_picks.reason(replace(square, duels=(changed,)), correct["t/square"], problem) == expected
