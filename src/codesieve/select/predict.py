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
import asyncio
import re
from dataclasses import dataclass
from typing import Any, Sequence

from codesieve.execution.compare import stdio_match, values_match
from codesieve.select.base import Cost, Toolbox
from codesieve.select.inputs import fenced_blocks, show_input
from codesieve.select.prompts import prediction_request
from codesieve.types import Problem, TaskKind, Test, TestOutcome, Verdict

_COMMENTED = re.compile(r"#\s*(?:output|returns?|result)\s*(?:is)?\s*[:=]?\s*(.+)$", re.IGNORECASE | re.MULTILINE)
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


def read_prediction(problem: Problem, answer: str) -> Any:
    """The predicted value (FUNCTION) or output text (stdio) in an answer; `_UNREAD` if none.

    The last fenced block is read, else the last non-empty line; for values, the block as a whole,
    its last line, the right side of `call(...) == value`, or a `# Output: value` comment,
    whichever is a Python literal."""
    blocks = [body for _, body in fenced_blocks(answer)]
    lines = [line.strip() for line in answer.strip().splitlines() if line.strip() and not line.startswith("```")]
    text = blocks[-1].strip() if blocks else (lines[-1] if lines else "")
    if problem.kind != TaskKind.FUNCTION:
        return text + "\n" if text else _UNREAD
    last = text.splitlines()[-1].strip() if text else ""
    commented = _COMMENTED.findall(text)
    for piece in (text, last, last.rpartition("==")[2], last.rpartition("return ")[2], *commented[-1:]):
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


class Predictor:
    """The judge's predictions on one problem's inputs, each asked once however many comparisons
    show it, and charged once to the selection's `cost`."""

    def __init__(self, problem: Problem, tools: Toolbox, cost: Cost):
        self.problem, self.tools, self.cost = problem, tools, cost
        self._asked: dict[str, asyncio.Future] = {}

    async def __call__(self, tests: Sequence[Test]) -> list[Prediction]:
        for test in tests:
            if repr(test) not in self._asked:
                self._asked[repr(test)] = asyncio.ensure_future(self._ask(test))
        return list(await asyncio.gather(*(self._asked[repr(test)] for test in tests)))

    async def _ask(self, test: Test) -> Prediction:
        cfg = self.tools.config
        request = prediction_request(self.problem, show_input(self.problem, test), cfg.judge_tokens, cfg.seed)
        answer = (await self.tools.ask([request], self.cost))[0][0].text
        return Prediction(test, answer, read_prediction(self.problem, answer))


def vote(problem: Problem, prediction: Prediction, a: TestOutcome, b: TestOutcome) -> str | None:
    """'A' or 'B' when exactly that side's outcome is the predicted one, else None."""
    hit_a, hit_b = matches(problem, prediction, a), matches(problem, prediction, b)
    return "A" if hit_a and not hit_b else "B" if hit_b and not hit_a else None
