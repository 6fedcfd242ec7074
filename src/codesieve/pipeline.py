"""One run, top to bottom: problems -> sample -> test -> debug -> select -> grade -> store.

For each problem, only the candidate pools its strategies need are generated, once: the N
sampled candidates serve random, public-filter, majority-vote, CodeT, llm-judge and (after
debugging) S*; the greedy sample serves zero-shot and (after debugging) self-debug. Each
strategy's selected program is graded on the hidden tests only. Every problem is written to the
run store as it finishes, so a killed run resumes where it stopped; finished (problem, strategy)
pairs are skipped. Each strategy's cost counts the work of its own pool and selection, as if it
ran alone. Progress is reported through `on_event`; nothing is printed here.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from codesieve._aio import PRIORITY, gather_or_cancel
from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve.generate.debug import Lineage, debug_round
from codesieve.generate.prompts import check_debug_prompt
from codesieve.generate.public import run_public
from codesieve.generate.sample import SampleConfig, request_for, to_candidate
from codesieve.llm.base import LLM
from codesieve.stages import Cost, MeteredLLM, MeteredRunner, SelectConfig, Selection, Selector, Toolbox, make_strategy
from codesieve.store.records import jsonable, selection_record
from codesieve.store.sqlite import RunStore, SelectionRow
from codesieve.types import ExecResult, Problem


@dataclass(frozen=True)
class RunConfig:
    """What a run does. `concurrency` is how many problems are in flight at once. Debug answers are
    greedy unless `debug_temperature` is set (then sampled with `top_p`); `debug_prompt` is the
    debug request's style (`codesieve.generate.prompts.DEBUG_PROMPTS`); with `stop_repeated`, a sample
    whose greedy debug answer returns the program it was asked to fix is not debugged again
    (`codesieve.generate.debug`). The fields' metadata say how each is part of the run's key
    (`codesieve.runs.identity`): strategies share the stored work and are not."""

    strategies: tuple[str, ...] = field(default=("sstar",), metadata={"keyed": False})
    # the sampled pool; the greedy one: n=1, T=0. Keyed flat, as stored runs are
    sample: SampleConfig = field(default_factory=SampleConfig, metadata={"flat": True})
    rounds: int = 2
    select: SelectConfig = field(default_factory=SelectConfig)
    concurrency: int = field(default=4, metadata={"keyed": False})
    debug_temperature: float = field(default=0.0, metadata={"added": 0.0})
    debug_prompt: str = field(default="conversation", metadata={"added": "conversation"})
    # before the option every round ran; a stop changes nothing with sampled rounds or a single round
    stop_repeated: bool = field(default=True, metadata={"added": lambda c: not (c.stops_repeated and c.rounds > 1)})

    def __post_init__(self) -> None:
        check_debug_prompt(self.debug_prompt)

    @property
    def stops_repeated(self) -> bool:
        """Whether a repeated program ends a sample's debugging: only greedy rounds repeat for sure."""
        return self.stop_repeated and not self.debug_temperature


@dataclass(frozen=True)
class Event:
    """Progress: `kind` is 'stage' (a problem entered `detail`), 'tokens' or 'problem' (finished)."""

    kind: str
    problem_id: str = ""
    detail: str = ""
    tokens: int = 0
    results: tuple["StrategyResult", ...] = ()


@dataclass(frozen=True)
class StrategyResult:
    """A strategy's pick for one problem and how it fared on the hidden tests."""

    problem_id: str
    strategy: str
    selection: Selection
    grade: ExecResult | None
    cost: Cost
    wall_s: float

    @property
    def passed(self) -> bool:
        return self.grade is not None and self.grade.passed


@dataclass(frozen=True)
class _Base:
    """One family of candidates (greedy or sampled): cost and wall time of the first round alone,
    and of the first round plus debugging."""

    lineages: tuple[Lineage, ...]
    first_cost: Cost
    first_wall_s: float
    cost: Cost
    wall_s: float


