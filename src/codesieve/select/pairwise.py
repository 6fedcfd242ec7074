"""S* adaptive selection: groups meet in pairs; execution evidence, then the judge, decides.

A comparison ("duel") between two groups goes through one representative program each:

1. the judge is asked for inputs that would separate the two programs; both programs run on
   them, and so do the earlier generated inputs on which the two groups already differ;
2. inputs where the outputs differ are the evidence. None: the duel is a draw (1 point each).
   If on every such input exactly one side fails (crash, timeout, ...) and it is always the same
   side, the other wins by execution (2 points), without asking the judge;
3. otherwise the judge sees the problem, both programs and their real outputs, and says which is
   correct, once in each order (A/B swapped) to cancel position bias. Each answer is a point for
   the program it names; an unparsable answer is a point for nobody. Or, for judges that always
   name one position, the judge predicts the output of each differing input without seeing the
   programs (`predict`); the side whose outputs match more predictions gets both points, a tie
   one each.

The winner is the group with the most points, then the largest group, then the group whose
first member came first. Only the `max_groups` largest groups meet (round robin), so the cost
is at most M*(M-1)/2 duels of three model calls, whatever N is.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Sequence

from codesieve.llm.base import ChatRequest, Message
from codesieve._aio import gather_or_cancel
from codesieve.select import evidence as ev
from codesieve.select.base import Attempt, Cost, Toolbox
from codesieve.select.cluster import Cluster, probe, show_outcome, signature
from codesieve.select.inputs import known_parameters, parse_inputs, show_input, statement
from codesieve.select.predict import Predictor, vote
from codesieve.text import CUT, clip
from codesieve.types import ExecResult, Problem, TaskKind, Test, TestOutcome, Verdict

PROGRAM_CHARS = 1500
_ANSWER = re.compile(r"answer\s*(?:is)?\s*[:：]?\s*[*_`(\[]*\s*(?:program\s*)?([AB])\b", re.IGNORECASE)
_BARE = re.compile(r"^\W*(?:program\s*)?([AB])\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """One input on which the two programs differ, with what each did."""

    test: Test
    a: TestOutcome
    b: TestOutcome


def round_robin(n_groups: int, max_groups: int) -> list[tuple[int, int]]:
    """The pairs of group positions that meet: all pairs among the first `max_groups`."""
    return list(itertools.combinations(range(min(n_groups, max_groups)), 2))


def parse_verdict(text: str) -> str | None:
    """'A' or 'B' from a judge's answer: its first 'Answer: X', else a bare 'A'/'B' as its first or
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


def execution_decision(evidence: Sequence[Evidence]) -> str | None:
    """'A' or 'B' when on every differing input exactly one side failed, always the other one."""
    sides = set()
    for e in evidence:
        a_ok, b_ok = e.a.verdict == Verdict.OK, e.b.verdict == Verdict.OK
        if a_ok == b_ok:
            return None
        sides.add("A" if a_ok else "B")
    return sides.pop() if len(sides) == 1 else None


def pick_winner(clusters: Sequence[Cluster], points: Sequence[float]) -> int:
    """Position of the winning group: most points, then largest, then earliest first member."""
    return min(range(len(clusters)), key=lambda g: (-points[g], -clusters[g].size, clusters[g].members[0]))


def differing(tests: Sequence[Test], a: ExecResult, b: ExecResult) -> list[Evidence]:
    """The inputs on which two probe results differ."""
    sig_a, sig_b = signature(a, len(tests)), signature(b, len(tests))
    return [Evidence(t, a.outcomes[i], b.outcomes[i]) for i, t in enumerate(tests)
            if sig_a[i] != sig_b[i] and i < len(a.outcomes) and i < len(b.outcomes)]


def separating_request(problem: Problem, a: str, b: str, k: int, max_tokens: int, seed: int) -> ChatRequest:
    """Ask for inputs on which programs A and B would give different outputs."""
    if problem.kind == TaskKind.FUNCTION:
        form = "one call per line with literal arguments, in a ```python block"
    else:
        form = "each input in its own ``` block, exactly as read from standard input"
    text = (f"{statement(problem)}\n\nProgram A:\n```python\n{clip(a, PROGRAM_CHARS, CUT)}\n```\n\n"
            f"Program B:\n```python\n{clip(b, PROGRAM_CHARS, CUT)}\n```\n\n"
            f"Write up to {k} small test inputs on which A and B give different outputs: {form}. "
            "Do not repeat the programs; no outputs.")
    return ChatRequest(messages=(Message("user", text),), temperature=0.0, max_tokens=max_tokens, seed=seed)


def judge_request(problem: Problem, a: str, b: str, evidence: Sequence[Evidence], swap: bool,
                  max_tokens: int, seed: int) -> ChatRequest:
    """Show both programs and their real outputs; ask which is correct. `swap` exchanges A and B."""
    first, second = (b, a) if swap else (a, b)
    lines = []
    for e in evidence:
        out_first, out_second = (e.b, e.a) if swap else (e.a, e.b)
        lines.append(f"Input: {show_input(problem, e.test)}\nA gives: {show_outcome(out_first)}\n"
                     f"B gives: {show_outcome(out_second)}")
    text = (f"{statement(problem)}\n\nProgram A:\n```python\n{clip(first, PROGRAM_CHARS, CUT)}\n```\n\n"
            f"Program B:\n```python\n{clip(second, PROGRAM_CHARS, CUT)}\n```\n\n"
            "They were run and disagree:\n\n" + "\n\n".join(lines) +
            "\n\nWhich outputs are correct for the problem? Reply 'Answer: A' or 'Answer: B' first, "
            "then one short sentence why.")
    return ChatRequest(messages=(Message("user", text),), temperature=0.0, max_tokens=max_tokens, seed=seed)


