"""One run of the pipeline, set up once for every caller (`codesieve run`, the bench scripts,
Python users): its configuration, its key in the run store, its files, resuming and replaying.

A run is keyed by what changes its results (`Run.identity`), not by its strategies or its
problem count, so running it again resumes it (finished problem/strategy pairs are skipped) and a
later run with more problems or another strategy reuses the stored work. A replay answers every
model call from the completion store, starts no model, and re-scores the problems asked for under
its own key (`<key>-replay`), so its selections can be compared with the original run's.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Sequence

from codesieve._paths import DEFAULT_STORE
from codesieve.errors import ConfigError
from codesieve.execution import ExecutionCache, Executor
from codesieve.execution.interface import JobRunner
from codesieve.llm import DEFAULT_MODEL, LLM
from codesieve.pipeline import Event, Pipeline, RunConfig, StrategyResult
from codesieve.problems import load_benchmark
from codesieve.runs.defaults import SHIPPED
from codesieve.runs.files import RunFiles
from codesieve.runs.identity import run_identity
from codesieve.runs.models import Model
from codesieve.stages import make_strategy
from codesieve.store import RunStore, StrategyTotals, run_key
from codesieve.types import Problem

REPLAY_SUFFIX = "-replay"


@dataclass(frozen=True)
class Agreement:
    """How many of a strategy's replayed selections picked the candidate the original run picked;
    `compared` 0: the strategy did not run in the original run (nothing to compare)."""

    strategy: str
    same: int
    compared: int


@dataclass(frozen=True)
class RunResult:
    """What a run did. `totals`: per strategy, over exactly the problems asked for, those the store
    already held included; `results`: this call's fresh per-problem results (problems resumed from
    the store are in `totals` only; `RunStore.selections(key)` reads every stored one back);
    `agreement`: a replay's per-strategy agreement with the original run."""

    key: str
    identity: dict[str, Any]
    model_id: str
    problems: tuple[str, ...]
    totals: tuple[StrategyTotals, ...]
    results: tuple[StrategyResult, ...]
    agreement: tuple[Agreement, ...] = ()


@dataclass(frozen=True)
class Run:
    """A run of `config` on `benchmark` (`data` replaces its bundled file; `limit`: its first
    problems), with `model` writing programs, `judge_model` judging (default: the generator) and
    `inputs_model` writing test inputs (default: the judge). A model is a `Model` (opened when the
    run starts, closed when it ends) or an already open `LLM`, which several runs may share.
    `files`: where the run's work goes; with `replay`, every model call is answered from its
    completion store. Programs run on `workers` sandbox workers of the `executor` backend
    (`codesieve.execution.Executor`).

        result = await Run(shipped_config(strategies=("sstar", "majority-vote")), limit=5).execute()
    """

    config: RunConfig = SHIPPED
    benchmark: str = "humaneval"
    data: Path | None = None
    limit: int | None = None
    model: Model | LLM = Model()
    judge_model: Model | LLM | None = None
    inputs_model: Model | LLM | None = None
    files: RunFiles = field(default_factory=RunFiles.beside)
    replay: bool = False
    workers: int | None = None
    executor: str = "local"

    @property
    def identity(self) -> dict[str, Any]:
        """What the run's key is made of: the problems, the models and the options that change results."""
        judge = self.judge_model or self.model
        inputs = self.inputs_model.model_id if self.inputs_model is not None else None
        return run_identity(self.config, benchmark=self.benchmark, data=str(self.data or ""),
                            model=self.model.model_id, judge=judge.model_id, inputs=inputs)

    @property
    def original_key(self) -> str:
        """The key of the run as first made: what a replay of it re-scores."""
        return run_key(self.identity)

    @property
    def key(self) -> str:
        """The key this run's results are stored under."""
        return self.original_key + (REPLAY_SUFFIX if self.replay else "")

    def open_executor(self) -> Executor:
        """The sandboxed executor, its results cached in the run's execution cache."""
        return Executor(self.workers, cache=ExecutionCache(self.files.exec_cache), backend=self.executor)

    def load_problems(self, executor: JobRunner | None = None) -> list[Problem]:
        return load_benchmark(self.benchmark, data=self.data, limit=self.limit, executor=executor)

    @asynccontextmanager
    async def opened(self) -> AsyncIterator["Run"]:
        """This run with its models open (a replay's served only from the completion store), each
        distinct one once, closed on exit; models given open are used as they are. Its `key` then
        names the models as they report themselves."""
        async with AsyncExitStack() as stack:
            live: dict[Model, LLM] = {}

            async def open_model(model: Model | LLM | None) -> LLM | None:
                if not isinstance(model, Model):
                    return model
                if model not in live:
                    live[model] = await stack.enter_async_context(model.open(self.files.completions,
                                                                             replay=self.replay))
                return live[model]

            yield replace(self, model=await open_model(self.model), judge_model=await open_model(self.judge_model),
                          inputs_model=await open_model(self.inputs_model))

    async def execute(self, problems: Sequence[Problem] | None = None, *, store: RunStore | None = None,
                      executor: JobRunner | None = None,
                      on_event: Callable[[Event], None] | None = None) -> RunResult:
        """Solve the problems not finished yet (default: the benchmark's, loaded here), store each as it
        finishes, and return the run's results. The store, the executor and the models are opened
        here unless given; progress goes to `on_event` (`codesieve.pipeline.Event`)."""
        async with AsyncExitStack() as stack:
            if executor is None:
                executor = stack.enter_context(self.open_executor())
            if store is None:
                store = stack.enter_context(RunStore(self.files.store))
            if problems is None:
                problems = self.load_problems(executor)
            live = await stack.enter_async_context(self.opened())
            return await live._solve(problems, store, executor, on_event)

    async def _solve(self, problems: Sequence[Problem], store: RunStore, executor: JobRunner,
                     on_event: Callable[[Event], None] | None) -> RunResult:
        ids = [p.id for p in problems]
        key, names = self.key, self.config.strategies
        if self.replay:
            check_replayable(store, self.original_key, names, ids)
            store.discard(key, ids)  # a replay re-scores every problem asked for, every time
        store.open_run(key, self.identity)
        pipeline = Pipeline(self.model, executor, store, key, self.config, judge=self.judge_model,
                            inputs=self.inputs_model, on_event=on_event)
        results = await pipeline.run(problems, self.benchmark)
        agreement = replay_agreement(store, self.original_key, key, names, ids) if self.replay else ()
        return RunResult(key, self.identity, self.model.model_id, tuple(ids), tuple(store.totals(key, problems=ids)),
                         tuple(results), agreement)


