"""Model-written test inputs: the prompts, and robust parsing of whatever the model answers.

Function tasks: the model writes calls such as `f([1, 2], 3)`, one per line; arguments are read
with `ast.literal_eval`, so nothing the model writes is executed here; a variable assigned a
literal earlier in the answer may stand for an argument. A bare literal is taken as the argument
tuple (or as the single argument of a one-parameter function). Stdio tasks: each
fenced block is one raw stdin input. Inputs that cannot be read are dropped and counted.
CodeT-style tests (`assert f(x) == y`, or input/output block pairs) are read the same way.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from codesieve.llm.base import ChatRequest, Message
from codesieve.select.base import Cost, Toolbox
from codesieve.types import CallTest, Problem, StdioTest, TaskKind, Test

MAX_INPUT_CHARS = 4000
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n(.*?)```", re.DOTALL)
_OPEN = "([{"
_CLOSE = ")]}"


@dataclass(frozen=True)
class ParsedTests:
    """Tests read from a model's answer; `invalid` counts the attempts that could not be read."""

    tests: tuple[Test, ...]
    invalid: int = 0


def statement(problem: Problem, limit: int = 2500) -> str:
    """The problem text as shown in selection prompts, cut to keep prompts small."""
    text = problem.prompt.strip()
    return text if len(text) <= limit else text[:limit] + "\n..."


def function_name(problem: Problem) -> str:
    """The name a call to the entry point uses (`Class.method` is called as `method`)."""
    return (problem.entry_point or "solution").split(".")[-1]


def inputs_request(problem: Problem, k: int, max_tokens: int, seed: int) -> ChatRequest:
    """Ask for `k` new test inputs (no outputs) covering edge cases."""
    if problem.kind == TaskKind.FUNCTION:
        name = function_name(problem)
        ask = (f"Write {k} new test inputs for `{name}`, including edge cases. Write one call per line, "
               f"like `{name}(...)` with literal arguments, in a ```python block. Do not repeat the function; "
               "no outputs, no asserts.")
    else:
        ask = (f"Write {k} new test inputs for this problem, including edge cases. Put each input in its own "
               "``` block, exactly as it is read from standard input. Small inputs only, no outputs.")
    return ChatRequest(messages=(Message("user", f"{statement(problem)}\n\n{ask}"),),
                       temperature=0.0, max_tokens=max_tokens, seed=seed)


def tests_request(problem: Problem, k: int, max_tokens: int, seed: int) -> ChatRequest:
    """CodeT: ask for `k` tests with their expected outputs."""
    if problem.kind == TaskKind.FUNCTION:
        name = function_name(problem)
        ask = (f"Write {k} test cases for `{name}` as assert lines, like `assert {name}(...) == expected`, "
               "in a ```python block.")
    else:
        ask = (f"Write {k} test cases for this problem. For each, an ```input block with the exact standard "
               "input, then an ```output block with the exact expected output.")
    return ChatRequest(messages=(Message("user", f"{statement(problem)}\n\n{ask}"),),
                       temperature=0.0, max_tokens=max_tokens, seed=seed)


def parse_inputs(problem: Problem, text: str, params: list[str] | None = None) -> ParsedTests:
    """Test inputs from a model's answer. `params` (the entry point's parameters, when known)
    lets a bare value stand for the single argument and keyword arguments be placed."""
    if problem.kind == TaskKind.FUNCTION:
        return _unique(_calls(text, function_name(problem), params, with_expected=False))
    blocks = fenced_blocks(text)
    tests, invalid = [], 0 if blocks else 1
    for _, body in blocks:
        if body.strip() and len(body) <= MAX_INPUT_CHARS:
            tests.append(StdioTest(_line_end(body)))
        else:
            invalid += 1
    return _unique(ParsedTests(tuple(tests), invalid))


def parse_tests(problem: Problem, text: str, params: list[str] | None = None) -> ParsedTests:
    """CodeT tests with expected outputs: assert lines, or (input, output) block pairs."""
    if problem.kind == TaskKind.FUNCTION:
        return _unique(_calls(text, function_name(problem), params, with_expected=True))
    tests, invalid, pending = [], 0, None
    for tag, body in fenced_blocks(text):
        is_output = tag.lower() == "output" or (tag.lower() != "input" and pending is not None)
        if not is_output:
            invalid += pending is not None
            pending = body
        elif pending is None:
            invalid += 1
        else:
            tests.append(StdioTest(_line_end(pending), _line_end(body)))
            pending = None
    invalid += pending is not None
    if not tests and not invalid:
        invalid = 1
    return _unique(ParsedTests(tuple(tests), invalid))


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


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """Each ``` block of a model's answer as (language tag, body), in order."""
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(text)]


