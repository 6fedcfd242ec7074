"""Asking a pairwise judge in both orders, so that a preference for a position cancels.

A pairwise judge (`reason`, `verdict-first`, `logprob`) is shown the duel's two programs and the
inputs they disagree on with each program's real output, once as they are (A is the duel's A)
and once swapped. Whatever it answers is read back in the duel's own sides (`unswap`).
"""

from __future__ import annotations

from typing import Callable, Sequence

from codesieve.llm.base import ChatRequest, Completion
from codesieve.select import evidence as ev
from codesieve.select.judges.base import Disagreement
from codesieve.select.prompts import Shown
from codesieve.stages import Cost, Toolbox
from codesieve.types import Attempt, Problem

# a judge's request: the problem, the program shown as A, the one shown as B, the inputs in that order
Request = Callable[[Problem, str, str, Sequence[Shown]], ChatRequest]


async def ask_both_orders(problem: Problem, a: Attempt, b: Attempt, shown: Sequence[Disagreement], request: Request,
                          tools: Toolbox, cost: Cost) -> tuple[list[ChatRequest], list[Completion]]:
    """The two requests (as shown, then swapped) and the judge's first completion to each."""
    as_shown = [Shown(d.shown.input, d.shown.a, d.shown.b) for d in shown]
    swapped = [Shown(s.input, s.second, s.first) for s in as_shown]
    prog_a, prog_b = a.candidate.program, b.candidate.program
    requests = [request(problem, prog_a, prog_b, as_shown), request(problem, prog_b, prog_a, swapped)]
    return requests, [group[0] for group in await tools.ask(requests, cost)]


def unswap(vote: str | None) -> str | None:
    """A vote given with the programs swapped, in the duel's sides."""
    return {"A": "B", "B": "A"}.get(vote or "", vote)


def read_votes(texts: Sequence[str], tokens: Sequence[int], parse: Callable[[str], str | None]
               ) -> tuple[list[str | None], tuple[ev.JudgeAnswer, ...]]:
    """The votes of both orders' answers, in the duel's sides, and the answers as recorded."""
    votes = [parse(texts[0]), unswap(parse(texts[1]))]
    return votes, tuple(ev.JudgeAnswer(swap, t, v, n) for swap, t, n, v in zip((False, True), texts, tokens, votes))


def shown_position(answer: ev.JudgeAnswer) -> str | None:
    """The position an answer named as the judge saw the programs (its vote is in the duel's sides)."""
    return unswap(answer.vote) if answer.swapped else answer.vote


def same_position(answers: Sequence[ev.JudgeAnswer]) -> str | None:
    """The position ("A" or "B", as shown) a pairwise judge named in both orders, or None when its
    two answers named different positions (or a tie, or nothing readable). A judge that names one
    position whatever it is shown is position-bound: its votes cancel."""
    shown = {shown_position(a) for a in answers}
    position = shown.pop() if len(answers) == 2 and len(shown) == 1 else None
    return position if position in ("A", "B") else None