def check_replayable(store: RunStore, original: str, names: Sequence[str], ids: Sequence[str]) -> None:
    """Refuse, before any work, a replay of strategies whose candidates the stored run never generated:
    zero-shot and self-debug need the greedy sample, which a run of sampled strategies never made."""
    pools = store.pools_of(original)
    greedy = [n for n in names if make_strategy(n).pool.greedy]
    lacking = [i for i in ids if i in pools and "greedy" not in pools[i]]
    if greedy and lacking:
        raise ConfigError(f"--replay: {', '.join(greedy)} need the greedy sample, which run {original} never "
                          f"generated for {len(lacking)} of the {len(ids)} problems (it ran only strategies that "
                          "use the N sampled candidates); run them once without --replay")


def replay_agreement(store: RunStore, original: str, replay: str, names: Sequence[str],
                     ids: Sequence[str]) -> tuple[Agreement, ...]:
    """Per strategy asked for: how many replayed selections picked the same candidate as the original run."""
    def winners(key: str) -> dict[tuple[str, str], str | None]:
        return {(s.problem_id, s.strategy): s.winner for s in store.selections(key, problems=ids)}

    before, after = winners(original), winners(replay)
    out = []
    for name in names:
        common = [k for k in after if k[1] == name and k in before]
        out.append(Agreement(name, sum(before[k] == after[k] for k in common), len(common)))
    return tuple(out)


def run(benchmark: str = "humaneval", config: RunConfig | None = None, *, limit: int | None = None,
        problems: Sequence[Problem] | None = None, model: str | Model | LLM = DEFAULT_MODEL,
        judge_model: str | Model | LLM | None = None, data: str | Path | None = None,
        store: str | Path = DEFAULT_STORE, replay: bool = False, workers: int | None = None,
        executor: str = "local", on_event: Callable[[Event], None] | None = None) -> RunResult:
    """Run `config`'s strategies (default: S* alone, N=8 samples, 2 debug rounds) on `benchmark`'s
    first `limit` problems (or on `problems`), grade every pick on the hidden tests, and return
    the per-strategy totals and this call's per-problem results.

    `model` and `judge_model` (default: the generator) are names (embedded, as `codesieve run`
    starts them), `Model`s or open `LLM`s. Everything goes to the run store `store`, with the
    model answers and execution results in files beside it: called again, the run resumes, and
    `replay=True` re-runs selection from the stored answers without a model. Progress goes to
    `on_event`; nothing is printed. From async code, await `Run(...).execute()` instead.

        import codesieve
        from codesieve.runs import shipped_config

        result = codesieve.run("humaneval", shipped_config(strategies=("sstar", "majority-vote")), limit=5)
        for t in result.totals:
            print(t.strategy, f"{t.passed}/{t.problems}")
    """
    def as_model(m: str | Model | LLM) -> Model | LLM:
        return Model(m) if isinstance(m, str) else m

    settings = Run(config or SHIPPED, benchmark=benchmark, data=Path(data) if data else None, limit=limit,
                   model=as_model(model), judge_model=as_model(judge_model) if judge_model is not None else None,
                   files=RunFiles.beside(store), replay=replay, workers=workers, executor=executor)
    return asyncio.run(settings.execute(problems, on_event=on_event))
