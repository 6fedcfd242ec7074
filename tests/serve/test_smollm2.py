"""The server on the tiny real model (SmolLM2-135M), called with the official `openai` client: a
function task with tests in `extra_body`, a stdin task, a task whose examples are only in its
text, eight requests at once, and a replay of a served request through `codesieve run --replay`.

The model is weak, so a test cannot ask for a right program; it asks what selection promises:
where some candidate passes the given tests, the pick does."""

from __future__ import annotations

import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest

from codesieve.cli import main
from codesieve.store import RunStore
from codesieve.serve import ServeSettings
from tests.serve.conftest import ADD_TESTS, Served, fenced, smollm2_model

STDIO_TESTS = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6\n"}]
DOCTEST = '''Complete this function.

```python
def double(x):
    """Return x times two.
    >>> double(2)
    4
    >>> double(-3)
    -6
    """
```'''


@pytest.fixture(scope="module")
def served(smollm2_server, tmp_path_factory):
    settings = ServeSettings(model=smollm2_model(smollm2_server), store=tmp_path_factory.mktemp("serve") / "s.sqlite",
                             n=2, rounds=1, max_tokens=64, workers=2, concurrency=4, queue=8, api_key="k")
    server = Served(settings)
    yield server
    server.close()


def ask(served, text, **extension):
    client = served.client(key="k")
    return client.chat.completions.create(model="smollm2", messages=[{"role": "user", "content": text}],
                                          extra_body={"codesieve": extension} if extension else None)


def check_selection(answer, tests_from):
    """The answer is a fenced program; if some candidate passed every test, the pick passes them."""
    info = answer.model_extra["codesieve"]
    assert fenced(answer.choices[0].message.content).strip()
    assert info["tests"]["from"] == tests_from and info["tests"]["count"] > 0
    assert info["pick"]["candidate"] in [c["id"] for c in info["candidates"]]
    if any(c["public_passed"] == c["public_tests"] for c in info["candidates"]):
        assert info["pick"]["passes_tests"] is True
    assert answer.usage.completion_tokens > 0
    return info


def test_a_function_task_with_tests_in_extra_body(served):
    check_selection(ask(served, "Write a Python function add(a, b) that returns a + b.", tests=ADD_TESTS,
                        entry_point="add"), "request")


def test_a_stdin_task(served):
    check_selection(ask(served, "Read two integers from one line of standard input and print their sum.",
                        tests=STDIO_TESTS, kind="stdio"), "request")


def test_a_task_whose_examples_are_only_in_its_text(served):
    info = check_selection(ask(served, DOCTEST), "prompt")
    assert info["tests"]["count"] == 2


def test_eight_requests_at_once_all_complete(served):
    texts = [f"Write a Python function add(a, b) that returns a + b + {k}." for k in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda t: ask(served, t, tests=[{"args": [0, 0], "expected": 0}], entry_point="add",
                                              n=1), texts))  # one sample each: S* still debugs and stores it
    assert len({a.model_extra["codesieve"]["run"] for a in answers}) == 8
    assert all(fenced(a.choices[0].message.content) for a in answers)


def test_a_replay_of_a_served_request_gives_the_same_pick(served, capsys):
    info = ask(served, "Write a Python function add(a, b) that returns a + b.", tests=ADD_TESTS,
               entry_point="add").model_extra["codesieve"]
    assert main([*shlex.split(info["replay"])[1:], "--workers", "1"]) == 0
    assert "sstar 1 of 1 selections identical" in capsys.readouterr().err.replace("\n", " ")
    with RunStore(served.settings.store) as store:
        [replayed] = store.selections(info["run"] + "-replay")
    assert replayed.winner == info["pick"]["candidate"]
