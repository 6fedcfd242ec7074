"""MBPP+ (EvalPlus v0.2.0, bundled): MBPP with about 35x more hidden inputs.

The model sees the row's prompt, a docstring holding the task and one example assert; it writes
the whole function (no starter code). The public test is that assert. Hidden tests are one test
per EvalPlus input with expected values computed from `canonical_solution` (see `_evalplus`).

JSON cannot hold tuples, sets or complex numbers, so EvalPlus restores the argument types of some
tasks by task number (`mbpp_deserialize_inputs` in evalplus/data/mbpp.py); `_restore` does the same.
EvalPlus's special oracles for MBPP become the `AssertTest`s in `ORACLES`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Sequence

from codesieve.problems._evalplus import (Oracle, call_source, evalplus_format, inputs, py_source, tolerance,
                                          with_expected_outputs)
from codesieve.problems._examples import assertion_test
from codesieve.problems._files import Row, bundled, read_jsonl
from codesieve.problems._reference import Runner
from codesieve.types import AssertTest, CallTest, Problem, TaskKind, Test

FORMAT = evalplus_format("MBPP+")
DEFAULT_PATH = bundled("MbppPlus-v0.2.0.jsonl.gz")


def read(path: Path) -> list[Problem]:
    return [_problem(row) for row in read_jsonl(path, FORMAT)]


def _problem(row: Row) -> Problem:
    task_id = row.get("task_id", str)
    prompt = row.get("prompt", str)
    entry_point = row.get("entry_point", str)
    number = int(m.group()) if (m := re.search(r"\d+$", task_id)) else -1
    try:
        hidden = tuple(CallTest(_restore(number, args)) for args in inputs(row))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise row.error("base_input/plus_input", f"an input does not have the shape this task needs ({exc})")
    asserts = [line.strip() for line in prompt.splitlines() if line.strip().startswith("assert")]
    return Problem(
        id=task_id,
        prompt=prompt,
        kind=TaskKind.FUNCTION,
        public_tests=tuple(assertion_test(a, entry_point) for a in asserts),
        hidden_tests=hidden,
        entry_point=entry_point,
        comparison=tolerance(row),
        reference=row.get("canonical_solution", str),
        benchmark="mbpp+",
    )


# Task numbers whose JSON inputs EvalPlus turns back into tuples, by shape.
_ALL_TUPLES = {2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630,
               726, 740, 744, 809}
_ITEMS_TUPLES = {63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780}
_FIRST_ITEMS_TUPLES = {75, 413, 444, 753}
_SECOND_TUPLE = {106, 750}
_FIRST_TUPLE = {250, 405, 446, 617, 720, 763, 808}
_TUPLES_OF_TUPLES = {259, 401, 445}
_DEEP_TUPLES = {580, 615, 791}


def _restore(number: int, args: list[Any]) -> tuple[Any, ...]:
    """One input's arguments with EvalPlus's types (mirrors `mbpp_deserialize_inputs`)."""
    if number in _ALL_TUPLES:
        return tuple(tuple(a) for a in args)
    if number in _ITEMS_TUPLES:
        return tuple([tuple(x) for x in a] for a in args)
    if number in _FIRST_ITEMS_TUPLES:
        return ([tuple(x) for x in args[0]], *args[1:])
    if number in _SECOND_TUPLE:
        return (args[0], tuple(args[1]), *args[2:])
    if number == 115:
        return ([set(x) if isinstance(x, list) and x else {} for x in args[0]],)
    if number == 124:
        return (float(args[0]), complex(args[1]))
    if number in _FIRST_TUPLE:
        return (tuple(args[0]), *args[1:])
    if number in _TUPLES_OF_TUPLES:
        return tuple(tuple(tuple(x) for x in a) for a in args)
    if number == 278:
        return (tuple(tuple(x) if isinstance(x, list) else x for x in args[0]),)
    if number == 307:
        return (tuple(args[0]), args[1], args[2])
    if number == 722:
        return ({k: tuple(v) for k, v in args[0].items()}, *args[1:])
    if number == 252:
        return (complex(args[0]),)
    if number in _DEEP_TUPLES:
        return tuple(_deep_tuple(a) for a in args)
    return tuple(args)


def _deep_tuple(value: Any) -> Any:
    return tuple(_deep_tuple(v) for v in value) if isinstance(value, list) else value


# EvalPlus's special oracles (evalplus/eval/__init__.py, _special_oracle.py).
def _equal_as_sets(ep: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
    return AssertTest(f"assert set({call_source(ep, args)}) == set({py_source(value)})")


def _not_none(ep: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
    """The reference returns an unserialisable match object: only None-ness is compared."""
    expected = value is not None
    return AssertTest(f"_out = {call_source(ep, args)}\n"
                      f"assert (_out == {expected}) if isinstance(_out, bool) else ((_out is not None) == {expected})")


def _any_answer(ep: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
    return AssertTest(call_source(ep, args))


def _or_zero(ep: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
    return AssertTest(f"_out = {call_source(ep, args)}\nassert _out == {py_source(value)} or _out == 0")


def _or_alternative(alternative: Any) -> Oracle:
    """The reference's answer, or the one of another reading of the task, within `atol`."""

    def oracle(ep: str, args: tuple[Any, ...], value: Any, atol: float) -> Test:
        answers = [value]
        try:
            answers.append(alternative(*args))
        except (TypeError, ValueError):
            pass  # the other reading is undefined for this input
        tol = max(atol, 1e-6) if isinstance(value, float) else atol
        return AssertTest(
            f"_out = {call_source(ep, args)}\n"
            f"assert any(_out == _e or abs(_out - _e) <= {tol!r} for _e in {py_source(answers)})"
        )

    return oracle


def _surface_area(base_edge: float, height: float) -> float:
    """Mbpp/581 read with `height` as the pyramid's perpendicular height."""
    slant_height = math.sqrt((base_edge / 2) ** 2 + height**2)
    return round(base_edge**2 + 4 * (base_edge * slant_height) / 2)


def _digit_distance(num1: int, num2: int) -> int:
    """Mbpp/558 read with the shorter number padded with zeros."""
    a, b = str(num1), str(num2)
    width = max(len(a), len(b))
    return sum(abs(int(x) - int(y)) for x, y in zip(a.zfill(width), b.zfill(width)))


ORACLES: dict[str, Oracle] = {
    **{name: _equal_as_sets for name in ("similar_elements", "find_char_long", "common_in_nested_lists",
                                         "extract_singly", "larg_nnum", "intersection_array",
                                         "find_dissimilar", "Diff")},
    **{name: _not_none for name in ("check_str", "text_match_three", "text_starta_endb")},
    "are_equivalent": _any_answer,
    "sum_div": _or_zero,
    "surface_Area": _or_alternative(_surface_area),
    "digit_distance_nums": _or_alternative(_digit_distance),
}


def prepare(problems: Sequence[Problem], path: Path, runner: Runner) -> list[Problem]:
    return with_expected_outputs(problems, path, runner, ORACLES)
