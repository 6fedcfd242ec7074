"""`lint`: prune programs that pyflakes proves will fail: undefined names and similar fatal lints,
or a function task whose entry point is never defined.

pyflakes judges code paths that may never run, so a correct program with an undefined name in
dead code is pruned too; `codesieve pareto` reports how many correct programs each stage pruned.
"""

from __future__ import annotations

import ast
from typing import Sequence

from pyflakes import checker, messages

from codesieve.types import Problem, TaskKind
from codesieve.verify.base import Group, Score, timed_each
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


def lint_messages(tree: ast.Module) -> list[messages.Message]:
    """pyflakes' findings on a parsed program ([] when the tree is too deep for pyflakes)."""
    try:
        return list(checker.Checker(tree, filename="<candidate>").messages)
    except RecursionError:
        return []


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


def fatal_lint(problem: Problem, program: str) -> str:
    """The first reason pyflakes (or a missing entry point) says the program must fail, or ""."""
    tree = parse(program)
    if isinstance(tree, str):
        return tree
    for message in lint_messages(tree):
        if isinstance(message, FATAL):
            return message.message % message.message_args
    if problem.kind is TaskKind.FUNCTION and problem.entry_point:
        entry = problem.entry_point.split(".")[0]
        if entry not in top_level_names(tree):
            return f"entry point {entry!r} is never defined"
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
