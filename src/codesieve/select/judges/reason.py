"""`reason`: the judge analyses first and gives its verdict (A, B or tie) alone on the last line, as
S*'s authors judge.

An analysis that ends without a verdict line is asked for it afterwards, in the same conversation
(a small model answers the numbered questions and stops). Scored as the authors score it,
doubled to the scale of the other outcomes: the same side in both orders takes 2 points to 0,
tie in both orders is 1-1, anything else (the two orders disagree, or an answer has no readable
verdict) scores 0-0. It also judges two programs by their code alone.
"""

from __future__ import annotations

import re
from typing import Sequence

from codesieve.llm.base import ChatRequest
from codesieve.select.judges.base import Disagreement, Judgement
from codesieve.select.judges.orders import ask_both_orders, read_votes
from codesieve.select.prompts import reasoning_request, verdict_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Attempt, Problem

# a verdict line: optional "verdict"/"final answer" label, markup, then A, B or tie alone
_FINAL = re.compile(r"^[\W_]*(?:(?:final\s+)?(?:verdict|answer)\s*(?:is)?\s*[:：]?)?[\s*_`(\[\"']*(?:program\s*)?"
                    r"(A|B|tie)[\s*_`)\]\"'.!]*$", re.IGNORECASE)
# "verdict: X" within a line; not "verdict: A, B or tie", the instruction copied back
_KEYED = re.compile(r"(?:verdict|answer)\s*(?:is)?\s*[:：]?\s*[*_`(\[\"']*\s*(?:program\s*)?(A|B|tie)\b"
                    r"(?!\s*(?:,|/|\bor\b)\s*(?:or\s+)?(?:A|B|tie)\b)", re.IGNORECASE)


def parse_final(text: str) -> str | None:
    """'A', 'B' or 'tie' from the last line that states a verdict (the verdict alone, maybe
    labelled 'Verdict:' or 'Final answer:' and marked up, or 'the answer is X' within a line);
    None if no line does."""
    for line in reversed([line.strip() for line in text.strip().splitlines() if line.strip()]):
        found = _FINAL.match(line) or (list(_KEYED.finditer(line)) or [None])[-1]
        if found:
            word = found.group(1)
            return "tie" if word.lower() == "tie" else word.upper()
    return None


def whole_answer(request: ChatRequest, text: str) -> str:
    """An answer as the judge gave it: the opening words the request put in its mouth (a final
    assistant message), then what it wrote. llama.cpp's server returns both already."""
    last = request.messages[-1]
    if last.role != "assistant" or text.startswith(last.content):
        return text
    return last.content + (text if text[:1].isspace() else " " + text)


def reason_points(votes: Sequence[str | None]) -> tuple[float, float]:
    """The authors' scoring (doubled): agreeing orders decide, tie-tie splits, anything else is 0-0."""
    first, second = votes
    if first == second == "A":
        return 2.0, 0.0
    if first == second == "B":
        return 0.0, 2.0
    if first == second == "tie":
        return 1.0, 1.0
    return 0.0, 0.0


class Reason:
    """Analyses first, then answers A, B or tie; decides only when both orders agree."""

    name = "reason"
    by_code = True

    async def judge(self, problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], tools: Toolbox,
                    cost: Cost) -> Judgement:
        cfg = tools.config
        requests, completions = await ask_both_orders(
            problem, a, b, shown, lambda *shows: reasoning_request(*shows, cfg.reason_tokens, cfg.seed), tools, cost)
        texts = [whole_answer(r, c.text) for r, c in zip(requests, completions)]
        tokens = [c.completion_tokens for c in completions]
        missing = [k for k in (0, 1) if parse_final(texts[k]) is None]
        if missing:  # an analysis without a verdict line: the verdict is asked after it
            follow = [verdict_request(requests[k], texts[k]) for k in missing]
            for k, group in zip(missing, await tools.ask(follow, cost)):
                texts[k], tokens[k] = f"{texts[k].rstrip()}\n{group[0].text.strip()}", tokens[k] + group[0].completion_tokens
        votes, answers = read_votes(texts, tokens, parse_final)
        return Judgement(reason_points(votes), answers)
