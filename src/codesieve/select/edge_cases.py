"""Edge-case inputs read off a problem's signature and examples, without the model.

Wrong programs most often part from right ones at the edges: an empty list, a zero, a negative
number, a single element, a long input. A small model asked for edge cases mostly repeats the
examples, so these are written here instead, for nothing:

- function tasks: each argument of the first example in turn set to its type's edges (int and
  float: zero, one, negative; str, list and tuple: empty, one element, long; list of numbers: all
  negated; dict: empty), and every argument at its emptiest at once. Without an example, the
  values come from the entry point's annotations (`List[int]` -> `[1, 2, 3]`).
- stdin tasks: each example with every counted part (`layout`) cut to one item, and grown long,
  its counts kept consistent. Numbers that count nothing are left as written: a zero or a negative
  where the statement promises a positive would only split candidates by how they treat it.

Edges may break a stated precondition; an input on which no candidate runs to completion is
dropped by the grouping, like any other.
"""

from __future__ import annotations

import ast
from typing import Any, Sequence

from codesieve.problems.calls import function_name
from codesieve.select.layout import Count, Lines, read_layout, render, resized
from codesieve.types import CallTest, Problem, StdioTest, TaskKind, Test

LONG = 100  # items of a long list or string, lines or tokens of a long stdin part (shorter if it would not fit)


def edge_cases(problem: Problem, programs: Sequence[str] = ()) -> tuple[Test, ...]:
    """The problem's edge-case inputs, in a fixed order, none equal to a public input.
    `programs` (candidates) give the signature when the problem's own code does not."""
    if problem.kind == TaskKind.FUNCTION:
        found: tuple[Test, ...] = tuple(CallTest(args) for args in function_edges(problem, programs))
    else:
        found = tuple(StdioTest(text) for text in stdin_edges(problem))
    out: list[Test] = []
    for test in found:
        if test not in out and test not in problem.public_tests:
            out.append(test)
    return tuple(out)


def function_edges(problem: Problem, programs: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    examples = [t.args for t in problem.public_tests if isinstance(t, CallTest)]
    base = examples[0] if examples else signature_values(problem, programs)
    if not base:
        return []
    out = [base[:i] + (edge,) + base[i + 1:] for i, value in enumerate(base) for edge in edges(value)]
    if len(base) > 1:
        out.append(tuple(_emptiest(v) for v in base))
    return [args for args in out if args not in examples]


def _emptiest(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return type(value)(0)
    return value[:0] if isinstance(value, (str, list, tuple)) else {} if isinstance(value, dict) else value


def edges(value: Any) -> list[Any]:
    """The edge values of `value`'s type, emptiest first, without `value` itself."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        kind = type(value)
        found = [kind(0), kind(1), kind(-1), -abs(value)]
    elif isinstance(value, (str, list, tuple)):
        found = [value[:0], value[:1], _long(value), _negated(value)]
    elif isinstance(value, dict):
        found = [{}]
    else:
        return []
    out: list[Any] = []
    for v in found:
        if v is not None and v != value and v not in out:
            out.append(v)
    return out


def _long(value: str | list | tuple) -> str | list | tuple | None:
    if not value:
        return None
    return value * (LONG // len(value)) + value[:LONG % len(value)]


def _negated(value: str | list | tuple) -> list | tuple | None:
    numbers = not isinstance(value, str) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                 for x in value)
    if not numbers or not any(x > 0 for x in value):
        return None
    return type(value)(-x for x in value)


def signature_values(problem: Problem, programs: Sequence[str] = ()) -> tuple[Any, ...]:
    """Plain values for the entry point's annotated parameters (empty if any is unannotated or
    of a type not known here), from the problem's own code first, then the programs."""
    name = function_name(problem)
    for source in (problem.starter_code, problem.reference, *programs):
        node = _definition(source or "", name)
        if node is not None:
            params = [a for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
            values = [_value(a.annotation) for a in params]
            return tuple(values) if params and all(v is not None for v in values) else ()
    return ()


def _definition(source: str, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and n.name == name), None)


_PLAIN = {"int": [1, 2, 3], "float": [1.5, 2.5, 0.5], "str": ["abc", "b", "ca"], "bool": [True, False, True]}


def _value(node: ast.expr | None, k: int = 0) -> Any:
    """The `k`-th plain value of an annotation: a number, a string, or a container of three such."""
    if isinstance(node, ast.Name) and node.id in _PLAIN:
        return _PLAIN[node.id][k % 3]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        outer = node.value.id.lower()
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer in ("list", "sequence") and len(inner) == 1:
            items = [_value(inner[0], j) for j in range(3)]
            return None if None in items else items
        if outer == "tuple" and all(not isinstance(e, ast.Constant) for e in inner):
            items = [_value(e, k) for e in inner]
            return None if None in items else tuple(items)
        if outer == "dict" and len(inner) == 2:
            key, value = _value(inner[0], k), _value(inner[1], k)
            return None if key is None or value is None else {key: value}
    return None


def stdin_edges(problem: Problem) -> list[str]:
    """Each example with every counted part at one item, then grown long."""
    out: list[str] = []
    for test in problem.public_tests:
        if not isinstance(test, StdioTest):
            continue
        layout = read_layout(test.input)
        if not layout.counts:
            continue
        last_first = sorted(layout.counts, key=lambda c: (-c.line, -c.position))
        for text in (render(_all_at(layout.lines, last_first, 1)), _longest(layout.lines, last_first)):
            if text is not None and text not in out and text != render(layout.lines):
                out.append(text)
    return out


def _all_at(lines: Lines, counts: Sequence[Count], n: int) -> Lines:
    for count in counts:  # later counts first: a resize moves only the lines after its count
        lines = resized(lines, count, n)
    return lines


def _longest(lines: Lines, counts: Sequence[Count]) -> str | None:
    """Every counted part at `LONG` items, or at fewer, halved until the input fits."""
    n = LONG
    while n >= 2:
        text = render(_all_at(lines, counts, n))
        if text is not None:
            return text
        n //= 2
    return None
