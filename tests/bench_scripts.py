"""Loading a bench/ script in a test as `python bench/NAME.py` runs it: with bench/ on the path, so
its own `import _results` works whichever test imported what before."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))
        patch.setitem(sys.modules, name, module)  # as an import registers it (dataclasses look their module up)
        spec.loader.exec_module(module)
    return module
