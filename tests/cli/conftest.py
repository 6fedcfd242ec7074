"""`codesieve run` on a scripted model: `open_llm` is replaced by one serving a `FakeBackend`
through the real completion store (so --replay takes the real path), everything else is real:
HumanEval problems, the sandbox, the pipeline, the run store."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager

import pytest

from codesieve.problems import load_benchmark

SOLVED = ("HumanEval/0", "HumanEval/2", "HumanEval/4")  # the model knows these, and only these


@pytest.fixture(scope="session")
def humaneval():
    return {p.entry_point: p for p in load_benchmark("humaneval", limit=5)}


@pytest.fixture()
def scripted_model(monkeypatch, humaneval):
    """Patch `codesieve.llm.open_llm`; return the list of FakeBackends it made (their `requests`)."""
    from codesieve.llm import CachingBackend, CompletionStore, FakeBackend

    def respond(request, index):
        text = request.messages[-1].content
        if [m.role for m in request.messages] != ["system", "user"]:
            return "?"  # debug rounds, test inputs, judges: nothing useful
        name = next(n for n in humaneval if re.search(rf"\b{n}\b", text))
        problem = humaneval[name]
        if problem.id in SOLVED and index == 0:
            return f"```python\n{problem.reference}\n```"
        return f"```python\ndef {name}(*args):\n    return None\n```"

    made = []

    @asynccontextmanager
    async def open_llm(model="fake", *, base_url=None, api_key=None, store=None, replay=False, **_):
        fake = None if replay else FakeBackend(respond, model_id=f"fake-{model}")
        if fake is not None:
            made.append(fake)
        with CompletionStore(store) as completions:
            yield CachingBackend(fake, completions, replay=replay, model_id=f"fake-{model}")

    monkeypatch.setattr("codesieve.llm.open_llm", open_llm)
    return made
