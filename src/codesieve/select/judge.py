"""LLM-as-judge without execution: show the distinct programs, ask which one is correct.

At most `max_judged` distinct programs are shown, in sample order. An unparsable answer picks
the first program shown. Position bias is not corrected: this is the baseline that S*'s
execution-grounded, order-swapped comparisons improve on.
"""

from __future__ import annotations

import re
from typing import Sequence

from codesieve.select.baseline_evidence import JudgeEvidence
from codesieve.select.cluster import normalised
from codesieve.select.prompts import choice_request
from codesieve.stages import CandidatePool, Cost, Selection, Toolbox
from codesieve.types import Attempt, Problem

_ANSWER = re.compile(r"answer\s*(?:is)?\s*[:：]?\s*[*_`(\[]*\s*(?:program\s*)?#?(\d+)", re.IGNORECASE)


def parse_choice(text: str, n: int) -> int | None:
    """The 1-based program number named by the first 'Answer: N' in range, as a 0-based position."""
    for found in _ANSWER.findall(text):
        if 1 <= int(found) <= n:
            return int(found) - 1
    return None


class LLMJudge:
    name = "llm-judge"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        shown: list[int] = []
        seen: set[str] = set()
        for i, a in enumerate(attempts):
            key = normalised(a.candidate.program)
            if key not in seen and len(shown) < tools.config.max_judged:
                seen.add(key)
                shown.append(i)
        if not shown:
            return Selection(self.name, None, "no candidates", cost=cost)
        if len(shown) == 1:
            return Selection(self.name, attempts[shown[0]].candidate, "all candidates are the same program",
                             cost=cost)
        request = choice_request(problem, [attempts[i].candidate.program for i in shown], tools.config.judge_tokens,
                                 tools.config.seed)
        answer = (await tools.ask([request], cost))[0][0].text
        choice = parse_choice(answer, len(shown))
        trace = JudgeEvidence(tuple(attempts[i].candidate.id for i in shown), answer, choice)
        if choice is None:
            return Selection(self.name, attempts[shown[0]].candidate, "unparsable answer: first program", trace, cost)
        return Selection(self.name, attempts[shown[choice]].candidate, f"the judge chose program {choice + 1}",
                         trace, cost)
