"""A judge without positions: the model predicts the right output; the program that gave it scores.

The pairwise judge sees programs A and B with their outputs and names one. A small model names
the same position whatever it is shown (Qwen2.5-Coder-0.5B named A in both orders in every judged
duel on HumanEval+), so asking in both orders cancels its votes and the judge decides nothing.
Here the judge sees only the problem and one input on which the two programs differ, and writes
the output it expects: there is no position to prefer and no code to copy. An input where exactly
one side's output matches the prediction is a vote for that side; a prediction matching neither
side, or one that cannot be read, is no vote. Predictions depend on the input alone, so one
prediction serves every duel of the problem that shows the same input.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Sequence

from codesieve._aio import gather_or_cancel
from codesieve.execution.compare import stdio_match, values_match
from codesieve.llm.base import ChatRequest, Message
from codesieve.select.base import Cost, Toolbox
from codesieve.select.inputs import function_name, show_input, statement
from codesieve.types import Problem, TaskKind, Test, TestOutcome, Verdict

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)```", re.DOTALL)
_UNREAD = object()  # a prediction that could not be read (None is a valid predicted value)


@dataclass(frozen=True)
class Prediction:
    """What the judge expects on one input: its answer, and the value or text read from it."""

    test: Test
    answer: str
    value: Any = _UNREAD

    @property
    def readable(self) -> bool:
        return self.value is not _UNREAD


def prediction_request(problem: Problem, test: Test, max_tokens: int, seed: int) -> ChatRequest:
    """Ask for the output a correct solution gives on `test`; no program is shown."""
    if problem.kind == TaskKind.FUNCTION:
        ask = (f"What does a correct `{function_name(problem)}` return for `{show_input(problem, test)}`? "
               "Reply with the value alone in a ```python block.")
    else:
        ask = (f"What does a correct solution print for this input?\n```\n{show_input(problem, test)}\n```\n"
               "Reply with the output alone in a ``` block.")
    return ChatRequest(messages=(Message("user", f"{statement(problem)}\n\n{ask}"),), temperature=0.0,
                       max_tokens=max_tokens, seed=seed)


def read_prediction(problem: Problem, answer: str) -> Any:
    """The predicted value (FUNCTION) or output text (stdio) in an answer; `_UNREAD` if none.

    The last fenced block is read, else the last non-empty line; for values, the block as a whole,
    its last line, or the right side of `call(...) == value`, whichever is a Python literal."""
    blocks = [body for _, body in _FENCE.findall(answer)]
    lines = [line.strip() for line in answer.strip().splitlines() if line.strip() and not line.startswith("```")]
    text = blocks[-1].strip() if blocks else (lines[-1] if lines else "")
    if problem.kind != TaskKind.FUNCTION:
        return text + "\n" if text else _UNREAD
    last = text.splitlines()[-1].strip() if text else ""
    for piece in (text, last, last.rpartition("==")[2], last.rpartition("return ")[2]):
        try:
            return ast.literal_eval(piece.strip())
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
    return _UNREAD


def matches(problem: Problem, prediction: Prediction, outcome: TestOutcome) -> bool:
    """Whether a program's outcome on the input is the predicted one."""
    if not prediction.readable or outcome.verdict != Verdict.OK:
        return False
    if problem.kind == TaskKind.FUNCTION:
        cmp = problem.comparison
        return values_match(prediction.value, outcome.value, cmp.atol, cmp.rtol, sequences_as_lists=True)
    return stdio_match(prediction.value, outcome.output)


async def predict(problem: Problem, tests: Sequence[Test], tools: Toolbox, cost: Cost) -> list[Prediction]:
    """The judge's prediction for each input, asked once per problem and input."""

    async def one(test: Test) -> Prediction:
        async def make(own: Cost) -> Prediction:
            cfg = tools.config
            request = prediction_request(problem, test, cfg.judge_tokens, cfg.seed)
            answer = (await tools.ask([request], own))[0][0].text
            return Prediction(test, answer, read_prediction(problem, answer))

        return await tools.shared((problem.id, "prediction", repr(test)), make, cost)

    return list(await gather_or_cancel(*(one(test) for test in tests)))


def vote(problem: Problem, prediction: Prediction, a: TestOutcome, b: TestOutcome) -> str | None:
    """'A' or 'B' when exactly that side's outcome is the predicted one, else None."""
    hit_a, hit_b = matches(problem, prediction, a), matches(problem, prediction, b)
    return "A" if hit_a and not hit_b else "B" if hit_b and not hit_a else None
