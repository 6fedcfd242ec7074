"""The line `codesieve run` prints as each problem finishes, as bench/first_run.py reads it."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from codesieve.cli.run_cmd import ProgressView
from codesieve.pipeline import Event
from codesieve.runs import PROBLEM_LINE


class Result:
    def __init__(self, strategy, passed):
        self.strategy, self.passed = strategy, passed


def test_the_finished_problem_lines_are_read_back():
    out = StringIO()
    view = ProgressView(Console(file=out, width=40), [object()] * 2, ("sstar", "zero-shot"),
                        {"sstar": {"HumanEval/1": False}, "zero-shot": {"HumanEval/1": True}}, rounds=2)
    view.event(Event("problem", "HumanEval/0", "done", results=(Result("sstar", True), Result("zero-shot", False))))
    view.event(Event("problem", "HumanEval/1", "already done"))
    lines = [PROBLEM_LINE.match(line) for line in out.getvalue().splitlines()]
    assert [(m["problem"], m["done"], m["total"]) for m in lines] == [("HumanEval/0", "1", "2"), ("HumanEval/1", "2", "2")]
    assert [m["outcome"] for m in lines] == ["sstar passed, zero-shot failed", "sstar failed, zero-shot passed"]
