"""`predict`, the default judge: the model predicts the right output; the program that gave it scores.

The pairwise judges see programs A and B with their outputs and name one. A small model names
the same position whatever it is shown (Qwen2.5-Coder-0.5B named A in both orders in every judged
duel on HumanEval+), so asking in both orders cancels its votes and the judge decides nothing.
Here the judge sees only the problem and one input on which the two programs differ, and writes
the output it expects: there is no position to prefer and no code to copy. An input where exactly
one side's output matches the prediction is a vote for that side; a prediction matching neither
side, or one that cannot be read, is no vote. Nor is a copied prediction: one equal to a statement
example's output for another input (a small model often answers with the example's output,
whatever it is asked; bench/results/judge_accuracy.md counts them), which is recorded as copied.
A stdio prediction with fewer lines than a program's output is compared with that many of its
first lines: on a multi-case input a small model predicts the first case's line and stops, and
whole, such a prediction would match neither side however right (docs/sstar.md measures it).
The side with more votes takes both points, equal votes split them 1-1. Predictions depend on the
input alone, so one prediction serves every duel of the problem that shows the same input. With
no program to read, it cannot judge by code alone.
"""

from __future__ import annotations

import ast
import asyncio
import re
from dataclasses import dataclass
from typing import Any, Sequence

from codesieve.execution.compare import stdio_match, values_match
from codesieve.problems._examples import asserted_truth
from codesieve.select import evidence as ev
from codesieve.select.cluster import probe
from codesieve.select.inputs import fenced_blocks, known_parameters, parse_inputs, show_input
from codesieve.select.judges.base import Disagreement, Judgement
from codesieve.select.prompts import prediction_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Attempt, CallTest, Problem, StdioTest, TaskKind, Test, TestOutcome, Verdict

