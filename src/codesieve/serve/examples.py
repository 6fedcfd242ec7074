"""Tests read from the examples written in a chat prompt, when the request brings none of its own.

Three kinds of example are read, in this order of preference:

    def f(a, b):                 a function (in a ```python block or bare): its docstring's examples,
        '''>>> f(1, 2)           as `codesieve.problems._examples.docstring_tests` reads HumanEval's
        3'''                     (doctests, `f(1) -> 2`, "Input: ... Output: ..." bound to parameters)
    assert f(1, 2) == 3          assert lines anywhere in the text (MBPP style); they also name the
                                 function when no `def` does
    Input:                       input/output blocks of a program reading stdin ("Example input:",
    1 2                          "Sample Output 1:" and the like; a block may start on the header's line;
                                 a block of sentences is a statement's format section, not an example)
    Output:
    3

Nothing here runs the text: values are read with `ast.literal_eval`. A prompt with none of these
gets no tests; a function prompt still gets its entry point when it writes one `def`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from codesieve.generate.extract import code_blocks
from codesieve.problems._examples import assertion_test, called_function, docstring_tests
from codesieve.types import StdioTest, TaskKind, Test

_ASSERT = re.compile(r"^\s*(?:>>>\s*)?(assert\s.+)$", re.MULTILINE)
_HEADER = re.compile(r"^\s*(?:(?:example|sample)\s+)?(input|output)(?:\s*#?\d+)?\s*(?::\s*(?P<rest>.*)|\s*)$",
                     re.IGNORECASE)
_STDIN = re.compile(r"standard input|\bstdin\b|reads? (?:the )?input", re.IGNORECASE)
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})\w*\s*$")
_PROSE = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){3,}")  # four words in a row: a sentence, not data
MAX_BLOCK_LINES = 50


@dataclass(frozen=True)
class FoundTests:
    """What a prompt's text says about its task: the kind, the function to call, the examples."""

    kind: TaskKind
    entry_point: str | None
    tests: tuple[Test, ...]


def read_examples(text: str) -> FoundTests:
    """The task kind, entry point and example tests written in `text` (see the module docstring)."""
    source = _function_source(text)
    entry_point = _last_function(source) if source else None
    asserts = _ASSERT.findall(text)
    if entry_point is None and asserts:
        entry_point = called_function(asserts[0])
    if entry_point is not None:
        tests = list(docstring_tests(source, entry_point)) if source else []
        tests += [t for t in (assertion_test(a, entry_point) for a in asserts) if t not in tests]
        return FoundTests(TaskKind.FUNCTION, entry_point, tuple(tests))
    stdio = stdio_examples(text)
    if stdio or _STDIN.search(text):
        return FoundTests(TaskKind.STDIO, None, stdio)
    return FoundTests(TaskKind.FUNCTION, None, ())


def stdio_examples(text: str) -> tuple[StdioTest, ...]:
    """Each "Input" block followed by an "Output" block, as a stdin/stdout test. Blocks that read as
    prose are a statement's "Input"/"Output" sections describing the format, not examples."""
    lines = text.splitlines()
    tests: list[StdioTest] = []
    pending: str | None = None
    i = 0
    while i < len(lines):
        header = _HEADER.match(lines[i])
        if not header:
            i += 1
            continue
        is_input = header[1].lower() == "input"
        block, i = _block(lines, i + 1, header["rest"], blank_lines=is_input)
        if _PROSE.search(block):
            pending = None
        elif is_input:
            pending = block
        elif pending is not None:
            tests.append(StdioTest(pending, block))
            pending = None
    return tuple(dict.fromkeys(tests))


def _block(lines: list[str], start: int, first: str | None, *, blank_lines: bool) -> tuple[str, int]:
    """The lines of one example from `start` (after `first`, the rest of the header's line) up to the
    next header, or with `blank_lines` False up to a blank line too (an input may hold blank lines
    between its test cases; an output ends at one). Fence lines are dropped, and blank lines at
    either end. Returns it and where it ended."""
    body = [first.strip()] if first and first.strip() else []
    i = start
    while i < len(lines) and len(body) < MAX_BLOCK_LINES and not _HEADER.match(lines[i]):
        line = lines[i].strip()
        if not line and body and not blank_lines:
            break
        if (line or body) and not _FENCE_LINE.match(line):
            body.append(line)
        i += 1
    while body and not body[-1]:
        body.pop()
    return "".join(f"{line}\n" for line in body), i


def _function_source(text: str) -> str | None:
    """The code that defines the task's function: the last Python block with a `def`, else the text
    itself when it has a top-level `def`."""
    blocks = [b.code for b in code_blocks(text) if b.is_python and re.search(r"^def\s", b.code, re.MULTILINE)]
    if blocks:
        return blocks[-1]
    return text if re.search(r"^def\s", text, re.MULTILINE) else None


def _last_function(source: str) -> str | None:
    """The last top-level function of `source` (HumanEval prompts put helpers first)."""
    try:
        names = [n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    except SyntaxError:  # prose around the code: read the definitions' lines
        names = re.findall(r"^(?:async\s+)?def\s+(\w+)\s*\(", source, re.MULTILINE)
    return names[-1] if names else None
