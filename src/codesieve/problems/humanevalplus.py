"""HumanEval+ (EvalPlus v0.1.10, bundled): HumanEval with about 80x more hidden inputs.

Prompt, public tests and program assembly are HumanEval's (the model continues the prompt). The
hidden tests are one `CallTest` per EvalPlus input (`base_input` then `plus_input`), expected
values computed from `prompt + canonical_solution` (see `_evalplus`), floats compared within the
task's `atol`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from codesieve.problems._evalplus import Oracle, evalplus_format, inputs, py_source, tolerance, with_expected_outputs
from codesieve.problems._files import Row, bundled, read_jsonl
from codesieve.problems._reference import Runner
from codesieve.problems.humaneval import continued_prompt
from codesieve.types import AssertTest, CallTest, Problem, Test

FORMAT = evalplus_format("HumanEval+")
DEFAULT_PATH = bundled("HumanEvalPlus-v0.1.10.jsonl.gz")


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def _problem(row: Row) -> Problem:
    return replace(continued_prompt(row, "humaneval+"),
                   hidden_tests=tuple(CallTest(tuple(args)) for args in inputs(row)), comparison=tolerance(row))


def _find_zero(entry_point: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
    """HumanEval/32 accepts any root: |poly(xs, x)| <= atol, not x == reference's x."""
    return AssertTest(
        "import math\n"
        f"_x = {entry_point}({py_source(args[0])})\n"
        f"_xs = {py_source(args[0])}\n"
        f"assert abs(sum(c * math.pow(_x, i) for i, c in enumerate(_xs))) <= {atol!r}"
    )


ORACLES: dict[str, Oracle] = {"find_zero": _find_zero}


def prepare(problems: Sequence[Problem], path: Path, runner: Runner) -> list[Problem]:
    return with_expected_outputs(problems, path, runner, ORACLES)