_COMMENTED = re.compile(r"#\s*(?:output|returns?|result)\s*(?:is)?\s*[:=]?\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_UNREAD = object()  # a prediction that could not be read (None is a valid predicted value)


@dataclass(frozen=True)
class Prediction:
    """What the judge expects on one input: its answer, the value or text read from it, and
    whether that is a statement example's output for another input (`copied`: it casts no vote)."""

    test: Test
    answer: str
    value: Any = _UNREAD
    copied: bool = False

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


def same_output(problem: Problem, predicted: Any, given: Any) -> bool:
    """Whether a predicted value (or stdout text) is `given`, by the benchmark's own comparison:
    numeric tolerance and tuples as lists (the judge cannot tell them apart), or whitespace-split
    tokens for stdio."""
    if problem.kind == TaskKind.FUNCTION:
        cmp = problem.comparison
        return values_match(predicted, given, cmp.atol, cmp.rtol, sequences_as_lists=True)
    return stdio_match(predicted, given)


def matches(problem: Problem, prediction: Prediction, outcome: TestOutcome) -> bool:
    """Whether a program's outcome on the input is the predicted one (for stdio, on as many of
    the output's first lines as the prediction has)."""
    if not prediction.readable or outcome.verdict != Verdict.OK:
        return False
    if problem.kind == TaskKind.FUNCTION:
        return same_output(problem, prediction.value, outcome.value)
    return same_output(problem, prediction.value, leading_lines(outcome.output, prediction.value))


def leading_lines(output: str, predicted: str) -> str:
    """`output`'s first lines, as many as `predicted` has (both stripped of surrounding blank space)."""
    return "\n".join(output.strip().splitlines()[:len(predicted.strip().splitlines())]) + "\n"


def copies_an_example(problem: Problem, test: Test, value: Any) -> bool:
    """Whether `value`, predicted for `test`, is the output of a statement example (public test;
    `assert f(x)` and `assert not f(x)` state True and False) for another input. An input that is
    itself an example's is answered by that example, so nothing predicted for it counts as copied."""
    examples = [(t.args, t.expected) if isinstance(t, CallTest) else (t.input, t.output)
                for t in problem.public_tests if isinstance(t, (CallTest, StdioTest))]
    examples += [truth for t in problem.public_tests if (truth := asserted_truth(t, problem.entry_point or ""))]
    asked = test.args if isinstance(test, CallTest) else test.input if isinstance(test, StdioTest) else None
    if value is _UNREAD or any(given == asked for given, _ in examples):
        return False
    return any(output is not None and same_output(problem, value, output) for _, output in examples)


def vote(problem: Problem, prediction: Prediction, a: TestOutcome, b: TestOutcome) -> str | None:
    """'A' or 'B' when exactly that side's outcome is the predicted one, else None (always None
    for a copied prediction)."""
    if prediction.copied:
        return None
    hit_a, hit_b = matches(problem, prediction, a), matches(problem, prediction, b)
    return "A" if hit_a and not hit_b else "B" if hit_b and not hit_a else None


def scored(votes: Sequence[str | None]) -> tuple[float, float]:
    """A duel's points from its votes: the side with more takes both, equal votes split them 1-1."""
    wins_a, wins_b = votes.count("A"), votes.count("B")
    return (2.0, 0.0) if wins_a > wins_b else (0.0, 2.0) if wins_b > wins_a else (1.0, 1.0)


class Predict:
    """Predicts each separating input's output; the side whose outputs match more predictions wins.

    One object serves one problem's selection (S* makes one per problem): each input's prediction
    is asked once, however many duels show it, and charged once, to the first duel's `cost`."""

    name = "predict"
    by_code = False

    def __init__(self) -> None:
        self._asked: dict[tuple[str, str], asyncio.Future] = {}

    async def judge(self, problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], tools: Toolbox,
                    cost: Cost) -> Judgement:
        """Judge the duel on the runs it saw, or, for a stored duel, on both programs run again on
        the inputs read back from how they were shown."""
        if all(d.ran is not None for d in shown):
            tests = [d.ran.test for d in shown]  # type: ignore[union-attr]
            outcomes = [d.ran.a for d in shown], [d.ran.b for d in shown]  # type: ignore[union-attr]
        else:
            tests, outcomes = await _run_again(problem, a, b, shown, tools, cost)
        if not tests:
            return Judgement((0.0, 0.0))
        predictions = await self.predict(problem, tests, tools, cost)
        votes = [vote(problem, p, x, y) for p, x, y in zip(predictions, *outcomes)]
        points = scored(votes)
        said = tuple(ev.OutputPrediction(show_input(problem, p.test), p.answer, repr(p.value) if p.readable else None,
                                         v, p.copied) for p, v in zip(predictions, votes))
        return Judgement(points, predictions=said)

    async def predict(self, problem: Problem, tests: Sequence[Test], tools: Toolbox, cost: Cost) -> list[Prediction]:
        """The judge's prediction on each of `tests`, each distinct input asked once."""
        for test in tests:
            key = (problem.id, repr(test))
            if key not in self._asked:
                self._asked[key] = asyncio.ensure_future(self._ask(problem, test, tools, cost))
        return list(await asyncio.gather(*(self._asked[problem.id, repr(test)] for test in tests)))

    async def _ask(self, problem: Problem, test: Test, tools: Toolbox, cost: Cost) -> Prediction:
        request = prediction_request(problem, show_input(problem, test), tools.config.judge_tokens, tools.config.seed)
        answer = (await tools.ask([request], cost))[0][0].text
        value = read_prediction(problem, answer)
        return Prediction(test, answer, value,
                          tools.config.discard_copies and copies_an_example(problem, test, value))


async def _run_again(problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], tools: Toolbox,
                     cost: Cost) -> tuple[list[Test], tuple[Sequence[TestOutcome], Sequence[TestOutcome]]]:
    """The shown inputs read back (as the model would have written them) and both programs' outcomes on them."""
    params = known_parameters(problem, [a.candidate.program]) if problem.kind == TaskKind.FUNCTION else None
    fence = "```python\n{}\n```" if problem.kind == TaskKind.FUNCTION else "```\n{}\n```"
    tests = [t for d in shown for t in parse_inputs(problem, fence.format(d.shown.input), params).tests[:1]]
    if not tests:
        return [], ((), ())
    res_a, res_b = await probe(problem, [a, b], tests, tools, cost)
    return tests, (res_a.outcomes, res_b.outcomes)
