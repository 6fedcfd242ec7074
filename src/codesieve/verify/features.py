"""Features for the trained outcome reward model: read from a program, never run.

Three kinds: what the generator said (mean log-probability, length), what the code looks like
(AST counts, lint findings), and how much it agrees with its sibling candidates for the same
problem (identical structure after renaming variables, token overlap). Agreement is the
strongest of them: samples that many draws converge on are more often right.
"""

from __future__ import annotations

import ast
import hashlib
import math
import re
from collections import Counter
from typing import Sequence

import numpy as np

from codesieve.types import Candidate, Problem, TaskKind
from codesieve.verify.lint import FATAL, lint_messages, top_level_names
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


def featurize(problem: Problem, candidates: Sequence[Candidate]) -> np.ndarray:
    """One row of `FEATURES` per candidate; agreement features compare the candidates given."""
    parsed = [_static(problem, c) for c in candidates]
    texts = [" ".join(c.program.split()) for c in candidates]
    shapes = [shape for _, shape in parsed]
    tokens = [set(_TOKEN.findall(c.program)) for c in candidates]
    text_count, shape_count = Counter(texts), Counter(shapes)
    others = max(len(candidates) - 1, 1)
    rows = []
    for i, (static, _) in enumerate(parsed):
        overlap = sum(_jaccard(tokens[i], tokens[j]) for j in range(len(candidates)) if j != i)
        static["same_text"] = (text_count[texts[i]] - 1) / others
        static["same_shape"] = (shape_count[shapes[i]] - 1) / others if shapes[i] else 0.0
        static["token_overlap"] = overlap / others
        rows.append([static[name] for name in FEATURES])
    return np.asarray(rows, dtype=float).reshape(len(candidates), len(FEATURES))


def _static(problem: Problem, candidate: Candidate) -> tuple[dict[str, float], str]:
    """Generator and code features, and the structure hash ("" when the program does not parse)."""
    lp = candidate.mean_logprob
    f = {
        "logprob": lp if lp is not None and math.isfinite(lp) else 0.0,
        "logprob_missing": float(lp is None or not math.isfinite(lp)),
        "log_tokens": math.log1p(candidate.completion_tokens),
        "log_chars": math.log1p(len(candidate.program)),
        "compiles": float(not compile_error(candidate.program)),
    }
    tree = parse(candidate.program)
    if isinstance(tree, str):
        return f | {name: 0.0 for name in _CODE}, ""
    found = lint_messages(tree)
    fatal = sum(isinstance(m, FATAL) for m in found)
    entry = (problem.entry_point or "").split(".")[0]
    nodes = list(ast.walk(tree))
    kinds = Counter(type(n).__name__ for n in nodes)
    calls = [n.func for n in nodes if isinstance(n, ast.Call)]
    called = {c.id for c in calls if isinstance(c, ast.Name)}
    f |= {
        "fatal_lint": float(fatal),
        "lint_warnings": float(len(found) - fatal),
        "entry_defined": float(problem.kind is not TaskKind.FUNCTION or not entry
                               or entry in top_level_names(tree)),
        "log_nodes": math.log1p(len(nodes)),
        "depth": float(_depth(tree)),
        "loops": float(kinds["For"] + kinds["While"]),
        "branches": float(kinds["If"] + kinds["IfExp"]),
        "returns": float(kinds["Return"]),
        "calls": float(len(calls)),
        "comprehensions": float(kinds["ListComp"] + kinds["SetComp"] + kinds["DictComp"]
                                + kinds["GeneratorExp"]),
        "handlers": float(kinds["ExceptHandler"]),
        "raises": float(kinds["Raise"]),
        "recursion": float(_recursive(tree)),
        "prints": float("print" in called and problem.kind is TaskKind.FUNCTION),
        "reads_input": float(bool(called & {"input", "open"}) and problem.kind is TaskKind.FUNCTION),
        "stub_body": float(_stub(tree)),
        "magic_numbers": float(sum(isinstance(n, ast.Constant) and type(n.value) in (int, float)
                                   and n.value not in (0, 1, -1, 2) for n in nodes)),
    }
    return f, _shape(tree)  # last: it renames identifiers in the tree


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _recursive(tree: ast.Module) -> bool:
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == fn.name
                   for n in ast.walk(fn)):
                return True
    return False


def _stub(tree: ast.Module) -> bool:
    """A function whose body does nothing: `pass`, `...`, a docstring or NotImplementedError."""
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if not body or all(isinstance(s, ast.Pass) for s in body):
                return True
            if len(body) == 1 and isinstance(body[0], ast.Raise):
                return True
    return False


def _shape(tree: ast.Module) -> str:
    """A hash of the program's structure with docstrings dropped and identifiers renamed."""
    names: dict[str, str] = {}

    def rename(name: str) -> str:
        return names.setdefault(name, f"v{len(names)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = rename(node.id)
        elif isinstance(node, ast.arg):
            node.arg = rename(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = rename(node.name)
            if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
                node.body = node.body[1:] or [ast.Pass()]
    try:
        dumped = ast.dump(tree, annotate_fields=False)
    except RecursionError:
        return ""
    return hashlib.sha1(dumped.encode()).hexdigest()
