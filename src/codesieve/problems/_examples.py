"""Public tests from the examples in a HumanEval-style docstring.

HumanEval writes its examples in many informal ways; this module reads the common ones:

    >>> f(1, 2)              doctest: the result is on the next line(s); no line means None
    3
    >>> f(1, 2) == 3         doctest comparison
    f(1, 2) ==> 3            also =>, ->, ➞, ==, =, "should return", "returns", "# returns"
    For x = [1, 2] the output should be 3        ("the result should be" too)
    Input: x = [1, 2], k = 3                      (or a bare value, for one parameter)
    Output: 3

Arguments and results must be Python literals (`ast.literal_eval`); `true`/`false` are read as
booleans and `a = b = 3` as 3. An example calling the entry point with literal arguments becomes
a `CallTest`; any other doctest line becomes an `AssertTest`. The reading is heuristic: callers
must run the tests against the reference solution and drop those it fails (see `_reference`).
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
import warnings
from typing import Any, Callable, Sequence, TypeVar

from codesieve.problems.calls import call_arguments, is_equality, parameters
from codesieve.types import AssertTest, CallTest, Test

_DOCTEST = re.compile(r"^\s*(?:[rRuU]?(?:\"{3}|'{3}))?\s*>>>")  # also right after the opening quotes
_ARROW = re.compile(r"\s*(?:#\s*)?(?:==>|=>|->|➞|==|=|should return|returns|return)(?=[^=>]|$)\s*")
_SHOULD_BE = re.compile(r"^\s*for\s+(.+?),?\s+the (?:output|result) should be\s+(.+)$", re.IGNORECASE)
_INPUT = re.compile(r"^\s*Input:\s*(.*)$")
_OUTPUT = re.compile(r"^\s*Output:\s*(.*)$")
_COLON_ASSIGN = re.compile(r"^\s*(\w+)\s*:\s+")


F = TypeVar("F", bound=Callable[..., Any])


def quietly(fn: F) -> F:
    """Parse dataset text without warnings: old datasets hold strings like "\\d" that Python
    warns about (DeprecationWarning in 3.11, SyntaxWarning from 3.12) but still accepts."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", SyntaxWarning)
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@quietly
def docstring_tests(prompt: str, entry_point: str) -> tuple[Test, ...]:
    """The examples found in the text of `prompt` after `def <entry_point>(`, deduplicated."""
    params = parameters(prompt, entry_point)
    start = re.search(rf"^\s*def\s+{re.escape(entry_point)}\s*\(.*$", prompt, re.MULTILINE)
    text = prompt[start.end():] if start else prompt
    lines = text.splitlines()
    found: list[Test] = []
    found += _doctests(lines, entry_point)
    found += _inline_calls(lines, entry_point)
    found += _described(lines, params)
    unique: list[Test] = []
    for test in found:
        if test not in unique:
            unique.append(test)
    return tuple(unique)


def _doctests(lines: list[str], entry_point: str) -> list[Test]:
    tests = []
    for i, line in enumerate(lines):
        start = _DOCTEST.match(line)
        if not start:
            continue
        source = line[start.end():].strip()
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("..."):
            source += "\n" + lines[j].strip()[3:].strip()
            j += 1
        output = []
        while j < len(lines) and lines[j].strip() and not lines[j].strip().startswith(">>>"):
            if lines[j].strip() in ('"""', "'''"):
                break
            output.append(lines[j].strip())
            j += 1
        test = _doctest(source, "\n".join(output), entry_point)
        if test is not None:
            tests.append(test)
    return tests


def _doctest(source: str, output: str, entry_point: str) -> Test | None:
    try:
        expr = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    if not output and is_equality(expr):
        expr, output = expr.left, ast.get_source_segment(source, expr.comparators[0]) or ""
    ok, expected = _literal(output) if output else (True, None)
    if not ok:
        return None
    args = _call_args(expr, entry_point)
    if args is not None:
        return CallTest(args, expected)
    if not output or entry_point not in source:
        return None
    return AssertTest(f"assert ({ast.unparse(expr)}) == {expected!r}")


def _inline_calls(lines: list[str], entry_point: str) -> list[Test]:
    """`f(args) <arrow> result`, where the call may span several lines."""
    text = "\n".join(line for line in lines if not _DOCTEST.match(line))
    tests = []
    for match in re.finditer(rf"(?<![\w.]){re.escape(entry_point)}\s*\(", text):
        end = _closing_paren(text, match.end() - 1)
        if end is None:
            continue
        try:
            call = ast.parse(text[match.start():end + 1], mode="eval").body
        except SyntaxError:
            continue
        args = _call_args(call, entry_point)
        rest = text[end + 1:].split("\n", 1)[0]
        arrow = _ARROW.match(rest)
        if args is None or not arrow:
            continue
        ok, expected = _literal(rest[arrow.end():])
        if ok:
            tests.append(CallTest(args, expected))
    return tests


