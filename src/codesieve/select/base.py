"""The stage interfaces: what narrows or ranks candidates, and what it works with.

A `Selector` (a strategy) picks one candidate of a problem: it says which candidates it chooses
from (`CandidatePool`: greedy or sampled, before or after debugging) and returns a `Selection`.
A `Verifier` (a check, a stage of a cascade) scores the candidates of many problems in one call,
so that executing checks keep every worker busy; a cascade of checks is itself a strategy
(`codesieve.verify.strategy`). Both are registered by name in `codesieve.select.registry` and
reach the model, the executor and ORMs through one `Toolbox`, which meters every call into the
`Cost` of the selection, so each strategy's cost is what it would cost alone, even when
strategies share work in one run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Awaitable, Callable, Protocol, Sequence, TypeVar

from codesieve.errors import ConfigError
from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve.llm.base import LLM, ChatRequest, Completion
from codesieve.types import Attempt, Candidate, ExecResult, Problem

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
        completion tokens. The one place model usage is metered."""
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
    (S*'s is `codesieve.select.evidence.SStarEvidence`, a cascade's `codesieve.verify.CascadeEvidence`)
    or JSON-ready data; either is stored as JSON."""

    strategy: str
    winner: Candidate | None
    reason: str
    trace: Any = field(default_factory=dict)
    cost: Cost = field(default_factory=Cost)


@dataclass(frozen=True)
class ProblemCandidates:
    """The candidates of one problem that a verifier should judge."""

    problem: Problem
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Score:
    """A verifier's judgement of one candidate.

    `keep` False prunes the candidate. Among kept candidates of one problem, a higher `value`
    ranks first; filters give every kept candidate the same value. `cost_s` is the wall time
    this candidate cost, its share of a batch's time when the batch ran in parallel, so the
    costs of a batch add up to the batch's wall time.
    """

    keep: bool
    value: float = 0.0
    cost_s: float = 0.0
    note: str = ""  # why it was pruned: a verdict, a lint message


class Verifier(Protocol):
    """Judges candidates. `verify(groups)[g][i]` is the score of `groups[g].candidates[i]`."""

    def verify(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]: ...


def timed_each(items: Sequence[T], judge: Callable[[T], tuple[bool, float, str]]) -> list[Score]:
    """Score `items` one by one in this process, charging each the time its own call took."""
    scores = []
    for item in items:
        start = time.perf_counter()
        keep, value, note = judge(item)
        scores.append(Score(keep, value, time.perf_counter() - start, note))
    return scores


@dataclass(frozen=True)
class SelectConfig:
    """Knobs of the selectors. Defaults keep prompts short for small local models.

    `judge` is S*'s pairwise judge: predict (the default, `codesieve.select.predict`), or reason,
    logprob or verdict-first (`codesieve.select.judging`). `inputs_style` is the input-synthesis
    prompt (`codesieve.select.prompts`): plain (the default: 5 calls asked for directly, greedy, as
    in the runs the benchmark measured) or reason (think first, then a complete set: the authors'
    form, which they sample at `inputs_temperature` 0.7; with the 0.5B it ran to its 384-token
    cap, docs/first-run.md). `duel_inputs_style` is the prompt of a duel's request for separating
    inputs: plain (the default, greedy) or reason (at `inputs_temperature`).
    `reason_tokens` bounds every answer that reasons before it answers."""

    n_inputs: int = 5  # new test inputs asked for, for grouping candidates
    n_duel_inputs: int = 3  # distinguishing inputs asked for per comparison
    n_mutants: int = 32  # sstar-mutants: mutated public inputs added to the generated ones (docs/sstar.md)
    max_groups: int = 4  # S*: only the largest groups meet, round robin: M*(M-1)/2 comparisons
    max_judged: int = 4  # llm-judge: distinct programs shown at most
    max_tokens: int = 256  # per call asking for test inputs (plain style)
    judge_tokens: int = 96  # per verdict-first verdict, and per predicted output
    seed: int = 0
    judge: str = "predict"  # measured best with Qwen2.5-Coder 0.5B and 1.5B (bench/results/judge_accuracy.md)
    reason_tokens: int = 384  # per answer that reasons first: judge verdicts, reasoned inputs
    logprob_threshold: float = 0.5  # logprob judge: the mean margin (nats) that decides a duel
    top_logprobs: int = 20  # logprob judge: alternatives asked for at the answer token
    inputs_style: str = "plain"
    inputs_temperature: float = 0.0
    duel_inputs_style: str = "plain"

    def __post_init__(self) -> None:
        from codesieve.select.prompts import check_styles

        check_styles(self.inputs_style, self.judge)
        check_styles(self.duel_inputs_style, self.judge)

    def duel_inputs(self) -> tuple[str, float]:
        """The style and temperature of a duel's request for separating inputs."""
        style = self.duel_inputs_style
        return style, self.inputs_temperature if style == "reason" else 0.0

    @classmethod
    def verdict_first(cls, **options: Any) -> "SelectConfig":
        """The settings of the runs committed before the reasoning judge (greedy plain inputs, 8 mutants)."""
        return cls(**{"judge": "verdict-first", "inputs_style": "plain", "inputs_temperature": 0.0, "n_mutants": 8,
                      **options})

    def identity(self) -> dict[str, Any]:
        """The options that change results. Options added later are left out at the values that
        reproduce the runs stored before them, so those runs keep their keys."""
        out = asdict(self)
        if self.duel_inputs() == (self.inputs_style, self.inputs_temperature):
            del out["duel_inputs_style"]  # duels asked as the generated inputs were, as before the option
        if self.judge == "verdict-first" and self.inputs_style == "plain" and self.inputs_temperature == 0.0:
            for added in ("judge", "reason_tokens", "logprob_threshold", "top_logprobs", "inputs_style",
                          "inputs_temperature"):
                del out[added]
        return out


