"""Stdin inputs from an input generator the model writes: one model call, several inputs.

Asked for stdin inputs directly, a small model writes few and mostly repeats the examples. Asked
once for a function `generate_input(seed)` that returns one random input (`prompts.generator_request`),
it gives as many inputs as there are seeds, each in the problem's format. The function is
untrusted code: it runs in the sandbox like a candidate, one probe per seed. A run that crashes,
times out, or returns anything but a non-empty string that fits an input gives no input and is
counted as failed (a generator that fails on every seed gives nothing). The generator is asked
for once per problem and shared by every selector that uses it (`Toolbox.shared`).
"""

from __future__ import annotations

from dataclasses import dataclass

from codesieve.execution.job import Job
from codesieve.generate.extract import extract_code
from codesieve.problems.calls import MAX_INPUT_CHARS
from codesieve.select.inputs import stdin_text
from codesieve.select.prompts import GENERATOR, generator_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import CallTest, Limits, Problem, StdioTest, TaskKind, TestOutcome, Verdict

SEEDS = 5  # runs of the generator, seeded config.seed, config.seed + 1, ...
TOKENS = 384  # a generator is a short program, as long as a reasoned answer may be
TIME_S = 2.0  # CPU seconds per run at most (the problem's limit when lower)


@dataclass(frozen=True)
class Generated:
    """The inputs a generator gave (distinct, in seed order), its runs that gave none, and the
    model's answer it was read from."""

    tests: tuple[StdioTest, ...] = ()
    failed: int = 0
    raw: str = ""


async def generated_inputs(problem: Problem, tools: Toolbox, cost: Cost) -> Generated:
    """A stdin problem's generated inputs (nothing for function tasks, and no model call)."""
    if problem.kind != TaskKind.STDIO:
        return Generated()
    cfg = tools.config

    async def make(own: Cost) -> Generated:
        request = generator_request(problem, TOKENS, cfg.inputs_temperature, cfg.seed)
        raw = (await tools.ask([request], own, inputs=True))[0][0].text
        seeds = tuple(CallTest((cfg.seed + k,)) for k in range(SEEDS))
        job = Job(extract_code(raw, GENERATOR), TaskKind.FUNCTION, seeds, entry_point=GENERATOR,
                  limits=Limits(time_s=min(problem.time_limit_s, TIME_S), memory_mb=problem.memory_limit_mb),
                  stop_on_fail=False, probe=True)
        outcomes = (await tools.execute([job], own))[0].outcomes
        texts = [_input(outcomes[k]) if k < len(outcomes) else None for k in range(SEEDS)]
        tests = tuple(dict.fromkeys(StdioTest(t) for t in texts if t is not None))
        return Generated(tests, sum(t is None for t in texts), raw)

    return await tools.shared((problem.id, "generator"), make, cost)


def _input(outcome: TestOutcome) -> str | None:
    value = outcome.value
    if outcome.verdict != Verdict.OK or not isinstance(value, str) or not value.strip():
        return None
    text = stdin_text(value)
    return text if len(text) <= MAX_INPUT_CHARS else None
