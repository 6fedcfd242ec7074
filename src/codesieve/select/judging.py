"""S*'s pairwise judges: which of two programs is right, asked in both orders so position cancels.

Each judge sees the problem, both programs and (when there are any) the inputs they disagree on
with each program's real output (`prompts.judge_request`), once as shown and once with the
programs swapped. Votes are always in the duel's own sides (A is the duel's first program).

- `reason` (the default, as S*'s authors judge): analysis first, the verdict (A, B or tie) alone on
  the last line; an analysis that ends without one is asked for it afterwards, in the same
  conversation (a small model answers the questions and stops). Scored as the authors score it, doubled to the scale of the other outcomes: the
  same side in both orders takes 2 points to 0, tie in both orders is 1-1, anything else (the two
  orders disagree, or an answer has no readable verdict) scores 0-0.
- `verdict-first`: the committed runs' judge. Each readable answer is a point for the side it
  names; a judge that always names one position therefore splits every duel 1-1.
- `logprob`: one generated token per order; the log-probabilities of "A" and "B" as that first
  token are read from the server's `top_logprobs`. margin = mean over the two orders of
  log P(duel's A) - log P(duel's B): a fixed preference for a position adds the same amount to
  one order and takes it from the other, so it cancels exactly. The duel is decided (2-0) when
  |margin| clears `SelectConfig.logprob_threshold`, else it scores 0-0.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from codesieve.errors import BackendError
from codesieve.llm.base import ChatRequest, Completion
from codesieve.select import evidence as ev
from codesieve.select.base import Cost, Toolbox
from codesieve.select.prompts import Shown, judge_request, verdict_request
from codesieve.types import Problem

_ANSWER = re.compile(r"answer\s*(?:is)?\s*[:：]?\s*[*_`(\[]*\s*(?:program\s*)?([AB])\b", re.IGNORECASE)
_BARE = re.compile(r"^\W*(?:program\s*)?([AB])\W*$", re.IGNORECASE)
# a verdict line: optional "verdict"/"final answer" label, markup, then A, B or tie alone
_FINAL = re.compile(r"^[\W_]*(?:(?:final\s+)?(?:verdict|answer)\s*(?:is)?\s*[:：]?)?[\s*_`(\[\"']*(?:program\s*)?"
                    r"(A|B|tie)[\s*_`)\]\"'.!]*$", re.IGNORECASE)
# "verdict: X" within a line; not "verdict: A, B or tie", the instruction copied back
_KEYED = re.compile(r"(?:verdict|answer)\s*(?:is)?\s*[:：]?\s*[*_`(\[\"']*\s*(?:program\s*)?(A|B|tie)\b"
                    r"(?!\s*(?:,|/|\bor\b)\s*(?:or\s+)?(?:A|B|tie)\b)", re.IGNORECASE)


def parse_verdict(text: str) -> str | None:
    """verdict-first: 'A' or 'B' from its first 'Answer: X', else a bare 'A'/'B' as the first or
    last line; None if unclear."""
    found = _ANSWER.search(text)
    if found:
        return found.group(1).upper()
    lines = [line for line in text.strip().splitlines() if line.strip()]
    for line in lines[:1] + lines[-1:]:
        bare = _BARE.match(line)
        if bare:
            return bare.group(1).upper()
    return None


def parse_final(text: str) -> str | None:
    """reason: 'A', 'B' or 'tie' from the last line that states a verdict (the verdict alone, maybe
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


def unswap(vote: str | None) -> str | None:
    """A vote given with the programs swapped, in the duel's sides."""
    return {"A": "B", "B": "A"}.get(vote or "", vote)


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


async def judge_pair(problem: Problem, prog_a: str, prog_b: str, shown: Sequence[Shown], style: str,
                     tools: Toolbox, cost: Cost) -> tuple[tuple[ev.JudgeAnswer, ...], tuple[float, float], float | None]:
    """Ask the judge in `style` about programs A and B (and the evidence `shown`, in that order) in
    both orders; return its answers, the points (A's, B's) and, for `logprob`, the mean margin."""
    cfg = tools.config
    budget = {"reason": cfg.reason_tokens, "verdict-first": cfg.judge_tokens, "logprob": 1}[style]
    swapped = [Shown(s.input, s.second, s.first) for s in shown]
    requests = [judge_request(problem, prog_a, prog_b, shown, style, budget, cfg.seed, cfg.top_logprobs),
                judge_request(problem, prog_b, prog_a, swapped, style, budget, cfg.seed, cfg.top_logprobs)]
    completions = [group[0] for group in await tools.ask(requests, cost)]
    if style == "logprob":
        where = f"the judge model {getattr(tools.judge, 'model_id', '')!r}"
        read = [label_logprobs(c, where) for c in completions]
        margins = [read[0][0] - read[0][1], read[1][1] - read[1][0]]  # second order: B shown first
        margin = sum(margins) / 2
        answers = tuple(ev.JudgeAnswer(swap, c.text, "A" if m > 0 else "B" if m < 0 else None, c.completion_tokens,
                                       m, lp) for swap, c, m, lp in zip((False, True), completions, margins, read))
        decided = abs(margin) >= cfg.logprob_threshold and margin != 0
        points = ((2.0, 0.0) if margin > 0 else (0.0, 2.0)) if decided else (0.0, 0.0)
        return answers, points, margin
    parse = parse_final if style == "reason" else parse_verdict
    texts = [whole_answer(r, c.text) for r, c in zip(requests, completions)]
    tokens = [c.completion_tokens for c in completions]
    missing = [k for k in (0, 1) if style == "reason" and parse_final(texts[k]) is None]
    if missing:  # an analysis without a verdict line: the verdict is asked after it
        follow = [verdict_request(requests[k], texts[k]) for k in missing]
        for k, group in zip(missing, await tools.ask(follow, cost)):
            texts[k], tokens[k] = f"{texts[k].rstrip()}\n{group[0].text.strip()}", tokens[k] + group[0].completion_tokens
    votes = [parse(texts[0]), unswap(parse(texts[1]))]
    answers = tuple(ev.JudgeAnswer(swap, t, v, n) for swap, t, n, v in zip((False, True), texts, tokens, votes))
    if style == "reason":
        return answers, reason_points(votes), None
    return answers, (float(votes.count("A")), float(votes.count("B"))), None
