"""Calls of a function read as tests: `f([1, 2], 3)` and `assert f(x) == y` in Python text.

One reader for every place that turns written calls into `CallTest`s: docstring examples
(`_examples`), the model's test inputs and CodeT tests (`select.inputs`), and public assert lines
shown as calls in debug feedback (`generate.public`). Arguments are read with `ast.literal_eval`,
so nothing written is executed; a variable assigned a literal earlier in the text may stand for
an argument. A bare literal is taken as the argument tuple (or as the single argument of a
one-parameter function). Statements that cannot be read are dropped and counted.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Iterator

from codesieve.types import CallTest, Problem, Test

MAX_INPUT_CHARS = 4000
_OPEN = "([{"
_CLOSE = ")]}"
_UNREADABLE = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)
_TEST_NAME = r"test\w*|check"  # functions whose bodies hold a model's calls (`def test_...():`, `def check():`)
_TEST_HEADER = re.compile(rf"(async\s+)?def\s+({_TEST_NAME})\s*\(|if\s+__name__\s*==\s*['\"]__main__['\"]\s*:")


@dataclass(frozen=True)
class ParsedTests:
    """Tests read from a text; `invalid` counts the attempts that could not be read."""

    tests: tuple[Test, ...]
    invalid: int = 0


def function_name(problem: Problem) -> str:
    """The name a call to the entry point uses (`Class.method` is called as `method`)."""
    return (problem.entry_point or "solution").split(".")[-1]


def parameters(program: str, name: str) -> list[str] | None:
    """Positional parameter names of function (or method, minus `self`) `name` in `program`."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            names = [a.arg for a in node.args.posonlyargs + node.args.args]
            return names[1:] if names[:1] in (["self"], ["cls"]) else names
    return None


def unique(parsed: ParsedTests) -> ParsedTests:
    """The same tests without repeats, first occurrence kept."""
    seen: list[Test] = []
    for test in parsed.tests:
        if test not in seen:
            seen.append(test)
    return ParsedTests(tuple(seen), parsed.invalid)


def is_call(node: ast.AST, name: str) -> bool:
    """`name(...)` or `obj.name(...)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (isinstance(func, ast.Attribute) and func.attr == name)


def is_equality(expr: ast.expr) -> bool:
    """`a == b`, one comparison."""
    return isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], ast.Eq)


def call_arguments(call: ast.Call, params: list[str] | None = None,
                   env: dict[str, Any] | None = None) -> tuple[Any, ...]:
    """The call's arguments in parameter order; keyword arguments need `params`. Raises
    ValueError (or another of the `ast.literal_eval` errors) when they cannot be read."""
    env = env or {}
    args = [_value(a, env) for a in call.args]
    if call.keywords:
        if params is None or any(k.arg is None for k in call.keywords):
            raise ValueError("keyword arguments need the parameter list")
        given = {k.arg: _value(k.value, env) for k in call.keywords}
        for p in params[len(args):]:
            if p not in given:
                break
            args.append(given.pop(p))
        if given:
            raise ValueError(f"unplaceable keyword arguments {sorted(given)}")
    if params is not None and len(args) > len(params):  # fewer is fine: parameters may have defaults
        raise ValueError(f"{len(args)} arguments for {len(params)} parameters")
    return tuple(args)


def read_calls(code: str, name: str, params: list[str] | None, with_expected: bool) -> ParsedTests:
    """Calls of `name` in `code` as tests, repeats dropped: with `with_expected`, only
    `assert name(...) == value` lines (either side); else any statement calling `name`, a bare
    literal as the arguments, and `>>> name(...)` doctest lines (small models often answer by
    repeating the function with new doctests)."""
    statements, invalid = _statements(code)
    statements = list(_unwrapped(statements))
    if not with_expected:
        for line in code.splitlines():
            if line.strip().startswith(">>>"):
                try:
                    statements.extend(ast.parse(line.strip()[3:].strip()).body)
                except SyntaxError:
                    invalid += 1
    tests: list[Test] = []
    env: dict[str, Any] = {}  # `xs = [1, 2]` before `f(xs)`: literal variables the calls may use
    for stmt in statements:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue  # the code was repeated: not an attempt at a test
        try:
            if _is_literal_assignment(stmt, name):
                env[stmt.targets[0].id] = _value(stmt.value, env)  # type: ignore[attr-defined]
                continue
            test = _test(stmt, name, params, with_expected, env)
        except _UNREADABLE:
            test = None
        if test is None:
            invalid += 1
        elif len(repr(test)) <= MAX_INPUT_CHARS:
            tests.append(test)
        else:
            invalid += 1
    return unique(ParsedTests(tuple(tests), invalid))


def _unwrapped(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements, with the bodies of test functions (`def test_...():`, `def check():`) and of
    `if __name__ == "__main__":` in place of them: small models often put their calls there."""
    for stmt in statements:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and re.fullmatch(_TEST_NAME, stmt.name):
            yield from _unwrapped(stmt.body)
        elif isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
            yield from _unwrapped(stmt.body)
        else:
            yield stmt


