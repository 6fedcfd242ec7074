"""Judging stored duels again: how often does a judge pick the program that passes the hidden tests?

A finished S* run keeps, per problem, its candidates (the pools) and every duel (`SStarEvidence`):
the two representatives, the inputs that separate them and both programs' outputs. Where one
representative passes the hidden tests and the other fails, the duel has a right answer, so any
judge can be scored on it without sampling a single new program: `decisive_duels` collects those
(the ones that reached the judge: some inputs separate the programs, and execution alone did not
decide), `rejudge` asks a judge variant about one, and `tally` counts the outcomes. Hidden tests
only grade here; the judge sees what S* showed it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

from codesieve.select import evidence as ev
from codesieve.select.base import Attempt, Cost, Toolbox
from codesieve.select.cluster import probe
from codesieve.select.inputs import known_parameters, parse_inputs, show_input
from codesieve.select.judging import judge_pair
from codesieve.select.predict import Predictor, vote
from codesieve.select.prompts import Shown
from codesieve.types import Candidate, Problem, TaskKind

VARIANTS = ("logprob", "verdict-first", "predict", "reason")


@dataclass(frozen=True)
class StoredDuel:
    """A stored duel between a program that passes the hidden tests and one that fails them."""

    problem_id: str
    a: str  # candidate ids
    b: str
    program_a: str
    program_b: str
    evidence: tuple[ev.Separating, ...]
    right: str  # "A" or "B": the side that passes

    @property
    def key(self) -> tuple:
        return (self.problem_id, self.program_a, self.program_b, self.evidence)


@dataclass(frozen=True)
class Judged:
    """One variant's verdict on one stored duel."""

    duel: StoredDuel
    points: tuple[float, float]
    tokens: int
    record: ev.Duel

    @property
    def winner(self) -> str | None:
        return None if self.points[0] == self.points[1] else "A" if self.points[0] > self.points[1] else "B"


@dataclass(frozen=True)
class Tally:
    """Outcomes of one variant over a set of duels."""

    duels: int
    decided: int
    right: int
    wrong: int
    tokens: int

    @property
    def undecided(self) -> int:
        return self.duels - self.decided

    @property
    def tokens_per_duel(self) -> float:
        return self.tokens / self.duels if self.duels else 0.0


def programs_by_id(record: Mapping[str, Any]) -> dict[str, str]:
    """Every candidate's program in a stored problem record (all samples, all debug rounds)."""
    return {attempt["candidate"]["id"]: attempt["candidate"]["program"]
            for lineage in record["pools"].get("sampled", ()) for attempt in lineage}


def decisive_duels(records: Iterable[Mapping[str, Any]], passing: Mapping[str, set[str]],
                   strategies: Sequence[str]) -> tuple[list[StoredDuel], dict[str, int]]:
    """The distinct duels of `strategies` that reached the judge between a passing and a failing
    representative (`passing`: problem id -> ids of candidates that pass the hidden tests), and
    counts of every distinct split duel by how S* settled it."""
    found: dict[tuple, StoredDuel] = {}
    settled: dict[str, int] = {}
    seen: set[tuple] = set()
    for record in records:
        right_ids, programs = passing.get(record["problem_id"], set()), programs_by_id(record)
        for strategy in strategies:
            trace = (record["strategies"].get(strategy) or {}).get("trace")
            if not trace:
                continue
            for d in ev.SStarEvidence.from_json(trace).duels:
                if (d.a in right_ids) == (d.b in right_ids) or d.a not in programs or d.b not in programs:
                    continue
                duel = StoredDuel(record["problem_id"], d.a, d.b, programs[d.a], programs[d.b], d.evidence,
                                  "A" if d.a in right_ids else "B")
                if duel.key in seen:
                    continue
                seen.add(duel.key)
                settled[d.decided_by] = settled.get(d.decided_by, 0) + 1
                if d.decided_by == ev.BY_JUDGE:
                    found[duel.key] = duel
    return list(found.values()), settled


async def rejudge(problem: Problem, duel: StoredDuel, variant: str, tools: Toolbox) -> Judged:
    """Ask `variant` about a stored duel, showing what S* showed; `tokens` are what the judge
    wrote for it. `predict` runs both programs again on the separating inputs (read back from how
    they were shown) to match its predictions."""
    cost = Cost()
    record = ev.Duel((0, 1), duel.a, duel.b, duel.evidence, ev.BY_JUDGE, (0.0, 0.0), judge=variant)
    if variant == "predict":
        params = known_parameters(problem, [duel.program_a]) if problem.kind == TaskKind.FUNCTION else None
        tests = [t for e in duel.evidence for t in parse_inputs(problem, _as_answer(problem, e.input), params).tests[:1]]
        if not tests:
            return Judged(duel, (0.0, 0.0), 0, record)
        attempts = [Attempt(Candidate(problem.id, i, p)) for i, p in enumerate((duel.program_a, duel.program_b))]
        res_a, res_b = await probe(problem, attempts, tests, tools, cost)
        predictions = await Predictor(problem, tools, cost)(tests)
        votes = [vote(problem, p, oa, ob) for p, oa, ob in zip(predictions, res_a.outcomes, res_b.outcomes)]
        wins_a, wins_b = votes.count("A"), votes.count("B")
        points = (2.0, 0.0) if wins_a > wins_b else (0.0, 2.0) if wins_b > wins_a else (1.0, 1.0)
        shown = tuple(ev.OutputPrediction(show_input(problem, p.test), p.answer, repr(p.value) if p.readable else None,
                                          v) for p, v in zip(predictions, votes))
        return Judged(duel, points, cost.completion_tokens, replace(record, points=points, predictions=shown))
    shown_ab = [Shown(e.input, e.a, e.b) for e in duel.evidence]
    answers, points, margin = await judge_pair(problem, duel.program_a, duel.program_b, shown_ab, variant, tools,
                                               cost)
    return Judged(duel, points, cost.completion_tokens, replace(record, points=points, answers=answers, margin=margin))


def tally(judged: Iterable[Judged]) -> Tally:
    """Count decided, right and wrong verdicts (right: the passing side got more points)."""
    items = list(judged)
    decided = [j for j in items if j.winner is not None]
    right = sum(j.winner == j.duel.right for j in decided)
    return Tally(len(items), len(decided), right, len(decided) - right, sum(j.tokens for j in items))


def _as_answer(problem: Problem, shown: str) -> str:
    """A shown input as the model would have written it, for `parse_inputs`."""
    return f"```python\n{shown}\n```" if problem.kind == TaskKind.FUNCTION else f"```\n{shown}\n```"

