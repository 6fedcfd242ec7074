"""New test inputs without the model: type-aware mutations of the public tests' inputs.

Small models asked for edge cases often repeat the examples they were shown, so every candidate
agrees and S* has nothing to compare. Mutating the example inputs (EvalPlus-style) costs no model
call and reaches the cases candidates most often disagree on: empty and shortened values,
reversed and sorted sequences, neighbouring numbers. A mutant may break a precondition the
problem states (an empty list where one is promised); such an input can only make candidates
differ by how they crash, and the grouping already drops inputs no candidate finishes.

Function tasks only: a stdin text has structure (counts, line layouts) that blind mutation breaks.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Sequence

from codesieve.types import CallTest, Problem, TaskKind, Test

MAX_REPR_CHARS = 4000


def input_mutants(problem: Problem, k: int, seed: int = 0) -> tuple[CallTest, ...]:
    """Up to `k` inputs, each one public input with one argument mutated; none equals a public
    input. The choice is fixed by `seed` and the problem id, so replays see the same inputs."""
    if problem.kind != TaskKind.FUNCTION or k <= 0:
        return ()
    seeds = [t.args for t in problem.public_tests if isinstance(t, CallTest)]
    found: list[tuple[Any, ...]] = []
    for args in seeds:
        for position, value in enumerate(args):
            for variant in variants(value):
                new = args[:position] + (variant,) + args[position + 1:]
                if new not in seeds and new not in found and _small(new):
                    found.append(new)
    random.Random(f"{seed}:{problem.id}").shuffle(found)
    return tuple(CallTest(args) for args in found[:k])


def variants(value: Any) -> list[Any]:
    """Values of the same type near `value`, one mutation step each, distinct and unlike `value`."""
    make = _VARIANTS.get(type(value))
    out: list[Any] = []
    for v in make(value) if make else ():
        if v is not None and v != value and v not in out:
            out.append(v)
    return out


def _int(v: int) -> list[int | None]:
    return [v + 1, v - 1 if v > 1 or v < 0 else None, 0]  # a count or a size stays one


def _str(s: str) -> list[str]:
    return ["", s[::-1], s[1:], s[:-1], s + s[-1:], s.swapcase()]


def _list(xs: list) -> list[list | None]:
    return [[], xs[::-1], _sorted(xs), xs[1:] + xs[:1], xs[:-1], xs[:1] + xs, _one_inner(xs)]


def _sorted(xs: list) -> list | None:
    try:
        return sorted(xs)
    except TypeError:  # mixed types
        return None


def _one_inner(xs: list) -> list | None:
    """The list with its middle element mutated by that element's first operator."""
    if not xs:
        return None
    i = len(xs) // 2
    inner = variants(xs[i]) if type(xs[i]) in (int, float, str) else []
    return xs[:i] + [inner[0]] + xs[i + 1:] if inner else None


_VARIANTS: dict[type, Callable[[Any], Sequence[Any]]] = {
    bool: lambda b: [not b],
    int: _int,
    float: lambda v: [v + 1.0, v / 2, -v],
    str: _str,
    list: _list,
    tuple: lambda t: [None if x is None else tuple(x) for x in _list(list(t))],
    dict: lambda d: [{}, dict(list(d.items())[:-1])],
}


def _small(args: tuple[Any, ...]) -> bool:
    return len(repr(args)) <= MAX_REPR_CHARS


def added(tests: Sequence[Test], extra: Sequence[Test]) -> tuple[Test, ...]:
    """`tests` followed by those of `extra` it does not already hold."""
    return tuple(tests) + tuple(t for t in extra if t not in tests)