def _is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"`."""
    if not isinstance(test, ast.Compare) or not is_equality(test):
        return False
    left, right = test.left, test.comparators[0]
    return (isinstance(left, ast.Name) and left.id == "__name__" and isinstance(right, ast.Constant)
            and right.value == "__main__")


def _statements(code: str) -> tuple[list[ast.stmt], int]:
    """The statements of `code`; if it does not parse as a whole, parse line by line, joining lines
    while brackets are open, and count the unparsable pieces."""
    try:
        return ast.parse(code).body, 0
    except (SyntaxError, ValueError):
        pass
    found: list[ast.stmt] = []
    invalid, buffer, in_def = 0, [], False
    for line in code.splitlines():
        if not buffer and (not line.strip() or line.lstrip().startswith(("#", "```", ">>>"))):
            continue
        if not buffer and _TEST_HEADER.match(line):
            in_def = False  # a test function or main guard: its indented calls are read
            continue
        if not buffer and re.match(r"(def|class|async def)\s|@", line):
            in_def = True  # a repeated function: skip it and its indented body
            continue
        if in_def and not buffer and line[:1].isspace():
            continue
        in_def = False
        buffer.append(line)
        piece = "\n".join(buffer).strip()
        try:
            found.extend(ast.parse(piece).body)
            buffer = []
        except SyntaxError:
            depth = sum(piece.count(c) for c in _OPEN) - sum(piece.count(c) for c in _CLOSE)
            if depth <= 0 or len(buffer) > 50:
                invalid += 1
                buffer = []
    return found, invalid + bool(buffer)


def _is_literal_assignment(stmt: ast.stmt, name: str) -> bool:
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and not any(is_call(n, name) for n in ast.walk(stmt.value)))


def _value(node: ast.AST, env: dict[str, Any]) -> Any:
    """A literal, or a variable assigned a literal earlier in the text."""
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    return ast.literal_eval(node)


def _test(stmt: ast.stmt, name: str, params: list[str] | None, with_expected: bool,
          env: dict[str, Any]) -> CallTest | None:
    if with_expected:
        if not isinstance(stmt, ast.Assert) or not is_equality(stmt.test):
            return None
        cmp = stmt.test
        left, right = cmp.left, cmp.comparators[0]  # type: ignore[attr-defined]
        if not is_call(left, name):
            left, right = right, left
        if not is_call(left, name):
            return None
        return CallTest(call_arguments(left, params, env), _value(right, env))  # type: ignore[arg-type]
    node = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else getattr(stmt, "test", None)
    if node is None:
        return None
    call = next((n for n in ast.walk(node) if is_call(n, name)), None)
    if call is not None:
        return CallTest(call_arguments(call, params, env))  # type: ignore[arg-type]
    value = ast.literal_eval(node)
    if isinstance(value, tuple) and not (params is not None and len(params) == 1):
        return CallTest(value)
    return CallTest((value,)) if params is None or len(params) == 1 else None
