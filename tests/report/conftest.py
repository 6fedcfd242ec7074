"""A real headless Chromium for the report's browser tests, and a real run store to report on."""

from __future__ import annotations

import asyncio
import re

import pytest

from codesieve.errors import ConfigError
from codesieve.execution import Executor
from codesieve.generate.sample import SampleConfig
from codesieve.llm import FakeBackend
from codesieve.pipeline import Pipeline, RunConfig
from codesieve.report.browser import headless_chromium
from codesieve.runs import config_identity
from codesieve.stages import SelectConfig
from codesieve.store import RunStore
from codesieve.types import CallTest, Problem, TaskKind

from tests.select.conftest import DOUBLE, asked, first_case


@pytest.fixture(scope="session")
def browser():
    """A Selenium driver on the system Chromium, with a fresh profile; the test setup installs both."""
    try:
        with headless_chromium() as driver:
            yield driver
    except ConfigError as exc:  # not installed: a failure, not a skip (CI must run these)
        pytest.fail(str(exc))


# ---- a real run store: the pipeline, the real executor and a scripted model on two small problems

SQUARE = Problem(id="t/square", prompt="def square(x):\n    '''Return x squared.'''\n", kind=TaskKind.FUNCTION,
                 entry_point="square", starter_code="def square(x):\n    '''Return x squared.'''\n",
                 public_tests=(CallTest((2,), 4),), hidden_tests=(CallTest((2,), 4), CallTest((3,), 9)))
PROBLEMS = (DOUBLE, SQUARE)
STRATEGIES = ("zero-shot", "majority-vote", "sstar", "cascade:syntax > lint")
# sample i of the first round; double's x * 3 fails the public test and is debugged into 2 * x.
# square: x + x and x * 2 pass the public test square(2) == 4 but are wrong; the judge below lies
# about square, so S* picks wrong although two correct candidates are there.
BODIES = {"double": ["return x + 1", "return x * 2", "return x * 3", "return x + x"],
          "square": ["return x + x", "return x * x", "return x * 2", "return x ** 2"]}
# a model answer whose text would end the page's script element if it were embedded carelessly
HOSTILE = "\n\n</script><script>window.hostile = 1</script><!-- the model's notes -->"


def scripted(request, index):
    text = asked(request)
    name = "square" if "square" in " ".join(m.content for m in request.messages) else "double"
    if [m.role for m in request.messages][-2:] == ["assistant", "user"]:  # a debug request
        return f"Fixed:\n```python\ndef {name}(x):\n    return {'2 * x' if name == 'double' else 'x * x'}\n```"
    if [m.role for m in request.messages] == ["system", "user"]:
        return f"```python\ndef {name}(x):\n    {BODIES[name][index % len(BODIES[name])]}\n```" + HOSTILE
    if "new test inputs" in text or "on new inputs" in text:
        return f"```python\n{name}(0)\n{name}(5)\n{name}(-3)\n```"
    if "give different outputs" in text:
        return f"```python\n{name}(10)\n```"
    if "results are correct" in text:  # the reasoning judge: analysis first, the verdict on the last line
        x, a, b = first_case(text)
        right = str(2 * int(x))  # twice x: the truth for double, a lie for square
        return f"Because {name}({x}) should be {right}.\n" + ("A" if a == right else "B" if b == right else "tie")
    if "What does a correct" in text:  # the predicting judge, as wrong about square
        x = int(re.search(r"for `\w+\((-?\d+)\)`", text).group(1))
        return f"```python\n{2 * x}\n```"
    return "?"


def make_run(path, key: str, config: RunConfig) -> tuple:
    with Executor(workers=2) as executor, RunStore(path) as store:
        store.open_run(key, {"benchmark": "toy", **config_identity(config), "note": HOSTILE})
        asyncio.run(Pipeline(FakeBackend(scripted), executor, store, key, config).run(PROBLEMS, "toy"))
    return path, key


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory):
    """(store path, run key): zero-shot, majority vote and S* on `PROBLEMS`, as `codesieve run` stores it."""
    config = RunConfig(strategies=STRATEGIES, sample=SampleConfig(n=4), rounds=1, select=SelectConfig(judge="reason"))
    return make_run(tmp_path_factory.mktemp("report") / "run.sqlite", "toy-1", config)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """Another run on the same problems: S* alone with 2 samples (to show runs side by side)."""
    config = RunConfig(strategies=("sstar",), sample=SampleConfig(n=2), rounds=1)
    return make_run(tmp_path_factory.mktemp("report") / "run.sqlite", "toy-2", config)
