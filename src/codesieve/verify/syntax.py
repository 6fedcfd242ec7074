"""`syntax`: does the program compile? Compiling is not running, so it happens in this process.

Untrusted source can still hurt a compiler: huge inputs and deep nesting are refused before
parsing, and the parser's own recursion and memory errors count as syntax failures. CPython
folds constants with size caps, so `2**10**10` does not blow up at compile time.

`parse` and `compile_error` are remembered per cascade run (see `memo`); the shared syntax
tree must be treated as read-only.
"""

from __future__ import annotations

import ast
from typing import Sequence

from codesieve.stages import ProblemCandidates, Score, timed_each
from codesieve.verify.memo import per_run

MAX_PROGRAM_CHARS = 200_000
MAX_BRACKET_DEPTH = 100
_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError)


@per_run
def parse(program: str) -> ast.Module | str:
    """The program's syntax tree, or why it has none."""
    problem = _refuse(program)
    if problem:
        return problem
    try:
        return ast.parse(program)
    except _PARSE_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"


@per_run
def compile_error(program: str) -> str:
    """Why `program` does not compile, or "" if it does (full compile: symbol-table errors too)."""
    problem = _refuse(program)
    if problem:
        return problem
    try:
        compile(program, "<candidate>", "exec", dont_inherit=True)
    except _PARSE_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def _refuse(program: str) -> str:
    if len(program) > MAX_PROGRAM_CHARS:
        return f"program too large ({len(program)} chars > {MAX_PROGRAM_CHARS})"
    depth = deepest = 0
    for ch in program:  # a cheap over-estimate: brackets inside strings count too
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    if deepest > MAX_BRACKET_DEPTH:
        return f"brackets nested {deepest} deep (> {MAX_BRACKET_DEPTH})"
    return ""


class SyntaxVerifier:
    """Prunes programs that do not compile."""

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        return [timed_each(g.candidates, _judge) for g in groups]


def _judge(candidate) -> tuple[bool, float, str]:
    error = compile_error(candidate.program)
    return (not error, 0.0, error)
