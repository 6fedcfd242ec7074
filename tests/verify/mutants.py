"""A synthetic candidate pool for tests: real reference solutions, rewritten correct variants, and
mutated wrong ones, labelled by running every hidden test on the real executor.

Build the committed fixture and the benchmark pool (from the repository root):

    .venv/bin/python -m tests.verify.mutants humaneval+ 12 8 tests/verify/data/humaneval_mutants.jsonl.gz
    .venv/bin/python -m tests.verify.mutants humaneval+ 164 16 tests/verify/data/humaneval_mutants_164x16.jsonl.gz

Log-probabilities are synthetic (drawn at random, slightly higher for correct variants), so the
pool exercises the machinery but says nothing about real generators.
"""

from __future__ import annotations

import ast
import random
import sys
from typing import Callable

from codesieve.execution import Executor, Job
from codesieve.types import Candidate, Problem
from codesieve.verify.pool import LabelledPool, PoolEntry, write_pool

_FLIP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq}
_ARITH = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}


def _nodes(tree: ast.AST, kind: type) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if isinstance(n, kind)]


def _flip_compare(tree: ast.Module, rng: random.Random) -> bool:
    nodes = [n for n in _nodes(tree, ast.Compare) if type(n.ops[0]) in _FLIP]
    if not nodes:
        return False
    node = rng.choice(nodes)
    node.ops[0] = _FLIP[type(node.ops[0])]()
    return True


def _change_arith(tree: ast.Module, rng: random.Random) -> bool:
    nodes = [n for n in _nodes(tree, ast.BinOp) if type(n.op) in _ARITH]
    if not nodes:
        return False
    node = rng.choice(nodes)
    node.op = _ARITH[type(node.op)]()
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


def variants(problem: Problem, count: int, rng: random.Random) -> list[str]:
    """`count` programs: the reference, renamed copies, truncations, stubs and mutants. Like real
    samples, wrong programs repeat: mutants are drawn, with replacement, from a few per problem."""
    reference = problem.reference or ""
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
            fn = next(n for n in _nodes(tree, ast.FunctionDef) if n.name == problem.entry_point)
            fn.body = [ast.Pass()]
        elif mutants:
            programs.append(rng.choice(mutants))
            continue
        programs.append(ast.unparse(ast.fix_missing_locations(tree)))
    return programs


def make_pool(problems: list[Problem], per_problem: int, executor: Executor, seed: int = 0) -> LabelledPool:
    rng = random.Random(seed)
    candidates = []
    for problem in problems:
        for index, program in enumerate(variants(problem, per_problem, rng)):
            candidates.append(Candidate(problem.id, index, program, completion_tokens=len(program) // 4))
    by_id = {p.id: p for p in problems}
    results = executor.run([Job.for_problem(by_id[c.problem_id], c.program, by_id[c.problem_id].hidden_tests)
                            for c in candidates])
    entries = []
    for c, result in zip(candidates, results):
        logprob = rng.gauss(-0.25 if result.passed else -0.32, 0.08)
        c = Candidate(c.problem_id, c.index, c.program, mean_logprob=round(logprob, 4),
                      completion_tokens=c.completion_tokens)
        entries.append(PoolEntry(c, result.passed, result.verdict))
    benchmark = problems[0].benchmark if problems else ""
    return LabelledPool(benchmark, tuple(entries), {"synthetic": "reference variants and mutants; logprobs are random",
                                            "seed": seed, "per_problem": per_problem})


if __name__ == "__main__":
    from codesieve.problems import load_benchmark

    name, n_problems, per, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with Executor() as ex:
        loaded = load_benchmark(name, limit=n_problems, executor=ex)
        write_pool(out, make_pool(loaded, per, ex))