class Pipeline:
    """Runs problems through the configured strategies. Reuse one per run."""

    def __init__(self, llm: LLM, executor: JobRunner, store: RunStore, key: str, config: RunConfig, *,
                 judge: LLM | None = None, inputs: LLM | None = None,
                 on_event: Callable[[Event], None] | None = None):
        self.llm, self.executor, self.store, self.key, self.config = llm, executor, store, key, config
        self.selectors: list[Selector] = [make_strategy(s) for s in config.strategies]
        self.tools = Toolbox(judge=judge or llm, inputs=inputs, executor=executor, config=config.select)
        self.on_event = on_event or (lambda event: None)

    async def run(self, problems: Sequence[Problem], benchmark: str = "") -> list[StrategyResult]:
        """Solve every problem not yet finished; return this call's results in problem order."""
        done = self.store.finished(self.key)
        gate = asyncio.Semaphore(max(1, self.config.concurrency))

        async def one(position: int, problem: Problem) -> list[StrategyResult]:
            PRIORITY.set(position)  # this problem's model calls go ahead of later problems' (see PRIORITY)
            todo = [s for s in self.selectors if (problem.id, s.name) not in done]
            if not todo:
                self.on_event(Event("problem", problem.id, "already done"))
                return []
            async with gate:
                results, pools = await self.solve(problem, todo)
            rows = [_row(r, benchmark or problem.benchmark) for r in results]
            self.store.save_problem(self.key, problem.id, pools, rows)
            self.tools.forget(problem.id)
            self.on_event(Event("problem", problem.id, "done", results=tuple(results)))
            return results

        batches = await gather_or_cancel(*(one(i, p) for i, p in enumerate(problems)))
        return [r for batch in batches for r in batch]

    async def solve(self, problem: Problem, selectors: Sequence[Selector]
                    ) -> tuple[list[StrategyResult], dict[str, Any]]:
        """All strategies of one problem; also return the pools as JSON-ready data for the store."""
        pools = {s.pool for s in selectors}
        greedy = any(p.greedy for p in pools)
        sampled = any(not p.greedy for p in pools)
        debug = {p.greedy for p in pools if p.debugged}
        self.on_event(Event("stage", problem.id, "sampling"))
        bases: dict[bool, _Base] = {}
        made = await gather_or_cancel(*(self._base(problem, g, g in debug) for g in (True, False)
                                      if (g and greedy) or (not g and sampled)))
        for is_greedy, base in made:
            bases[is_greedy] = base

        self.on_event(Event("stage", problem.id, "selecting"))
        picks = await gather_or_cancel(*(self._select(problem, s, bases[s.pool.greedy]) for s in selectors))
        self.on_event(Event("stage", problem.id, "grading"))
        winners = [sel.winner for sel, _ in picks]
        jobs = [Job.for_problem(problem, w.program, problem.hidden_tests) for w in winners if w is not None]
        grades = iter(await self.executor.run_async(jobs) if jobs else [])
        results = []
        for s, (selection, wall) in zip(selectors, picks):
            base = bases[s.pool.greedy]
            cost = Cost()
            cost.add(base.cost if s.pool.debugged else base.first_cost)
            cost.add(selection.cost)
            grade = next(grades) if selection.winner is not None else None
            results.append(StrategyResult(problem.id, s.name, selection, grade, cost, wall))
        pool_data = {("greedy" if g else "sampled"): jsonable([lin.attempts for lin in b.lineages])
                     for g, b in bases.items()}
        return results, pool_data

    async def _base(self, problem: Problem, greedy: bool, debugged: bool) -> tuple[bool, _Base]:
        cfg = self.config
        sample = replace(cfg.sample, n=1, temperature=0.0, top_p=1.0) if greedy else cfg.sample
        start = time.perf_counter()
        cost = Cost()
        llm = MeteredLLM(self.llm, cost, lambda t: self.on_event(Event("tokens", problem.id, tokens=t)))
        executor = MeteredRunner(self.executor, cost)
        request = request_for(problem, sample)
        [completions] = await llm.generate([request])
        candidates = [to_candidate(problem, c, c.index) for c in completions]
        attempts = await run_public(executor, [(problem, c) for c in candidates])
        lineages = [Lineage((a,)) for a in attempts]
        first_cost, first_wall = replace(cost), time.perf_counter() - start
        for r in range(cfg.rounds if debugged else 0):
            if not any(lin.debuggable(cfg.stops_repeated) for lin in lineages):
                break
            self.on_event(Event("stage", problem.id, f"debug round {r + 1}"))
            lineages = await debug_round(llm, executor, [(problem, request, lin) for lin in lineages],
                                         max_tokens=sample.max_tokens, seed=sample.seed,
                                         temperature=cfg.debug_temperature, top_p=cfg.sample.top_p,
                                         style=cfg.debug_prompt, stop_repeated=cfg.stops_repeated)
        return greedy, _Base(tuple(lineages), first_cost, first_wall, cost, time.perf_counter() - start)

    async def _select(self, problem: Problem, selector: Selector, base: _Base) -> tuple[Selection, float]:
        if selector.pool.debugged:
            attempts, wall = [lin.best for lin in base.lineages], base.wall_s
        else:
            attempts, wall = [lin.attempts[0] for lin in base.lineages], base.first_wall_s
        start = time.perf_counter()
        selection = await selector.select(problem, attempts, self.tools)
        return selection, wall + time.perf_counter() - start


def _row(result: StrategyResult, benchmark: str) -> SelectionRow:
    record = selection_record(result.strategy, result.selection, result.cost, result.wall_s, result.passed,
                              result.grade)
    return SelectionRow(result.problem_id, result.strategy, benchmark, result.passed, result.cost.model_calls,
                        result.cost.prompt_tokens + result.cost.completion_tokens, result.cost.executions,
                        result.wall_s, record)

