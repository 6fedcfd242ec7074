"""S* adaptive selection: groups meet in pairs; execution evidence, then the judge, decides.

A comparison ("duel") between two groups goes through one representative program each:

1. the judge is asked for inputs that would separate the two programs; both programs run on
   them, and so do the earlier generated inputs on which the two groups already differ;
2. inputs where the outputs differ are the evidence. None: the duel is a draw (1 point each).
   If on every such input exactly one side fails (crash, timeout, ...) and it is always the same
   side, the other wins by execution (2 points), without asking the judge;
3. otherwise the judge decides (`codesieve.select.judges`; the run's `SelectConfig.judge`, or
   the one an S* configuration names). The default, `predict`, predicts the output of each
   differing input without seeing the programs; the side whose outputs match more predictions
   gets both points, a tie one each. The pairwise judges (`reason`, `logprob`, `verdict-first`)
   see the problem, both programs and their real outputs, in both orders (A/B swapped) to cancel
   position bias, and score as each of their modules says.

The winner is the group with the most points, then the largest group, then the group whose
first member came first; with `agreement` (S*'s `tiebreak="agreement"`), groups level on points
go first to the one whose outputs agree most with the other candidates' (`mbr_exec`), then by
size. With `overrule` above 1, a judge's win for the smaller group of a duel stands only when it
leads by at least that many votes (the predictions or answers that named a side); short of that
the duel is level, 1-1, and recorded as `levelled`: one uncertain prediction is not enough to put
a lone program over a larger group that agrees on every input. Only the `max_groups` largest
groups meet (round robin), so the cost is at most M*(M-1)/2 duels of three model calls, whatever
N is. When no duel was decided, a
judge that can judge by code alone (`reason`, `logprob`) compares the representatives once
more by their code alone (`code_judgement`), as S*'s authors do, before the largest group wins
by default.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Sequence

from codesieve._aio import gather_or_cancel
from codesieve.execution.behaviour import Cluster, signature
from codesieve.select import evidence as ev
from codesieve.select.cluster import probe, show_outcome
from codesieve.select.inputs import known_parameters, parse_inputs, show_input
from codesieve.select.judges.base import Disagreement, Evidence, Judgement
from codesieve.select.prompts import separating_request
from codesieve.stages import Cost, Judge, Toolbox
from codesieve.types import Attempt, ExecResult, Problem, TaskKind, Test, Verdict


def round_robin(n_groups: int, max_groups: int) -> list[tuple[int, int]]:
    """The pairs of group positions that meet: all pairs among the first `max_groups`."""
    return list(itertools.combinations(range(min(n_groups, max_groups)), 2))


def execution_decision(evidence: Sequence[Evidence]) -> str | None:
    """'A' or 'B' when on every differing input exactly one side failed, always the other one."""
    sides = set()
    for e in evidence:
        a_ok, b_ok = e.a.verdict == Verdict.OK, e.b.verdict == Verdict.OK
        if a_ok == b_ok:
            return None
        sides.add("A" if a_ok else "B")
    return sides.pop() if len(sides) == 1 else None


def pick_winner(clusters: Sequence[Cluster], points: Sequence[float], agreement: Sequence[int] | None = None) -> int:
    """Position of the winning group: most points, then (given each group's `agreement`) the
    highest output agreement, then largest, then earliest first member."""
    agree = agreement if agreement is not None else [0] * len(clusters)
    return min(range(len(clusters)),
               key=lambda g: (-points[g], -agree[g], -clusters[g].size, clusters[g].members[0]))


def held(record: ev.Duel, sizes: tuple[int, int], overrule: int) -> ev.Duel:
    """A duel as it counts: a judge's win for the smaller of the two groups (`sizes`) stands only
    when the winner leads by at least `overrule` votes; short of that it is level, 1-1, and
    recorded as `levelled`. Wins by execution, and wins for the larger or an equal group, stand."""
    if record.decided_by != ev.BY_JUDGE or not record.decided or overrule <= 1:
        return record
    a_won = record.points[0] > record.points[1]
    if (sizes[0] if a_won else sizes[1]) >= (sizes[1] if a_won else sizes[0]):
        return record
    lead = abs(record.votes.count("A") - record.votes.count("B"))
    return record if lead >= overrule else replace(record, points=(1.0, 1.0), levelled=True)


def differing(tests: Sequence[Test], a: ExecResult, b: ExecResult) -> list[Evidence]:
    """The inputs on which two probe results differ."""
    sig_a, sig_b = signature(a, len(tests)), signature(b, len(tests))
    return [Evidence(t, a.outcomes[i], b.outcomes[i]) for i, t in enumerate(tests)
            if sig_a[i] != sig_b[i] and i < len(a.outcomes) and i < len(b.outcomes)]


async def duel(problem: Problem, a: Attempt, b: Attempt, known: Sequence[Evidence], tools: Toolbox,
               cost: Cost, judge: Judge, groups: tuple[int, int] = (0, 1)) -> ev.Duel:
    """Compare two programs (the representatives of `groups`) with `judge`; the record says how it
    ended."""
    cfg = tools.config
    prog_a, prog_b = a.candidate.program, b.candidate.program
    style, temperature = cfg.duel_inputs()
    request = separating_request(problem, prog_a, prog_b, cfg.n_duel_inputs, style,
                                 cfg.reason_tokens if style == "reason" else cfg.max_tokens, temperature, cfg.seed)
    asked = (await tools.ask([request], cost, inputs=True))[0][0].text
    parsed = parse_inputs(problem, asked, _params(problem, prog_a))
    fresh: list[Evidence] = []
    if parsed.tests:
        res_a, res_b = await probe(problem, [a, b], parsed.tests, tools, cost)
        fresh = differing(parsed.tests, res_a, res_b)
    seen = [f.test for f in fresh]  # a list, not a set: call arguments may be lists
    evidence = (fresh + [e for e in known if e.test not in seen])[: cfg.n_duel_inputs]
    shown = [Disagreement(separating(problem, e), e) for e in evidence]
    record = ev.Duel(groups=groups, a=a.candidate.id, b=b.candidate.id, evidence=tuple(d.shown for d in shown),
                     decided_by=ev.NO_DIFFERENCE, points=(1.0, 1.0), asked=asked, inputs_parsed=len(parsed.tests),
                     inputs_invalid=parsed.invalid)
    if not evidence:
        return record
    by_execution = execution_decision(evidence)
    if by_execution is not None:
        return replace(record, decided_by=ev.BY_EXECUTION, points=(2.0, 0.0) if by_execution == "A" else (0.0, 2.0))
    return with_judgement(record, judge, await judge.judge(problem, a, b, shown, tools, cost))


def with_judgement(record: ev.Duel, judge: Judge, judgement: Judgement) -> ev.Duel:
    """A duel's record, decided by `judge` as `judgement` says."""
    return replace(record, decided_by=ev.BY_JUDGE, judge=judge.name, points=judgement.points,
                   answers=judgement.answers, predictions=judgement.predictions, margin=judgement.margin)


def separating(problem: Problem, e: Evidence) -> ev.Separating:
    """An input the two programs differ on, as recorded."""
    return ev.Separating(show_input(problem, e.test), show_outcome(e.a), show_outcome(e.b), str(e.a.verdict),
                         str(e.b.verdict))


def _params(problem: Problem, program: str) -> list[str] | None:
    return known_parameters(problem, [program]) if problem.kind == TaskKind.FUNCTION else None


async def tournament(problem: Problem, attempts: Sequence[Attempt], clusters: Sequence[Cluster],
                     reps: Sequence[int], tests: Sequence[Test], probes: Sequence[ExecResult], tools: Toolbox,
                     cost: Cost, judge: Judge, *, agreement: Sequence[int] | None = None,
                     overrule: int = 1) -> tuple[int, list[float], list[ev.Duel]]:
    """Run the round robin with `judge`; return the winning group's position, every group's
    points, the duels. `agreement` (per group) breaks ties on points before size; `overrule` is
    the lead in votes a judge needs to make a smaller group win a duel (`held`)."""
    pairs = round_robin(len(clusters), tools.config.max_groups)

    async def one(g: int, h: int) -> ev.Duel:
        ra, rb = reps[g], reps[h]
        known = differing(tests, probes[ra], probes[rb]) if probes else []
        found = await duel(problem, attempts[ra], attempts[rb], known, tools, cost, judge, (g, h))
        return held(found, (clusters[g].size, clusters[h].size), overrule)

    duels = await gather_or_cancel(*(one(g, h) for g, h in pairs))
    points = _points(duels, len(clusters))
    n = max(1, min(len(clusters), tools.config.max_groups))
    winner = pick_winner(clusters[:n], points[:n], None if agreement is None else agreement[:n])
    return winner, points, list(duels)


async def code_judgement(problem: Problem, attempts: Sequence[Attempt], clusters: Sequence[Cluster],
                         reps: Sequence[int], tools: Toolbox, cost: Cost, judge: Judge) -> ev.CodeJudgement:
    """When no duel decided: a judge that can (`judge.by_code`) compares the eligible groups'
    representatives by their code alone, pairwise in both orders, scored like a duel; the group
    with the most points wins, if one has more than the others."""
    pairs = round_robin(len(clusters), tools.config.max_groups)

    async def one(g: int, h: int) -> ev.Duel:
        a, b = attempts[reps[g]], attempts[reps[h]]
        record = ev.Duel((g, h), a.candidate.id, b.candidate.id, (), ev.BY_JUDGE, (0.0, 0.0))
        return with_judgement(record, judge, await judge.judge(problem, a, b, (), tools, cost))

    duels = await gather_or_cancel(*(one(g, h) for g, h in pairs))
    points = _points(duels, min(len(clusters), tools.config.max_groups))
    best = max(points)
    winner = points.index(best) if points.count(best) == 1 else None
    return ev.CodeJudgement(tuple(points), tuple(duels), winner)


def _points(duels: Sequence[ev.Duel], n_groups: int) -> list[float]:
    """Each group's points over the duels."""
    points = [0.0] * n_groups
    for d in duels:
        points[d.groups[0]] += d.points[0]
        points[d.groups[1]] += d.points[1]
    return points
