"""`logprob`: one generated token per order; the log-probabilities of "A" and "B" as that first
token are read from the server's `top_logprobs`.

margin = mean over the two orders of log P(duel's A) - log P(duel's B): a fixed preference for a
position adds the same amount to one order and takes it from the other, so it cancels exactly.
The duel is decided (2-0) when |margin| clears `SelectConfig.logprob_threshold`, else it scores
0-0. It also judges two programs by their code alone.
"""

from __future__ import annotations

import math
from typing import Sequence

from codesieve.errors import BackendError
from codesieve.llm.base import Completion
from codesieve.select import evidence as ev
from codesieve.select.judges.base import Disagreement, Judgement
from codesieve.select.judges.orders import ask_both_orders
from codesieve.select.prompts import letter_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Attempt, Problem


def label_logprobs(completion: Completion, where: str) -> tuple[float, float]:
    """log P("A"), log P("B") as the first generated token, from its top alternatives. A label
    spelt several ways (" A", "A") adds up; a label missing from the list gets the lowest listed
    log-probability (its probability is at most that)."""
    if not completion.top_logprobs:
        raise BackendError(
            f"{where} returned no top_logprobs, which the logprob judge reads. Use a server that returns "
            "them for chat completions (llama.cpp's server, vLLM, OpenAI), or another judge (--judge reason).")
    alternatives = completion.top_logprobs[0]
    floor = min(lp for _, lp in alternatives)
    found: dict[str, list[float]] = {"A": [], "B": []}
    for token, lp in alternatives:
        label = token.strip().strip("*_`\"'([").upper()
        if label in found and math.isfinite(lp):
            found[label].append(lp)
    return tuple(_logsumexp(found[k]) if found[k] else floor for k in ("A", "B"))  # type: ignore[return-value]


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


class Logprob:
    """Reads the first token's log-probabilities of A and B in both orders; decides on their mean margin."""

    name = "logprob"
    by_code = True

    async def judge(self, problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], tools: Toolbox,
                    cost: Cost) -> Judgement:
        cfg = tools.config
        _, completions = await ask_both_orders(  # one token per answer: the label
            problem, a, b, shown, lambda *shows: letter_request(*shows, 1, cfg.seed, cfg.top_logprobs), tools, cost)
        where = f"the judge model {getattr(tools.judge, 'model_id', '')!r}"
        read = [label_logprobs(c, where) for c in completions]
        margins = [read[0][0] - read[0][1], read[1][1] - read[1][0]]  # second order: B shown first
        margin = sum(margins) / 2
        answers = tuple(ev.JudgeAnswer(swap, c.text, "A" if m > 0 else "B" if m < 0 else None, c.completion_tokens,
                                       m, lp) for swap, c, m, lp in zip((False, True), completions, margins, read))
        decided = abs(margin) >= cfg.logprob_threshold and margin != 0
        points = ((2.0, 0.0) if margin > 0 else (0.0, 2.0)) if decided else (0.0, 0.0)
        return Judgement(points, answers, margin=margin)
