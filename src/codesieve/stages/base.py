"""The stage interfaces and the values they pass: pools, costs, selections, scores.

A `Selector` (a strategy) picks one candidate of a problem: it says which candidates it chooses
from (`CandidatePool`) and returns a `Selection`. A `Check` (a stage of a cascade) scores the
candidates of many problems in one call, so that executing checks keep every worker busy; a
cascade of checks is itself a strategy (`codesieve.verify.strategy`). A `Judge` decides one of
S*'s duels. All three are async and reach the model and the executor through a `Toolbox`
(`codesieve.stages.toolbox`), which meters what they use into a `Cost`. Each is registered by
name as an `Entry` (`codesieve.stages.registry`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence, TypeVar

from codesieve.llm.base import Completion
from codesieve.types import Attempt, Candidate, Problem

if TYPE_CHECKING:
    from codesieve.stages.toolbox import Toolbox

T = TypeVar("T")

class CandidatePool(StrEnum):
    """Which candidates a selector chooses from. The pipeline generates each pool once per problem."""

    GREEDY = "greedy"  # one sample at temperature 0, first round only
    GREEDY_DEBUGGED = "greedy_debugged"  # that sample and its debug revisions
    SAMPLED = "sampled"  # N samples at the sampling temperature, first round only
    SAMPLED_DEBUGGED = "sampled_debugged"  # the final revision of each of the N samples

    @property
    def greedy(self) -> bool:
        return self in (CandidatePool.GREEDY, CandidatePool.GREEDY_DEBUGGED)

    @property
    def debugged(self) -> bool:
        return self in (CandidatePool.GREEDY_DEBUGGED, CandidatePool.SAMPLED_DEBUGGED)


@dataclass
class Cost:
    """What a selection cost: model calls and tokens, executed jobs. Mutable accumulator."""

    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    executions: int = 0

    def charge(self, answers: Sequence[Sequence[Completion]]) -> int:
        """Count the model calls answered by `answers` (one group of completions per request) and
        their tokens (a request's prompt once, however many completions it had); return the
        completion tokens."""
        tokens = sum(c.completion_tokens for group in answers for c in group)
        self.model_calls += len(answers)
        self.completion_tokens += tokens
        self.prompt_tokens += sum(group[0].prompt_tokens for group in answers if group)
        return tokens

    def add(self, other: "Cost") -> None:
        self.model_calls += other.model_calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.executions += other.executions


@dataclass(frozen=True)
class Selection:
    """The chosen candidate and why. `trace` holds the selector's evidence: a frozen dataclass
    (S*'s is `codesieve.select.evidence.SStarEvidence`, a cascade's `codesieve.verify.CascadeEvidence`;
    each strategy registers its class, `codesieve.stages.registry.evidence_type`) or JSON-ready
    data; either is stored as JSON."""

    strategy: str
    winner: Candidate | None
    reason: str
    trace: Any = field(default_factory=dict)
    cost: Cost = field(default_factory=Cost)


@dataclass(frozen=True)
class ProblemCandidates:
    """The candidates of one problem that a check should judge."""

    problem: Problem
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Score:
    """A check's judgement of one candidate.

    `keep` False prunes the candidate. Among kept candidates of one problem, a higher `value`
    ranks first; filters give every kept candidate the same value. `cost_s` is the wall time
    this candidate cost, its share of a batch's time when the batch ran in parallel, so the
    costs of a batch add up to the batch's wall time.
    """

    keep: bool
    value: float = 0.0
    cost_s: float = 0.0
    note: str = ""  # why it was pruned: a verdict, a lint message


class Check(Protocol):
    """Judges candidates. `(await check(groups))[g][i]` is the score of `groups[g].candidates[i]`."""

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]: ...


class Selector(Protocol):
    """Picks one candidate of a problem. `pool` says which candidates it is given."""

    name: str
    pool: CandidatePool

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: "Toolbox") -> Selection: ...


class Judge(Protocol):
    """Decides one of S*'s duels: which of `a` and `b` is right on the separating inputs `shown`
    (`codesieve.select.judges.base.Disagreement`s: what each program did on them). Its model calls
    go through `tools` and are charged to `cost`. Returns a `codesieve.select.judges.base.Judgement`.
    `by_code`: it can also judge with no separating input, from the programs alone (S* asks it
    then, when no duel was decided)."""

    name: str
    by_code: bool

    async def judge(self, problem: Problem, a: Attempt, b: Attempt, shown: Any, tools: "Toolbox",
                    cost: Cost) -> Any: ...


def timed_each(items: Sequence[T], judge: Callable[[T], tuple[bool, float, str]]) -> list[Score]:
    """Score `items` one by one in this process, charging each the time its own call took."""
    scores = []
    for item in items:
        start = time.perf_counter()
        keep, value, note = judge(item)
        scores.append(Score(keep, value, time.perf_counter() - start, note))
    return scores


def best_public(attempts: Sequence[Attempt]) -> list[int]:
    """Indices of the attempts passing all public tests; if none does, those with the best rate."""
    if not attempts:
        return []
    best = max(a.public_rate for a in attempts)
    return [i for i, a in enumerate(attempts) if a.public_rate == best]


KINDS = ("strategy", "check", "judge")
ARG_KINDS = ("none", "count", "optional count", "name", "text")


@dataclass(frozen=True)
class Entry:
    """One registered stage. `target` is "module:attr" (or, for a plugin, the object itself): the
    class or factory building the stage, called with `options` (and, when `arg` is not 'none', the
    text after ':' first). A check's `runs` says it executes programs (needs an executor),
    `limited` that it takes @M and /Ts. A strategy's `evidence` is the type of its
    `Selection.trace`, so a stored record reads back typed."""

    name: str
    kind: str
    target: str | Callable[..., Any]
    arg: str = "none"
    help: str = ""
    runs: bool = False
    limited: bool = False
    evidence: str | type | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name!r}: kind must be one of {KINDS}")
        if self.arg not in ARG_KINDS and self.kind == "check":
            raise ValueError(f"check {self.name!r}: arg must be one of {ARG_KINDS}")
