"""A real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by Selenium) for the
report's browser tests. Its console is read after every page, so a script error fails the test."""

from __future__ import annotations

import shutil
import tempfile

import pytest

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")


def _binary(*names: str) -> str | None:
    return next((found for found in map(shutil.which, names) if found), None)


@pytest.fixture(scope="session")
def browser():
    """A Selenium driver on the system Chromium, with a fresh profile; the test setup installs both."""
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium, driver_path = _binary("chromium", "chromium-browser"), _binary("chromedriver")
    if chromium is None or driver_path is None:
        pytest.fail("Chromium and chromedriver are needed (apt-get install chromium chromium-driver; .ci/run does)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="codesieve-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# ---- a real run store: the pipeline, the real executor and a scripted model on two small problems

import asyncio  # noqa: E402
import re  # noqa: E402

from codesieve.execution import Executor  # noqa: E402
from codesieve.llm import FakeBackend  # noqa: E402
from codesieve.pipeline import Pipeline, RunConfig  # noqa: E402
from codesieve.store import RunStore  # noqa: E402
from codesieve.types import CallTest, Problem, TaskKind  # noqa: E402

from tests.select.conftest import DOUBLE  # noqa: E402

SQUARE = Problem(id="t/square", prompt="def square(x):\n    '''Return x squared.'''\n", kind=TaskKind.FUNCTION,
                 entry_point="square", starter_code="def square(x):\n    '''Return x squared.'''\n",
                 public_tests=(CallTest((2,), 4),), hidden_tests=(CallTest((2,), 4), CallTest((3,), 9)))
PROBLEMS = (DOUBLE, SQUARE)
STRATEGIES = ("zero-shot", "majority-vote", "sstar")
# sample i of the first round; double's x * 3 fails the public test and is debugged into 2 * x.
# square: x + x and x * 2 pass the public test square(2) == 4 but are wrong; the judge below lies
# about square, so S* picks wrong although two correct candidates are there.
BODIES = {"double": ["return x + 1", "return x * 2", "return x * 3", "return x + x"],
          "square": ["return x + x", "return x * x", "return x * 2", "return x ** 2"]}
# a model answer whose text would end the page's script element if it were embedded carelessly
HOSTILE = "\n\n</script><script>window.hostile = 1</script><!-- the model's notes -->"


def scripted(request, index):
    text = request.messages[-1].content
    name = "square" if "square" in " ".join(m.content for m in request.messages) else "double"
    if "assistant" in [m.role for m in request.messages]:  # a debug request
        return f"Fixed:\n```python\ndef {name}(x):\n    return {'2 * x' if name == 'double' else 'x * x'}\n```"
    if [m.role for m in request.messages] == ["system", "user"]:
        return f"```python\ndef {name}(x):\n    {BODIES[name][index]}\n```" + HOSTILE
    if "new test inputs" in text:
        return f"```python\n{name}(0)\n{name}(5)\n{name}(-3)\n```"
    if "give different outputs" in text:
        return f"```python\n{name}(10)\n```"
    if "Which outputs are correct" in text:
        x, a, b = re.search(r"Input: \w+\((-?\d+)\)\nA gives: (.*)\nB gives: (.*)", text).groups()
        right = str(2 * int(x)) if name == "double" else str(2 * int(x))  # wrong for square on purpose
        return ("Answer: A" if a == right else "Answer: B" if b == right else "Answer: unsure") + \
            f"\nBecause {name}({x}) should be {right}."
    return "?"


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory):
    """(store path, run key): zero-shot, majority vote and S* on `PROBLEMS`, graded, as `codesieve run` stores it."""
    path = tmp_path_factory.mktemp("report") / "run.sqlite"
    config = RunConfig(strategies=STRATEGIES, n=4, rounds=1)
    with Executor(workers=2) as executor, RunStore(path) as store:
        store.open_run("toy-1", {"benchmark": "toy", "n": 4, "rounds": 1, "note": HOSTILE})
        asyncio.run(Pipeline(FakeBackend(scripted), executor, store, "toy-1", config).run(PROBLEMS, "toy"))
    return path, "toy-1"
