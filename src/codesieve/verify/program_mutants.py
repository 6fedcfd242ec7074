"""Variants of reference programs made by small AST edits: the one program mutator.

It serves two purposes, with one set of operators (flip a comparison, swap an arithmetic or boolean
operator, shift an integer constant, return None, drop a statement, misspell a name):

- `single_site_mutants(source, entry_point)` yields every single-site mutant of the entry-point
  function in a fixed order: programs whose verdicts two sandboxes must agree on
  (bench/executor_throughput.py, tests/cli/test_eval_cmd.py).
- `pool_variants(reference, entry_point, count, rng)` draws the programs of a synthetic candidate
  pool: the reference, renamed copies, truncations, stubs and random mutants, which repeat as
  real samples do (tests/verify/synthetic_pool.py builds the committed pools from them).

Whether a mutant is really wrong is decided by running it, never assumed. The two differ in one
detail, kept on purpose so that the committed pools and benchmark regenerate identically: floor
division becomes `*` in single-site mutants and `/` in pool variants.
"""

from __future__ import annotations

import ast
import copy
import random
from typing import Callable, Iterator

COMPARE_FLIPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq}
_ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.Mod: ast.FloorDiv}
SITE_SWAPS = {**COMPARE_FLIPS, **_ARITHMETIC, ast.FloorDiv: ast.Mult, ast.And: ast.Or, ast.Or: ast.And}
POOL_ARITHMETIC = {**_ARITHMETIC, ast.FloorDiv: ast.Div}


# -- single-site mutants: every site, one at a time, in order

def _sites(fn: ast.AST) -> list[tuple[ast.AST, str]]:
    sites = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare):
            sites.extend((node, f"cmp{i}") for i, op in enumerate(node.ops) if type(op) in SITE_SWAPS)
        elif isinstance(node, (ast.BinOp, ast.BoolOp)) and type(node.op) in SITE_SWAPS:
            sites.append((node, "op"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            sites.append((node, "int"))
        elif isinstance(node, ast.Return) and node.value is not None:
            sites.append((node, "return"))
    return sites


def _apply(node: ast.AST, kind: str) -> None:
    if kind.startswith("cmp"):
        i = int(kind[3:])
        node.ops[i] = SITE_SWAPS[type(node.ops[i])]()
    elif kind == "op":
        node.op = SITE_SWAPS[type(node.op)]()
    elif kind == "int":
        node.value = node.value + 1
    elif kind == "return":
        node.value = ast.Constant(None)


def single_site_mutants(source: str, entry_point: str) -> Iterator[str]:
    """Every single-site mutant of function `entry_point` in `source`, in a fixed order."""
    tree = ast.parse(source)
    fn_index = next((i for i, n in enumerate(tree.body)
                     if isinstance(n, ast.FunctionDef) and n.name == entry_point), None)
    if fn_index is None:
        return
    for k in range(len(_sites(tree.body[fn_index]))):
        clone = copy.deepcopy(tree)
        node, kind = _sites(clone.body[fn_index])[k]
        _apply(node, kind)
        yield ast.unparse(ast.fix_missing_locations(clone))


# -- pool variants: random operators at random sites

def _nodes(tree: ast.AST, kind: type) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if isinstance(n, kind)]


def _flip_compare(tree: ast.Module, rng: random.Random) -> bool:
    nodes = [n for n in _nodes(tree, ast.Compare) if type(n.ops[0]) in COMPARE_FLIPS]
    if not nodes:
        return False
    node = rng.choice(nodes)
    node.ops[0] = COMPARE_FLIPS[type(node.ops[0])]()
    return True


def _change_arith(tree: ast.Module, rng: random.Random) -> bool:
    nodes = [n for n in _nodes(tree, ast.BinOp) if type(n.op) in POOL_ARITHMETIC]
    if not nodes:
        return False
    node = rng.choice(nodes)
    node.op = POOL_ARITHMETIC[type(node.op)]()
    return True


def _off_by_one(tree: ast.Module, rng: random.Random) -> bool:
    nodes = [n for n in _nodes(tree, ast.Constant) if type(n.value) is int]
    if not nodes:
        return False
    rng.choice(nodes).value += rng.choice((1, -1))
    return True


def _swap_bool(tree: ast.Module, rng: random.Random) -> bool:
    nodes = _nodes(tree, ast.BoolOp)
    if not nodes:
        return False
    node = rng.choice(nodes)
    node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    return True


def _drop_statement(tree: ast.Module, rng: random.Random) -> bool:
    bodies = [n.body for n in ast.walk(tree) if isinstance(getattr(n, "body", None), list) and len(n.body) > 1
              and not isinstance(n, ast.Module)]
    if not bodies:
        return False
    body = rng.choice(bodies)
    del body[rng.randrange(len(body))]
    return True


def _typo_name(tree: ast.Module, rng: random.Random) -> bool:
    annotations = {id(n) for node in ast.walk(tree) for ann in _annotations(node) for n in ast.walk(ann)}
    nodes = [n for n in _nodes(tree, ast.Name) if isinstance(n.ctx, ast.Load) and id(n) not in annotations]
    if not nodes:
        return False
    rng.choice(nodes).id += "_"
    return True


def _annotations(node: ast.AST) -> list[ast.AST]:
    """Annotations: a typo there fails or not depending on postponed evaluation, so avoid them."""
    if isinstance(node, ast.arg) and node.annotation:
        return [node.annotation]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
        return [node.returns]
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    return []


MUTATIONS: list[Callable[[ast.Module, random.Random], bool]] = [
    _flip_compare, _change_arith, _off_by_one, _swap_bool, _drop_statement, _typo_name,
]


def _rename(tree: ast.Module, rng: random.Random) -> None:
    """A correct rewrite: rename the function's local variables."""
    params = {a.arg for a in _nodes(tree, ast.arg)}
    stored = {n.id for n in _nodes(tree, ast.Name) if isinstance(n.ctx, ast.Store)} - params
    mapping = {name: f"{name}_{rng.randrange(100)}" for name in stored}
    for node in _nodes(tree, ast.Name):
        node.id = mapping.get(node.id, node.id)


def pool_variants(reference: str, entry_point: str | None, count: int, rng: random.Random) -> list[str]:
    """`count` programs: the reference, renamed copies, truncations, stubs and mutants. Like real
    samples, wrong programs repeat: mutants are drawn, with replacement, from a few per problem."""
    mutants: list[str] = []
    for _ in range(50):  # a few distinct mutants, where the reference offers mutation sites
        tree = ast.parse(reference)
        if rng.choice(MUTATIONS)(tree, rng):
            text = ast.unparse(ast.fix_missing_locations(tree))
            if text not in mutants:
                mutants.append(text)
        if len(mutants) == 4:
            break
    programs = [reference]
    while len(programs) < count:
        tree = ast.parse(reference)
        roll = rng.random()
        if roll < 0.2:
            _rename(tree, rng)
        elif roll < 0.3:
            text = ast.unparse(tree)
            programs.append(text[: rng.randrange(len(text) // 2, len(text))])  # cut off mid-generation
            continue
        elif roll < 0.35:
            fn = next(n for n in _nodes(tree, ast.FunctionDef) if n.name == entry_point)
            fn.body = [ast.Pass()]
        elif mutants:
            programs.append(rng.choice(mutants))
            continue
        programs.append(ast.unparse(ast.fix_missing_locations(tree)))
    return programs
