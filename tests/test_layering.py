"""The package's layers, checked from the source: a module imports only its own layer and those below.

    core < execution < problems < llm < generate < stages < select, verify < store, pipeline < runs
         < report, pareto < serve < cli

core is types, errors, text, jsonl, stats and the private helpers; execution sits below problems because
the loaders run reference programs (EvalPlus expected outputs) on it; stages holds the stage interfaces
and their registry, which names implementations by string only; select (S*, its judges, the
baselines) and verify (checks, cascades, ORMs) implement them and never import each other; runs is
the library's `Run` over the store and the pipeline; serve answers requests for runs.

Every import counts, including those inside functions (a lazy import is still a dependency), and
those under `if TYPE_CHECKING:` (a type from a higher layer is a dependency too). Within one layer,
packages may not import each other in a cycle. `bench/` only chooses settings and calls the
library; it may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "codesieve"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("types", "errors", "text", "jsonl", "stats", "_aio", "_paths", "_sqlite", "_proc"),
    ("execution", "grade"),
    ("problems",),
    ("llm",),
    ("generate",),
    ("stages",),
    ("select", "verify"),
    ("store", "pipeline"),
    ("runs",),
    ("report", "pareto"),
    ("serve",),
    ("cli",),
)


def layer_of(part: str) -> int:
    for n, names in enumerate(LAYERS):
        if part in names:
            return n
    raise AssertionError(f"codesieve.{part} is in no layer; add it to LAYERS in {Path(__file__).name}")


def top_part(path: Path) -> str | None:
    rel = path.relative_to(SRC).with_suffix("")
    return None if rel.parts == ("__init__",) else rel.parts[0]  # the package root re-exports: no layer


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, top-level codesieve part) of every import of codesieve in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "codesieve" else [f"codesieve.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            raise AssertionError(f"{path}:{node.lineno}: relative import; write the absolute module")
        for name in names:
            parts = name.split(".")
            if parts[0] == "codesieve" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_module_is_in_a_layer():
    for path in sources():
        part = top_part(path)
        if part is not None:
            layer_of(part)


def test_no_module_imports_a_higher_layer():
    breaches = []
    for path in sources():
        part = top_part(path)
        if part is None:
            continue
        for line, target in imported(path):
            if layer_of(target) > layer_of(part):
                breaches.append(f"{path.relative_to(SRC.parent)}:{line}: {part} imports {target}, a higher layer")
    assert not breaches, "\n".join(breaches)


def test_no_cycles_between_packages_of_one_layer():
    edges: dict[str, set[str]] = {}
    for path in sources():
        part = top_part(path)
        if part is None:
            continue
        for _, target in imported(path):
            if target != part and layer_of(target) == layer_of(part):
                edges.setdefault(part, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(p for p in edges if reaches(p, p, {p}))
    assert not cycles, f"packages importing each other in a cycle: {cycles}"


INDEPENDENT = (("select", "verify"),)  # packages of one layer that import each other in neither direction


def test_independent_packages_import_each_other_in_neither_direction():
    breaches = []
    for path in sources():
        part = top_part(path)
        for line, target in imported(path) if part is not None else ():
            if tuple(sorted((part, target))) in INDEPENDENT:
                breaches.append(f"{path.relative_to(SRC.parent)}:{line}: {part} imports {target}")
    assert not breaches, "\n".join(breaches)


@pytest.mark.parametrize("upward", ["from codesieve.cli import main", "import codesieve.stages.base"])
def test_the_check_catches_an_upward_import(tmp_path, upward, monkeypatch):
    fake = tmp_path / "codesieve"
    (fake / "generate").mkdir(parents=True)
    bad = fake / "generate" / "bad.py"
    bad.write_text(f"def f():\n    {upward}\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", fake)
    with pytest.raises(AssertionError, match="generate imports"):
        test_no_module_imports_a_higher_layer()


@pytest.mark.parametrize("where, sideways", [("verify", "from codesieve.select.cluster import signature"),
                                             ("select", "import codesieve.verify")])
def test_the_check_catches_select_and_verify_importing_each_other(tmp_path, where, sideways, monkeypatch):
    fake = tmp_path / "codesieve"
    (fake / where).mkdir(parents=True)
    (fake / where / "bad.py").write_text(f"def f():\n    {sideways}\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", fake)
    with pytest.raises(AssertionError, match=f"{where} imports"):
        test_independent_packages_import_each_other_in_neither_direction()


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts
    return ".".join(parts)


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:`."""
    out = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            out.extend(n for child in node.orelse for n in ast.walk(child))
            continue
        out.append(node)
        out.extend(runtime_nodes(node))
    return out


def test_no_import_cycles_between_modules():
    """Module-level graph over every import that runs (`from codesieve.a import b` counts a
    dependency on `codesieve.a.b` when that is a module, else on `codesieve.a`). Imports under
    `if TYPE_CHECKING:` never run, so they cannot break an import order: a protocol may name the
    type it is handed by the module that defines it (the layer tests above still count them)."""
    modules = {module_name(p): p for p in sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = graph.setdefault(name, set())
        for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            else:
                continue
            deps.update(t for t in targets if t in modules and t != name)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"modules importing each other in a cycle: {cycles}"
