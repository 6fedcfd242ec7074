"""Deterministic wrong variants of reference programs, made by small AST mutations.

Each operator changes one site (a comparison, an arithmetic operator, an integer constant, a
boolean operator, a returned value); `mutants(source, entry_point)` yields every single-site
mutant of the entry-point function, in a fixed order. Whether a mutant is really wrong is decided
by running it, not assumed.
"""

from __future__ import annotations

import ast
import copy
from typing import Iterator

SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.And: ast.Or,
         ast.Or: ast.And, ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv}


def _sites(fn: ast.AST) -> list[tuple[ast.AST, str]]:
    sites = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare):
            sites.extend((node, f"cmp{i}") for i, op in enumerate(node.ops) if type(op) in SWAPS)
        elif isinstance(node, (ast.BinOp, ast.BoolOp)) and type(node.op) in SWAPS:
            sites.append((node, "op"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            sites.append((node, "int"))
        elif isinstance(node, ast.Return) and node.value is not None:
            sites.append((node, "return"))
    return sites


def _apply(node: ast.AST, kind: str) -> None:
    if kind.startswith("cmp"):
        i = int(kind[3:])
        node.ops[i] = SWAPS[type(node.ops[i])]()
    elif kind == "op":
        node.op = SWAPS[type(node.op)]()
    elif kind == "int":
        node.value = node.value + 1
    elif kind == "return":
        node.value = ast.Constant(None)


def mutants(source: str, entry_point: str) -> Iterator[str]:
    tree = ast.parse(source)
    fn_index = next((i for i, n in enumerate(tree.body)
                     if isinstance(n, ast.FunctionDef) and n.name == entry_point), None)
    if fn_index is None:
        return
    n_sites = len(_sites(tree.body[fn_index]))
    for k in range(n_sites):
        clone = copy.deepcopy(tree)
        node, kind = _sites(clone.body[fn_index])[k]
        _apply(node, kind)
        yield ast.unparse(ast.fix_missing_locations(clone))
