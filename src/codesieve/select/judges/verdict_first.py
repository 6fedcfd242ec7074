"""`verdict-first`: the committed runs' judge. "Answer: A" or "Answer: B" first, then why.

Each readable answer is a point for the side it names, so a judge that always names one position
splits every duel 1-1: a small greedy model copies the quoted answer whatever it is shown (kept
because it is measured, bench/results/judge_accuracy.md). It does not judge by code alone.
"""

from __future__ import annotations

import re
from typing import Sequence

from codesieve.select.judges.base import Disagreement, Judgement
from codesieve.select.judges.orders import ask_both_orders, read_votes
from codesieve.select.prompts import verdict_first_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Attempt, Problem

_ANSWER = re.compile(r"answer\s*(?:is)?\s*[:：]?\s*[*_`(\[]*\s*(?:program\s*)?([AB])\b", re.IGNORECASE)
_BARE = re.compile(r"^\W*(?:program\s*)?([AB])\W*$", re.IGNORECASE)


def parse_verdict(text: str) -> str | None:
    """'A' or 'B' from the first 'Answer: X', else a bare 'A'/'B' as the first or last line; None
    if unclear."""
    found = _ANSWER.search(text)
    if found:
        return found.group(1).upper()
    lines = [line for line in text.strip().splitlines() if line.strip()]
    for line in lines[:1] + lines[-1:]:
        bare = _BARE.match(line)
        if bare:
            return bare.group(1).upper()
    return None


class VerdictFirst:
    """Names A or B first, then says why; a point per answer, in both orders."""

    name = "verdict-first"
    by_code = False

    async def judge(self, problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], tools: Toolbox,
                    cost: Cost) -> Judgement:
        cfg = tools.config
        _, completions = await ask_both_orders(
            problem, a, b, shown, lambda *shows: verdict_first_request(*shows, cfg.judge_tokens, cfg.seed), tools, cost)
        votes, answers = read_votes([c.text for c in completions], [c.completion_tokens for c in completions],
                                    parse_verdict)
        return Judgement((float(votes.count("A")), float(votes.count("B"))), answers)
