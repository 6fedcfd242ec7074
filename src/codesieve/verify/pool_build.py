"""Building a candidate pool: many samples per problem from a model, each labelled by the hidden tests.

What `codesieve pool build` (and `bench/make_pools.py`, with the committed pools' settings) runs.
Resumable twice over: the pool file is rewritten (atomically) after every chunk of problems and a
build started with the same settings skips the problems the file already holds, so a committed
partial pool resumes on any machine; behind a completion store, a chunk cut short regenerates
nothing it finished. Labelling a chunk overlaps generating the next one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from codesieve.execution import Executor, Job
from codesieve.generate.sample import SampleConfig, sample
from codesieve.llm.base import LLM
from codesieve.types import Candidate, Problem
from codesieve.verify.pool import LabelledPool, PoolEntry, read_pool, write_pool


@dataclass(frozen=True)
class PoolSettings:
    """Everything that must match for a pool file's entries to be resumed (its header's `meta`):
    the model's name, the sampling, and which problems (`sample` of them drawn with `sample_seed`)."""

    model: str
    n: int = 16
    temperature: float = 1.0
    top_p: float = 0.95
    max_tokens: int = 512
    seed: int = 0
    sample: int | None = None
    sample_seed: int = 0

    @property
    def sampling(self) -> SampleConfig:
        return SampleConfig(n=self.n, temperature=self.temperature, top_p=self.top_p, max_tokens=self.max_tokens,
                            seed=self.seed, logprobs=True)


def resumed_entries(path: Path, settings: PoolSettings) -> list[PoolEntry]:
    """Entries of an earlier build with the same settings (none if it differs or there is none)."""
    if not path.exists():
        return []
    earlier = read_pool(path)
    if any(earlier.meta.get(k) != v for k, v in asdict(settings).items()):
        return []
    return list(earlier.entries)


async def label(executor: Executor, problems: Sequence[Problem], candidates: Sequence[Sequence[Candidate]]
                ) -> list[PoolEntry]:
    """Each candidate with its verdict on its problem's hidden tests (stopping at the first failure)."""
    jobs = [Job.for_problem(p, c.program, p.hidden_tests, stop_on_fail=True)
            for p, cands in zip(problems, candidates) for c in cands]
    results = iter(await executor.run_async(jobs))
    return [PoolEntry(candidate=c, passed=(r := next(results)).passed, verdict=r.verdict)
            for cands in candidates for c in cands]


async def build_pool(llm: LLM, executor: Executor, benchmark: str, problems: Sequence[Problem], out: Path,
                     settings: PoolSettings, *, chunk: int = 4, command: str = "",
                     progress: Callable[[str], None] = lambda line: None) -> LabelledPool:
    """Sample `settings.n` candidates for each of `problems` not yet in `out`, label them, and
    rewrite `out` after every `chunk` problems; returns the finished pool."""
    meta = {**asdict(settings), "command": command}
    out.parent.mkdir(parents=True, exist_ok=True)
    entries = resumed_entries(out, settings)
    if out.exists() and not entries:
        progress(f"{out} was made with other settings (or is empty); starting over")
    have = {e.candidate.problem_id for e in entries}
    todo = [p for p in problems if p.id not in have]
    progress(f"{len(problems) - len(todo)} problems already in {out}, {len(todo)} to go")
    loop = asyncio.get_running_loop()
    start = loop.time()

    def save(done: int) -> LabelledPool:
        meta.update(n_problems=done, date=dt.date.today().isoformat(), complete=done == len(problems))
        pool = LabelledPool(benchmark, tuple(entries), dict(meta))
        write_pool(out, pool)
        progress(f"{done}/{len(problems)} problems, {len(entries)} candidates, "
                 f"{sum(e.passed for e in entries)} passing, {loop.time() - start:.0f} s")
        return pool

    if not todo:
        return read_pool(out)
    labelling: asyncio.Task | None = None
    for first in range(0, len(todo), chunk):
        part = todo[first:first + chunk]
        candidates = await sample(llm, part, settings.sampling)
        if labelling is not None:
            entries += await labelling
            save(len(have) + first)
        labelling = asyncio.create_task(label(executor, part, candidates))
    if labelling is not None:
        entries += await labelling
    return save(len(problems))
