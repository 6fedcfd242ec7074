"""New test inputs without the model: type-aware mutations of the public tests' inputs.

Small models asked for edge cases often repeat the examples they were shown, so every candidate
agrees and S* has nothing to compare. Mutating the example inputs (EvalPlus-style) costs no model
call and reaches the cases candidates most often disagree on: empty and shortened values,
reversed and sorted sequences, neighbouring numbers. A mutant may break a precondition the
problem states (an empty list where one is promised); such an input can only make candidates
differ by how they crash, and the grouping already drops inputs no candidate finishes.

A stdin text has structure (counts, line layouts) that blind mutation breaks: `stdin_mutants`
changes one counted part of an example (`layout`: one item fewer or more, reversed, sorted) with its
count kept consistent, or moves one number that counts nothing. `input_mutants` is what
`sstar-mutants` uses and stays function-only; the cheap inputs (`sources`) take both.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Sequence

from codesieve.select.layout import Layout, Lines, read_layout, render, reordered, resized, set_token
from codesieve.types import CallTest, Problem, StdioTest, TaskKind, Test

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
    return tuple(CallTest(args) for args in chosen(found, k, seed, problem))


def stdin_mutants(problem: Problem, k: int, seed: int = 0) -> tuple[StdioTest, ...]:
    """Up to `k` stdin inputs, each one public input with one change that keeps its layout; none
    equals a public input. The choice is fixed by `seed` and the problem id."""
    if problem.kind != TaskKind.STDIO or k <= 0:
        return ()
    layouts = [read_layout(t.input) for t in problem.public_tests if isinstance(t, StdioTest)]
    seen = {render(layout.lines) for layout in layouts}
    found: list[str] = []
    for layout in layouts:
        for lines in layout_mutants(layout):
            text = render(lines)
            if text is not None and text not in seen:
                seen.add(text)
                found.append(text)
    return tuple(StdioTest(text) for text in chosen(found, k, seed, problem))


def layout_mutants(layout: Layout) -> list[Lines]:
    """One change each: a counted part one item shorter or longer, reversed or sorted; a number
    that counts nothing moved to a neighbour or zero."""
    out: list[Lines] = []
    for count in layout.counts:
        n = int(layout.lines[count.line][count.position])
        out += [resized(layout.lines, count, n - 1), resized(layout.lines, count, n + 1),
                reordered(layout.lines, count, "reversed"), reordered(layout.lines, count, "sorted")]
    for line, position in layout.free:
        out += [set_token(layout.lines, line, position, str(v))
                for v in variants(int(layout.lines[line][position]))]
    return out


def chosen(found: list, k: int, seed: int, problem: Problem) -> list:
    """`k` of `found`, shuffled by `seed` and the problem id, so replays see the same inputs."""
    found = list(found)
    random.Random(f"{seed}:{problem.id}").shuffle(found)
    return found[:k]


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