async def duel(problem: Problem, a: Attempt, b: Attempt, known: Sequence[Evidence], tools: Toolbox,
               cost: Cost, predictor: Predictor | None = None, groups: tuple[int, int] = (0, 1)) -> ev.Duel:
    """Compare two programs (the representatives of `groups`); the record says how it ended. With a
    `predictor` the judge predicts outputs (`predict`) instead of choosing between A and B."""
    cfg = tools.config
    prog_a, prog_b = a.candidate.program, b.candidate.program
    asked = (await tools.ask([separating_request(problem, prog_a, prog_b, cfg.n_duel_inputs, cfg.max_tokens,
                                                 cfg.seed)], cost))[0][0].text
    parsed = parse_inputs(problem, asked, _params(problem, prog_a))
    fresh: list[Evidence] = []
    if parsed.tests:
        res_a, res_b = await probe(problem, [a, b], parsed.tests, tools, cost)
        fresh = differing(parsed.tests, res_a, res_b)
    seen = [f.test for f in fresh]  # a list, not a set: call arguments may be lists
    evidence = (fresh + [e for e in known if e.test not in seen])[: cfg.n_duel_inputs]
    record = ev.Duel(groups=groups, a=a.candidate.id, b=b.candidate.id,
                     evidence=tuple(separating(problem, e) for e in evidence), decided_by=ev.NO_DIFFERENCE,
                     points=(1.0, 1.0), asked=asked, inputs_parsed=len(parsed.tests), inputs_invalid=parsed.invalid)
    if not evidence:
        return record
    by_execution = execution_decision(evidence)
    if by_execution is not None:
        return replace(record, decided_by=ev.BY_EXECUTION, points=(2.0, 0.0) if by_execution == "A" else (0.0, 2.0))
    if predictor:
        return await _judge_by_prediction(problem, evidence, predictor, record)
    return await _judge_pairwise(problem, prog_a, prog_b, evidence, tools, cost, record)


def separating(problem: Problem, e: Evidence) -> ev.Separating:
    """An input the two programs differ on, as recorded."""
    return ev.Separating(show_input(problem, e.test), show_outcome(e.a), show_outcome(e.b), str(e.a.verdict),
                         str(e.b.verdict))


async def _judge_pairwise(problem: Problem, prog_a: str, prog_b: str, evidence: Sequence[Evidence], tools: Toolbox,
                          cost: Cost, record: ev.Duel) -> ev.Duel:
    """The judge sees both programs and their outputs, in both orders; a point per answer."""
    cfg = tools.config
    requests = [judge_request(problem, prog_a, prog_b, evidence, swap, cfg.judge_tokens, cfg.seed)
                for swap in (False, True)]
    answers = [group[0] for group in await tools.ask(requests, cost)]
    votes = [parse_verdict(answers[0].text), _unswap(parse_verdict(answers[1].text))]
    recorded = tuple(ev.JudgeAnswer(swap, c.text, v, c.completion_tokens)
                     for swap, c, v in zip((False, True), answers, votes))
    return replace(record, decided_by=ev.BY_JUDGE, judge="verdict-first", answers=recorded,
                   points=(float(votes.count("A")), float(votes.count("B"))))


async def _judge_by_prediction(problem: Problem, evidence: Sequence[Evidence], predictor: Predictor,
                               record: ev.Duel) -> ev.Duel:
    """The judge predicts each differing input's output; the side with more matches takes both points."""
    predictions = await predictor([e.test for e in evidence])
    votes = [vote(problem, p, e.a, e.b) for p, e in zip(predictions, evidence)]
    wins_a, wins_b = votes.count("A"), votes.count("B")
    points = (2.0, 0.0) if wins_a > wins_b else (0.0, 2.0) if wins_b > wins_a else (1.0, 1.0)
    shown = tuple(ev.OutputPrediction(show_input(problem, p.test), p.answer, repr(p.value) if p.readable else None, v)
                  for p, v in zip(predictions, votes))
    return replace(record, decided_by=ev.BY_JUDGE, judge="predict", predictions=shown, points=points)


def _unswap(label: str | None) -> str | None:
    return {"A": "B", "B": "A"}.get(label or "")


def _params(problem: Problem, program: str) -> list[str] | None:
    return known_parameters(problem, [program]) if problem.kind == TaskKind.FUNCTION else None


async def tournament(problem: Problem, attempts: Sequence[Attempt], clusters: Sequence[Cluster],
                     reps: Sequence[int], tests: Sequence[Test], probes: Sequence[ExecResult], tools: Toolbox,
                     cost: Cost, by_prediction: bool = False) -> tuple[int, list[float], list[ev.Duel]]:
    """Run the round robin; return the winning group's position, every group's points, the duels.
    `by_prediction`: the judge predicts outputs instead of choosing between A and B."""
    pairs = round_robin(len(clusters), tools.config.max_groups)
    predictor = Predictor(problem, tools, cost) if by_prediction else None

    async def one(g: int, h: int) -> ev.Duel:
        ra, rb = reps[g], reps[h]
        known = differing(tests, probes[ra], probes[rb]) if probes else []
        return await duel(problem, attempts[ra], attempts[rb], known, tools, cost, predictor, (g, h))

    duels = await gather_or_cancel(*(one(g, h) for g, h in pairs))
    points = [0.0] * len(clusters)
    for d in duels:
        points[d.groups[0]] += d.points[0]
        points[d.groups[1]] += d.points[1]
    eligible = list(clusters[: max(1, min(len(clusters), tools.config.max_groups))])
    return pick_winner(eligible, points[: len(eligible)]), points, list(duels)
