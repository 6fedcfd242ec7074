"""The package's layers, declared as import-linter contracts in pyproject.toml, hold; a breach of
them fails the check; and implementations are loaded by name only through the registries."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    """import-linter over the package under `root/src`, with `root`'s pyproject.toml."""
    return subprocess.run([str(LINT), "--no-cache", "--no-logo"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_the_layer_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("where, line", [
    ("verify", "from codesieve.select.sstar import SStar"),  # select and verify: neither imports the other
    ("select", "import codesieve.verify.cascade"),
    ("stages", "from codesieve.select.sstar import SStar"),  # the interfaces import no implementation
    ("generate", "from codesieve.cli import main"),  # a lower layer imports a higher one, inside a function
])
def test_a_breach_of_a_contract_fails_the_check(tmp_path, where, line):
    shutil.copytree(ROOT / "src" / "codesieve", tmp_path / "src" / "codesieve",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "src" / "codesieve" / where / "breach.py").write_text(f"def f():\n    {line}\n")
    result = lint(tmp_path)
    assert result.returncode == 1 and f"codesieve.{where}.breach ->" in result.stdout, result.stdout


# module -> the package whose modules it may load by name: the stage registry is the one route to
# implementations in higher layers; the others load modules of their own package
LOADERS = {"stages/registry.py": None, "problems/_registry.py": "codesieve.problems.",
           "execution/interface.py": "codesieve.execution.", "cli/__init__.py": "codesieve.cli."}


def test_implementations_are_loaded_by_name_only_through_the_registries():
    src = ROOT / "src" / "codesieve"
    loading = sorted(str(p.relative_to(src)) for p in src.rglob("*.py")
                     if re.search(r"\bimport_module\(", p.read_text(encoding="utf-8")))
    assert loading == sorted(LOADERS)
    for path, package in LOADERS.items():
        if package is None:
            continue
        names = [n.value for n in ast.walk(ast.parse((src / path).read_text(encoding="utf-8")))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("codesieve.")]
        assert names and all(name.startswith(package) for name in names), (path, names)
