"""`lint`: prune programs that pyflakes proves will fail: undefined names and similar fatal lints,
or a function task whose entry point is never defined.

pyflakes judges code paths that may never run, so a correct program with an undefined name in
dead code is pruned too; `codesieve pareto` reports how many correct programs each stage pruned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Sequence

from pyflakes import checker, messages

from codesieve.types import Problem, TaskKind
from codesieve.verify.base import Group, Score, timed_each
from codesieve.verify.memo import per_run
from codesieve.verify.syntax import parse

FATAL = (
    messages.UndefinedName,
    messages.UndefinedLocal,
    messages.DuplicateArgument,
    messages.ReturnOutsideFunction,
    messages.YieldOutsideFunction,
    messages.ContinueOutsideLoop,
    messages.BreakOutsideLoop,
    messages.TwoStarredExpressions,
    messages.TooManyExpressionsInStarredAssignment,
)


@dataclass(frozen=True)
class Findings:
    error: str  # why the program cannot be parsed, or ""
    fatal: tuple[str, ...] = ()  # fatal pyflakes messages
    warnings: int = 0  # other pyflakes messages (unused names, ...)
    names: frozenset[str] = frozenset()  # names bound at top level


@per_run
def findings(program: str) -> Findings:
    tree = parse(program)
    if isinstance(tree, str):
        return Findings(tree)
    try:
        found = checker.Checker(tree, filename="<candidate>").messages
    except RecursionError:  # too deep for pyflakes' recursive walk: nothing proven
        found = []
    fatal = tuple(m.message % m.message_args for m in found if isinstance(m, FATAL))
    return Findings("", fatal, len(found) - len(fatal), frozenset(top_level_names(tree)))


def top_level_names(tree: ast.Module) -> set[str]:
    """Names a module binds at top level: defs, classes, assignments and imports."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def defines_entry_point(problem: Problem, found: Findings) -> bool:
    if problem.kind is not TaskKind.FUNCTION or not problem.entry_point:
        return True
    return problem.entry_point.split(".")[0] in found.names


def fatal_lint(problem: Problem, program: str) -> str:
    """The first reason pyflakes (or a missing entry point) says the program must fail, or ""."""
    found = findings(program)
    if found.error or found.fatal:
        return found.error or found.fatal[0]
    if not defines_entry_point(problem, found):
        return f"entry point {problem.entry_point.split('.')[0]!r} is never defined"
    return ""


class LintVerifier:
    """Prunes programs with fatal lint findings (see `FATAL`)."""

    def verify(self, groups: Sequence[Group]) -> list[list[Score]]:
        out = []
        for group in groups:
            def judge(candidate, problem=group.problem) -> tuple[bool, float, str]:
                reason = fatal_lint(problem, candidate.program)
                return (not reason, 0.0, reason)

            out.append(timed_each(group.candidates, judge))
        return out
