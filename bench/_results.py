"""What the bench scripts share: where results go (bench/results/, the short JSON + Markdown table
of `codesieve.report.files.write_results`; results files are never edited by hand), and how a long
run is driven (`run_logged`)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Callable, Sequence

from codesieve.errors import BackendError
from codesieve.execution.interface import JobRunner
from codesieve.pipeline import Event
from codesieve.report.files import write_results
from codesieve.runs import Run
from codesieve.store import RunStore
from codesieve.types import Problem

RESULTS = Path(__file__).resolve().parent / "results"
RETRIES = 5  # a long run outlives a model server that times out now and then


def write(name: str, data: dict, header: list[str], rows: list[list], notes: str = "") -> Path:
    """Write results/<name>.json and results/<name>.md; returns the JSON path."""
    return write_results(RESULTS, name, data, header, rows, notes)


async def run_logged(run: Run, label: str, problems: Sequence[Problem], store: RunStore, executor: JobRunner,
                     on_problem: Callable[[], None]) -> None:
    """Run `run` on `problems`, one line per finished problem, retried when the model fails
    (finished work is kept); `on_problem()` after each."""
    start, seen = time.monotonic(), set()  # a retry reports problems again

    def report(event: Event) -> None:
        if event.kind != "problem":
            return
        seen.add(event.problem_id)
        verdicts = " ".join(f"{r.strategy}={'pass' if r.passed else 'fail'}" for r in event.results)
        print(f"[{label}] {len(seen)}/{len(problems)} {event.problem_id} {verdicts or event.detail} "
              f"({time.monotonic() - start:.0f} s)", flush=True)
        on_problem()

    for attempt in range(1, RETRIES + 1):  # a busy server may time out
        try:
            await run.execute(problems, store=store, executor=executor, on_event=report)
            return
        except BackendError as exc:
            print(f"[{label}] model error (attempt {attempt} of {RETRIES}): {exc}", flush=True)
            if attempt == RETRIES:
                raise
            await asyncio.sleep(30)
