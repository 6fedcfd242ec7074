"""The stdin input generator: written by the (fake) model, run in the real sandbox, once per seed."""

import json
import os
from dataclasses import replace

from codesieve.execution import Job
from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.select.generator import SEEDS, generated_inputs
from codesieve.stages import Cost, SelectConfig, Toolbox, make_strategy
from codesieve.store.records import jsonable
from codesieve.types import Attempt, Candidate, Problem, StdioTest, TaskKind

from tests.select.conftest import DOUBLE, asked, run

SUM = Problem(id="t/sum", prompt="Read n, then n integers (1 <= n <= 10). Print their sum.", kind=TaskKind.STDIO,
              public_tests=(StdioTest("2\n1 1\n", "2\n"),))

RANDOM_LISTS = '''```python
import random

def generate_input(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    return f"{n}\\n" + " ".join(str(rng.randint(1, 9)) for _ in range(n))
```'''


def writer(generator):
    def respond(request, index):
        text = asked(request)
        if "generate_input(seed)" in text:
            return generator
        if "new test inputs" in text:
            return "```\n2\n1 1\n```"  # the example again
        return "?"
    return respond


def generate(generator, problem=SUM, executor=None):
    model = FakeBackend(writer(generator))
    cost = Cost()
    found = run(generated_inputs(problem, Toolbox(judge=model, executor=executor), cost))
    return found, cost, model


def test_one_answer_gives_an_input_per_seed_in_the_sandbox(executor):
    found, cost, model = generate(RANDOM_LISTS, executor=executor)
    assert len(model.requests) == 1 and cost.model_calls == 1 and cost.executions == 1
    assert found.failed == 0 and found.raw == RANDOM_LISTS and 1 < len(found.tests) <= SEEDS
    for test in found.tests:
        count, items = test.input.split("\n")[:2]
        assert test.input.endswith("\n") and int(count) == len(items.split())
    assert generate(RANDOM_LISTS, executor=executor)[0] == found  # seeded: a replay sees the same inputs


def test_the_generator_never_runs_in_this_process(executor):
    pid = "```python\nimport os\n\ndef generate_input(seed):\n    return f'1\\n{os.getpid()}'\n```"
    found, _, _ = generate(pid, executor=executor)
    assert len(found.tests) == 1 and found.tests[0].input != f"1\n{os.getpid()}\n"


def test_runs_that_give_no_input_are_counted_as_failed(executor):
    odd_crash = ("```python\ndef generate_input(seed):\n    if seed % 2:\n        raise ValueError(seed)\n"
                 "    return '1\\n' + str(seed)\n```")
    found, _, _ = generate(odd_crash, executor=executor)
    assert [t.input for t in found.tests] == ["1\n0\n", "1\n2\n", "1\n4\n"] and found.failed == 2
    for broken in ("```python\ndef generate_input(seed):\n    return seed\n```",  # not a string
                   "```python\ndef generate_input(seed):\n    return '  \\n'\n```",  # empty
                   "```python\ndef generate_input(seed):\n    return 'x' * 10000\n```",  # too long for an input
                   "```python\ndef generate_input(seed):\n    while True:\n        pass\n```",  # never returns
                   "I cannot write that."):  # no program at all
        found, _, _ = generate(broken, replace(SUM, time_limit_s=0.2), executor)  # the problem's limit if lower
        assert found.tests == () and found.failed == SEEDS, broken


def test_function_tasks_ask_for_no_generator(executor):
    found, cost, model = generate(RANDOM_LISTS, problem=DOUBLE, executor=executor)
    assert found.tests == () and not model.requests and cost.executions == 0


def test_sstar_groups_on_the_generated_inputs(executor):
    """Two programs that agree on the example (and on the model's inputs, the example again) are
    split by the generator's inputs; only `sstar-generator` asks for it."""
    programs = ["n = int(input())\nprint(sum(map(int, input().split())))\n",
                "n = int(input())\nprint(n * max(map(int, input().split())))\n"]
    cands = [Candidate(SUM.id, i, p) for i, p in enumerate(programs)]
    results = executor.run([Job.for_problem(SUM, c.program, SUM.public_tests, stop_on_fail=False) for c in cands])
    attempts = [Attempt(c, r) for c, r in zip(cands, results)]
    assert all(a.public_rate == 1.0 for a in attempts)

    def select(name):
        tools = Toolbox(judge=FakeBackend(writer(RANDOM_LISTS)), executor=executor, config=SelectConfig())
        return run(make_strategy(name).select(SUM, attempts, tools))

    cheap = select("sstar-cheap")
    assert cheap.trace.inputs_generated == 0 and cheap.trace.generator_raw == ""
    assert "generator_raw" not in jsonable(cheap.trace)  # added later: left out at its default
    generated = select("sstar-generator")
    trace = generated.trace
    assert trace.inputs_generated > 1 and trace.generator_raw == RANDOM_LISTS and trace.generator_failed == 0
    assert len(trace.groups) == 2 and trace.duels
    stored = json.loads(json.dumps(jsonable(trace)))
    assert stored == trace.to_json() and stored["generator_raw"] == RANDOM_LISTS
    assert ev.SStarEvidence.from_json(stored) == trace
