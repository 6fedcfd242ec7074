import asyncio

from codesieve.generate.sample import SampleConfig, request_for, sample, sample_row, to_candidate
from codesieve.llm import FakeBackend
from codesieve.llm.base import Completion
from codesieve.types import Problem, TaskKind

HE = Problem(id="HE/0", prompt="def inc(x):\n    '''Add one.'''\n", kind=TaskKind.FUNCTION, entry_point="inc",
             starter_code="def inc(x):\n    '''Add one.'''\n", completion_prefix="def inc(x):\n    '''Add one.'''\n")
CC = Problem(id="cc/0", prompt="Print the sum of two numbers.", kind=TaskKind.STDIO)


def answer(request, index):
    if "sum" in request.messages[-1].content:
        return f"```python\na, b = map(int, input().split())\nprint(a + b + {index})\n```"
    return f"```python\ndef inc(x):\n    return x + {index + 1}\n```"


def test_sample_n_per_problem_with_seeds_and_callback():
    fake = FakeBackend(answer)
    seen = []
    config = SampleConfig(n=3, temperature=0.7, seed=5)
    out = asyncio.run(sample(fake, [HE, CC], config, on_problem=lambda p, cands, comps: seen.append(p.id)))
    assert [len(c) for c in out] == [3, 3]
    assert [c.index for c in out[0]] == [0, 1, 2]
    assert "return x + 3" in out[0][2].program and out[0][2].raw.startswith("```python")
    assert "print(a + b + 1)" in out[1][1].program
    assert sorted(seen) == ["HE/0", "cc/0"]
    req_he = next(r for r in fake.requests if "inc" in r.messages[-1].content)
    assert req_he.n == 3 and req_he.seed == 5 and req_he.temperature == 0.7 and req_he.logprobs
    assert out[0][0].mean_logprob == -0.5  # the fake's logprobs came through


def test_request_for_greedy():
    req = request_for(HE, SampleConfig(n=1, temperature=0.0))
    assert req.n == 1 and req.temperature == 0.0 and req.messages[-1].role == "user"


def test_sample_rows_for_eval():
    comp = Completion(text="```python\ndef inc(x):\n    return x + 1\n```", finish_reason="stop", index=2,
                      prompt_tokens=10, completion_tokens=12)
    cand = to_candidate(HE, comp, 2)
    row = sample_row(HE, cand, comp)
    assert row["task_id"] == "HE/0" and row["index"] == 2 and row["completion_tokens"] == 12
    if "completion" in row:  # the program extends the prompt: a continuation row
        assert HE.completion_prefix + row["completion"] == cand.program
    else:
        assert row["solution"] == cand.program
    stdio = sample_row(CC, to_candidate(CC, comp, 0), comp)
    assert "solution" in stdio and "completion" not in stdio