def _described(lines: list[str], params: list[str] | None) -> list[Test]:
    """"For x = 1 the output should be 2" and "Input: ... / Output: ..." blocks."""
    if params is None:
        return []
    tests = []
    for i, line in enumerate(lines):
        if m := _SHOULD_BE.match(line):
            inputs, output = m.group(1), m.group(2)
        elif m := _INPUT.match(line):
            block = [m.group(1)]
            j = i + 1
            while j < len(lines) and not _OUTPUT.match(lines[j]) and lines[j].strip() and j < i + 8:
                block.append(lines[j].strip())
                j += 1
            out = _OUTPUT.match(lines[j]) if j < len(lines) else None
            if out is None:
                continue
            inputs = ", ".join(_COLON_ASSIGN.sub(r"\1 = ", b) for b in block if b)
            output = out.group(1)
        else:
            continue
        args = _bind(inputs, params)
        ok, expected = _literal(output)
        if args is not None and ok:
            tests.append(CallTest(args, expected))
    return tests


def _bind(inputs: str, params: list[str]) -> tuple[Any, ...] | None:
    """Arguments in parameter order from "a = 1, b = [2]" or "[2]"; None unless all bind.

    Names that differ from the signature's ("bucket_capacity" for `capacity`) bind in order.
    Text after the arguments ("N = 1000, the sum of digits will be 1") is cut at commas.
    """
    pieces = inputs.split(",")
    for n in range(len(pieces), 0, -1):
        try:
            call = ast.parse(f"_({','.join(pieces[:n])})", mode="eval").body
        except SyntaxError:
            continue
        try:
            positional = [ast.literal_eval(a) for a in call.args]
            named = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        rest = params[len(positional):]
        if None in named or len(positional) + len(named) != len(params):
            return None
        if set(named) == set(rest):
            return tuple(positional) + tuple(named[p] for p in rest)
        return tuple(positional) + tuple(named.values())  # names differ from the signature
    return None


def _call_args(expr: ast.expr, entry_point: str) -> tuple[Any, ...] | None:
    """Literal positional arguments of a plain call of `entry_point`, else None."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == entry_point):
        return None
    try:
        return call_arguments(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _literal(text: str) -> tuple[bool, Any]:
    """(True, value) for the first reading of `text` that is a literal, else (False, None)."""
    text = text.strip()
    candidates = [text, text.split("#", 1)[0], text.rsplit("=", 1)[-1]]
    for candidate in candidates:
        candidate = candidate.strip().rstrip(".,;").strip()
        if candidate.lower() in ("true", "false"):
            return True, candidate.lower() == "true"
        try:
            return True, ast.literal_eval(candidate)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
    return False, None


def _closing_paren(text: str, open_at: int) -> int | None:
    """Index of the parenthesis closing the one at `open_at`, skipping brackets inside strings."""
    depth, quote, i = 0, "", open_at
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


@quietly
def assertion_test(code: str, entry_point: str) -> Test:
    """An assert line as a test: `assert f(literals) == literal` becomes a `CallTest` (whose
    failures report expected and actual values); any other assert stays an `AssertTest`, with
    `import math` added when it uses `math.` without importing it (MBPP's isclose checks)."""
    stmt = _lone_assert(code)
    if stmt is not None and is_equality(stmt.test):
        args = _call_args(stmt.test.left, entry_point)
        ok, expected = _literal(ast.get_source_segment(code.strip(), stmt.test.comparators[0]) or "")
        if args is not None and ok:
            return CallTest(args, expected)
    if re.search(r"\bmath\.", code) and not re.search(r"^\s*(?:import|from) math\b", code, re.MULTILINE):
        code = "import math\n" + code
    return AssertTest(code)


@quietly
def _lone_assert(code: str) -> ast.Assert | None:
    """The statement of code that is a single assert without a message, else None."""
    try:
        tree = ast.parse(code.strip())
    except SyntaxError:
        return None
    stmt = tree.body[0] if len(tree.body) == 1 else None
    return stmt if isinstance(stmt, ast.Assert) and stmt.msg is None else None


def asserted_truth(test: Test, entry_point: str) -> tuple[tuple[Any, ...], bool] | None:
    """`assert f(literals)` as (arguments, True) and `assert not f(literals)` as (arguments, False);
    None for any other test. Such an example says what the function returns on its input as
    plainly as `== True` would, though as a test it accepts any truthy (falsy) value."""
    stmt = _lone_assert(test.code) if isinstance(test, AssertTest) else None
    if stmt is None:
        return None
    expr, truth = stmt.test, True
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        expr, truth = expr.operand, False
    args = _call_args(expr, entry_point)
    return None if args is None else (args, truth)


@quietly
def called_function(code: str, defined: Sequence[str] = ()) -> str | None:
    """The function an assert tests (MBPP's entry point): the first one it calls that is among
    `defined` (the reference's functions, which may shadow builtins such as `sum`), else the
    first that is not a builtin."""
    try:
        tree = ast.parse(code.strip())
    except SyntaxError:
        return None
    names = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    for name in names:
        if name in defined:
            return name
    return next((name for name in names if name not in dir(builtins)), None)
