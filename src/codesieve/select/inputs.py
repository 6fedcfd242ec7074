"""Model-written test inputs: robust parsing of whatever the model answers, and how inputs are shown.

Function tasks: the model writes calls such as `f([1, 2], 3)`, one per line; arguments are read
with `ast.literal_eval`, so nothing the model writes is executed here; a variable assigned a
literal earlier in the answer may stand for an argument. A bare literal is taken as the argument
tuple (or as the single argument of a one-parameter function). Stdio tasks: each
fenced block is one raw stdin input. Inputs that cannot be read are dropped and counted.
CodeT-style tests (`assert f(x) == y`, or input/output block pairs) are read the same way.
Calls are read by `codesieve.problems.calls`, the one reader of written calls.
"""

from __future__ import annotations

from codesieve.generate.extract import code_blocks
from codesieve.problems.calls import MAX_INPUT_CHARS, ParsedTests, function_name, parameters, read_calls, unique
from codesieve.text import clip
from codesieve.types import CallTest, Problem, StdioTest, TaskKind, Test


def parse_inputs(problem: Problem, text: str, params: list[str] | None = None) -> ParsedTests:
    """Test inputs from a model's answer. `params` (the entry point's parameters, when known)
    lets a bare value stand for the single argument and keyword arguments be placed."""
    if problem.kind == TaskKind.FUNCTION:
        return read_calls(_code(text), function_name(problem), params, with_expected=False)
    blocks = fenced_blocks(text)
    tests, invalid = [], 0 if blocks else 1
    for _, body in blocks:
        if body.strip() and len(body) <= MAX_INPUT_CHARS:
            tests.append(StdioTest(stdin_text(body)))
        else:
            invalid += 1
    return unique(ParsedTests(tuple(tests), invalid))


def parse_tests(problem: Problem, text: str, params: list[str] | None = None) -> ParsedTests:
    """CodeT tests with expected outputs: assert lines, or (input, output) block pairs."""
    if problem.kind == TaskKind.FUNCTION:
        return read_calls(_code(text), function_name(problem), params, with_expected=True)
    tests, invalid, pending = [], 0, None
    for tag, body in fenced_blocks(text):
        is_output = tag.lower() == "output" or (tag.lower() != "input" and pending is not None)
        if not is_output:
            invalid += pending is not None
            pending = body
        elif pending is None:
            invalid += 1
        else:
            tests.append(StdioTest(stdin_text(pending), stdin_text(body)))
            pending = None
    invalid += pending is not None
    if not tests and not invalid:
        invalid = 1
    return unique(ParsedTests(tuple(tests), invalid))


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """Each closed ``` block of a model's answer as (language tag, body), in order, read by the one
    fence scanner (`generate.extract.code_blocks`) as selection answers are."""
    return [(b.lang, b.code) for b in code_blocks(text, selection=True) if b.closed]


def stdin_text(text: str) -> str:
    """A stdin input as every source stores it: no blank lines around it, one newline at the end."""
    text = text.strip("\n")
    return text + "\n"


def _code(text: str) -> str:
    blocks = [body for tag, body in fenced_blocks(text) if tag.lower() in ("", "python", "py", "python3")]
    return "\n".join(blocks) if blocks else text


def show_input(problem: Problem, test: Test) -> str:
    """An input as the model reads it: a call for function tasks, the raw text for stdio."""
    if isinstance(test, CallTest):
        return f"{function_name(problem)}({', '.join(repr(a) for a in test.args)})"
    if isinstance(test, StdioTest):
        return clip(test.input, 400)
    return clip(getattr(test, "code", ""), 400)


def known_parameters(problem: Problem, programs: list[str]) -> list[str] | None:
    """The entry point's parameters, from the starter code or reference, else the first program."""
    name = function_name(problem)
    for source in (problem.starter_code, problem.reference, *programs):
        if source:
            found = parameters(source, name)
            if found is not None:
                return found
    return None