def _line_end(text: str) -> str:
    text = text.strip("\n")
    return text + "\n"


def _unique(parsed: ParsedTests) -> ParsedTests:
    seen: list[Test] = []
    for test in parsed.tests:
        if test not in seen:
            seen.append(test)
    return ParsedTests(tuple(seen), parsed.invalid)


def _code(text: str) -> str:
    blocks = [body for tag, body in fenced_blocks(text) if tag.lower() in ("", "python", "py", "python3")]
    return "\n".join(blocks) if blocks else text


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


def _calls(text: str, name: str, params: list[str] | None, with_expected: bool) -> ParsedTests:
    code = _code(text)
    statements, invalid = _statements(code)
    if not with_expected:  # small models often answer by repeating the function with new doctests
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
            continue  # the model repeated the code: not an attempt at a test
        try:
            if _is_literal_assignment(stmt, name):
                env[stmt.targets[0].id] = _value(stmt.value, env)  # type: ignore[attr-defined]
                continue
            test = _test(stmt, name, params, with_expected, env)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            test = None
        if test is None:
            invalid += 1
        elif len(repr(test)) <= MAX_INPUT_CHARS:
            tests.append(test)
        else:
            invalid += 1
    return ParsedTests(tuple(tests), invalid)


def _is_literal_assignment(stmt: ast.stmt, name: str) -> bool:
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and not any(_is_call(n, name) for n in ast.walk(stmt.value)))


def _value(node: ast.AST, env: dict[str, Any]) -> Any:
    """A literal, or a variable assigned a literal earlier in the answer."""
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    return ast.literal_eval(node)


def _test(stmt: ast.stmt, name: str, params: list[str] | None, with_expected: bool,
          env: dict[str, Any]) -> CallTest | None:
    if with_expected:
        if not isinstance(stmt, ast.Assert) or not isinstance(stmt.test, ast.Compare):
            return None
        cmp = stmt.test
        if len(cmp.ops) != 1 or not isinstance(cmp.ops[0], ast.Eq):
            return None
        left, right = cmp.left, cmp.comparators[0]
        if not _is_call(left, name):
            left, right = right, left
        if not _is_call(left, name):
            return None
        return CallTest(_arguments(left, params, env), _value(right, env))
    node = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else getattr(stmt, "test", None)
    if node is None:
        return None
    call = next((n for n in ast.walk(node) if _is_call(n, name)), None)
    if call is not None:
        return CallTest(_arguments(call, params, env))
    value = ast.literal_eval(node)
    if isinstance(value, tuple) and not (params is not None and len(params) == 1):
        return CallTest(value)
    return CallTest((value,)) if params is None or len(params) == 1 else None


def _is_call(node: ast.AST, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (isinstance(func, ast.Attribute) and func.attr == name)


def _arguments(call: ast.Call, params: list[str] | None, env: dict[str, Any]) -> tuple[Any, ...]:
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


def show_input(problem: Problem, test: Test) -> str:
    """An input as the model reads it: a call for function tasks, the raw text for stdio."""
    if isinstance(test, CallTest):
        return f"{function_name(problem)}({', '.join(repr(a) for a in test.args)})"
    if isinstance(test, StdioTest):
        return _clip(test.input, 400)
    return _clip(getattr(test, "code", ""), 400)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text)} chars]"


def known_parameters(problem: Problem, programs: list[str]) -> list[str] | None:
    """The entry point's parameters, from the starter code or reference, else the first program."""
    name = function_name(problem)
    for source in (problem.starter_code, problem.reference, *programs):
        if source:
            found = parameters(source, name)
            if found is not None:
                return found
    return None


async def generate_inputs(problem: Problem, programs: list[str], tools: Toolbox, cost: Cost
                          ) -> tuple[ParsedTests, str]:
    """New test inputs for grouping candidates (one model call per problem, shared by selectors)."""
    params = known_parameters(problem, programs) if problem.kind == TaskKind.FUNCTION else None
    config = tools.config

    async def make(own: Cost) -> tuple[ParsedTests, str]:
        request = inputs_request(problem, config.n_inputs, config.max_tokens, config.seed)
        text = (await tools.ask([request], own))[0][0].text
        return parse_inputs(problem, text, params), text

    return await tools.shared((problem.id, "inputs", tuple(params) if params else None), make, cost)