class Toolbox:
    """What stages work with: the model (the judge, which also writes test inputs unless an
    `inputs` model is given) and the executor, metered, the selectors' knobs and outcome reward
    models by name (for `orm:NAME` checks). A stage that needs one that is
    missing says so when it is built. Memoises work that selectors share:
    `shared(key, make)` runs `make(cost)` once per key and charges its cost to every caller, so
    majority-vote and S* reuse one set of generated inputs but each reports the full cost.
    """

    def __init__(self, *, judge: LLM | None = None, executor: JobRunner | None = None,
                 config: SelectConfig = SelectConfig(), orms: Mapping[str, Verifier] | None = None,
                 inputs: LLM | None = None):
        self.judge = judge
        self.inputs = inputs  # the model that writes test inputs, if not the judge
        self.executor = executor
        self.config = config
        self.orms: Mapping[str, Verifier] = dict(orms or {})
        self._memo: dict[Any, asyncio.Task] = {}
        self._memo_cost: dict[Any, Cost] = {}

    async def ask(self, requests: Sequence[ChatRequest], cost: Cost, *, inputs: bool = False
                  ) -> list[list[Completion]]:
        """The model's answers: the judge's, or with `inputs` (requests for test inputs) the input
        writer's when there is one. A run that changes only the judge thus keeps its inputs."""
        if not requests:
            return []
        model = (self.inputs or self.judge) if inputs else self.judge
        if model is None:
            raise ConfigError("this strategy asks a model, and none was given")
        answers = await model.generate(list(requests))
        cost.charge(answers)
        return answers

    async def execute(self, jobs: Sequence[Job], cost: Cost) -> list[ExecResult]:
        if not jobs:
            return []
        if self.executor is None:
            raise ConfigError("this strategy runs programs, and no executor was given")
        cost.executions += len(jobs)
        return await self.executor.run_async(list(jobs))

    async def shared(self, key: Any, make: Callable[[Cost], Awaitable[Any]], cost: Cost) -> Any:
        task = self._memo.get(key)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            # new, or it failed (say, a model timeout cancelled the problem): a retry makes it again
            own = self._memo_cost[key] = Cost()
            task = self._memo[key] = asyncio.ensure_future(make(own))
        value = await task
        cost.add(self._memo_cost[key])
        return value

    def forget(self, problem_id: str) -> None:
        """Drop memoised work of a finished problem (keys are tuples starting with its id)."""
        for key in [k for k in self._memo if isinstance(k, tuple) and k and k[0] == problem_id]:
            del self._memo[key]
            del self._memo_cost[key]


def best_public(attempts: Sequence[Attempt]) -> list[int]:
    """Indices of the attempts passing all public tests; if none does, those with the best rate."""
    if not attempts:
        return []
    best = max(a.public_rate for a in attempts)
    return [i for i, a in enumerate(attempts) if a.public_rate == best]


class Selector(Protocol):
    """Picks one candidate of a problem. `pool` says which candidates it is given."""

    name: str
    pool: CandidatePool

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection: ...
