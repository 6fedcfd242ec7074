"""Features for the trained outcome reward model: read from a program, never run.

Three kinds: what the generator said (mean log-probability, length), what the code looks like
(AST counts, lint findings), and how much it agrees with its sibling candidates for the same
problem (identical structure after renaming identifiers, token overlap). Agreement is the
strongest of them: samples that many draws converge on are more often right.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import math
import re
from collections import Counter
from typing import Sequence

import numpy as np

from codesieve.types import Candidate, Problem, TaskKind
from codesieve.verify.lint import defines_entry_point, findings, live_fatal
from codesieve.verify.memo import per_run
from codesieve.verify.syntax import compile_error, parse

_GENERATOR = ("logprob", "logprob_missing", "log_tokens", "log_chars", "compiles")
_CODE = (
    "fatal_lint", "lint_warnings", "entry_defined", "log_nodes", "depth", "loops", "branches", "returns",
    "calls", "comprehensions", "handlers", "raises", "recursion", "prints", "reads_input", "stub_body",
    "magic_numbers",
)
_AGREEMENT = ("same_text", "same_shape", "token_overlap")
FEATURES = _GENERATOR + _CODE + _AGREEMENT
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+|\S")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BUILTINS = frozenset(dir(builtins))


def featurize(problem: Problem, candidates: Sequence[Candidate]) -> np.ndarray:
    """One row of `FEATURES` per candidate; agreement features compare the candidates given."""
    rows = [_generator(c) | _code(problem, c.program) for c in candidates]
    texts = [" ".join(c.program.split()) for c in candidates]
    shapes = [tree_facts(c.program)[1] for c in candidates]
    tokens = [frozenset(_TOKEN.findall(c.program)) for c in candidates]
    text_count, shape_count = Counter(texts), Counter(shapes)
    others = max(len(candidates) - 1, 1)
    for i, row in enumerate(rows):
        row["same_text"] = (text_count[texts[i]] - 1) / others
        row["same_shape"] = (shape_count[shapes[i]] - 1) / others if shapes[i] else 0.0
        row["token_overlap"] = sum(_jaccard(tokens[i], tokens[j]) for j in range(len(candidates)) if j != i) / others
    return np.asarray([[row[name] for name in FEATURES] for row in rows], dtype=float).reshape(
        len(candidates), len(FEATURES))


def _generator(candidate: Candidate) -> dict[str, float]:
    lp = candidate.mean_logprob
    known = lp is not None and math.isfinite(lp)
    return {
        "logprob": lp if known else 0.0,
        "logprob_missing": float(not known),
        "log_tokens": math.log1p(candidate.completion_tokens),
        "log_chars": math.log1p(len(candidate.program)),
        "compiles": float(not compile_error(candidate.program)),
    }


def _code(problem: Problem, program: str) -> dict[str, float]:
    facts, _ = tree_facts(program)
    if facts is None:
        return dict.fromkeys(_CODE, 0.0)
    found = findings(program)
    function_task = problem.kind is TaskKind.FUNCTION
    return facts | {
        "fatal_lint": float(len(live_fatal(problem, program))),
        "lint_warnings": float(found.warnings),
        "entry_defined": float(defines_entry_point(problem, found)),
        "prints": facts["prints"] * function_task,
        "reads_input": facts["reads_input"] * function_task,
    }


@per_run
def tree_facts(program: str) -> tuple[dict[str, float] | None, str]:
    """Counts from one walk over the syntax tree, and a hash of its structure with docstrings
    dropped and identifiers other than builtins renamed in order of appearance (None, "" if the
    program does not parse)."""
    tree = parse(program)
    if isinstance(tree, str):
        return None, ""
    kinds: Counter[str] = Counter()
    called: set[str] = set()
    renamed: dict[str, str] = {}
    digest = hashlib.sha1()
    deepest = magic = 0
    recursion = stub = False
    stack: list[tuple[ast.AST, int, str]] = [(tree, 0, "")]
    while stack:
        node, depth, function = stack.pop()
        kind = type(node).__name__
        kinds[kind] += 1
        deepest = max(deepest, depth)
        name = _identifier(node)
        if name and name not in _BUILTINS:
            name = renamed.setdefault(name, f"v{len(renamed)}")
        token = f"{kind}:{name}"
        if isinstance(node, ast.Constant):
            token += ":" + repr(node.value)[:40]
            magic += type(node.value) in (int, float) and node.value not in (0, 1, -1, 2)
        elif isinstance(node, ast.Attribute):
            token += ":" + node.attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
            recursion |= node.func.id == function
        digest.update(f"{depth}{token};".encode())
        children = list(ast.iter_child_nodes(node))
        if isinstance(node, _FUNCTIONS):
            function = node.name
            stub |= _is_stub(node.body)
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Module)) and node.body and _docstring(node.body[0]):
            children.remove(node.body[0])
        stack.extend((child, depth + 1, function) for child in reversed(children))
    facts = {
        "log_nodes": math.log1p(sum(kinds.values())), "depth": float(deepest),
        "loops": float(kinds["For"] + kinds["While"]), "branches": float(kinds["If"] + kinds["IfExp"]),
        "returns": float(kinds["Return"]), "calls": float(kinds["Call"]),
        "comprehensions": float(kinds["ListComp"] + kinds["SetComp"] + kinds["DictComp"] + kinds["GeneratorExp"]),
        "handlers": float(kinds["ExceptHandler"]), "raises": float(kinds["Raise"]),
        "recursion": float(recursion), "prints": float("print" in called),
        "reads_input": float(bool(called & {"input", "open"})), "stub_body": float(stub),
        "magic_numbers": float(magic),
    }
    return facts, digest.hexdigest()


def _identifier(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        return node.name
    return ""


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)


def _is_stub(body: list[ast.stmt]) -> bool:
    """A body that does nothing: `pass`, `...`, a docstring, or only raising."""
    rest = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not rest or all(isinstance(s, ast.Pass) for s in rest) or (len(rest) == 1 and isinstance(rest[0], ast.Raise))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0
