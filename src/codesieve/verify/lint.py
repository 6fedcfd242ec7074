"""`lint`: prune programs that pyflakes proves will fail: undefined names and similar fatal lints,
or a function task whose entry point is never defined.

pyflakes also reads code that never runs. Findings inside the bodies of top-level functions that
neither the entry point nor module-level code can reach (directly or through other functions)
are ignored: a correct solution with a broken unused helper must not be pruned. Other dead paths
(an untaken branch) still count; `codesieve pareto` reports how many correct programs each stage
pruned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Sequence

from pyflakes import checker, messages

from codesieve.stages import ProblemCandidates, Score, timed_each
from codesieve.types import Problem, TaskKind
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
class Finding:
    line: int
    col: int
    message: str


@dataclass(frozen=True)
class Findings:
    error: str  # why the program cannot be parsed, or ""
    fatal: tuple[Finding, ...] = ()  # fatal pyflakes messages
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
    fatal = tuple(Finding(m.lineno, m.col, m.message % m.message_args) for m in found if isinstance(m, FATAL))
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


@per_run
def unreachable_bodies(program: str, entry: str) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
    """(start, end) positions of the bodies of top-level functions that `entry` and module-level
    code never reference. Only bodies: defaults, annotations and decorators run at import."""
    tree = parse(program)
    if isinstance(tree, str):
        return ()
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if entry not in functions:
        return ()
    live = {entry}
    todo: list[ast.AST] = [functions[entry], *(n for n in tree.body if n not in functions.values())]
    while todo:
        for node in ast.walk(todo.pop()):
            if isinstance(node, ast.Name) and node.id in functions and node.id not in live:
                live.add(node.id)
                todo.append(functions[node.id])
    return tuple(((fn.body[0].lineno, fn.body[0].col_offset), (fn.end_lineno or 0, fn.end_col_offset or 0))
                 for name, fn in functions.items() if name not in live)


def entry_name(problem: Problem) -> str:
    """The top-level name a function task's program must define ("" for stdin/stdout tasks)."""
    if problem.kind is not TaskKind.FUNCTION or not problem.entry_point:
        return ""
    return problem.entry_point.split(".")[0]


def live_fatal(problem: Problem, program: str) -> list[Finding]:
    """Fatal findings outside the bodies of helper functions that can never run."""
    entry = entry_name(problem)
    dead = unreachable_bodies(program, entry) if entry else ()
    return [f for f in findings(program).fatal if not any(start <= (f.line, f.col) <= end for start, end in dead)]


def defines_entry_point(problem: Problem, found: Findings) -> bool:
    entry = entry_name(problem)
    return not entry or entry in found.names


def fatal_lint(problem: Problem, program: str) -> str:
    """The first reason pyflakes (or a missing entry point) says the program must fail, or ""."""
    found = findings(program)
    if found.error:
        return found.error
    fatal = live_fatal(problem, program)
    if fatal:
        return fatal[0].message
    if not defines_entry_point(problem, found):
        return f"entry point {entry_name(problem)!r} is never defined"
    return ""


class LintVerifier:
    """Prunes programs with fatal lint findings (see `FATAL`)."""

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        out = []
        for group in groups:
            def judge(candidate, problem=group.problem) -> tuple[bool, float, str]:
                reason = fatal_lint(problem, candidate.program)
                return (not reason, 0.0, reason)

            out.append(timed_each(group.candidates, judge))
        return out
