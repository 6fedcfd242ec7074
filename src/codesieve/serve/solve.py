"""The run of one request: a stored `codesieve.runs.Run` of one problem, read back as an `Answer`.

The request's problem is written as a problem file (named by its content hash), and the run is
keyed as `codesieve run --benchmark jsonl --data <that file>` keys it: that command with
`--replay` re-scores it from the stored model answers, and `codesieve report` shows it. The same
request again resumes its finished run and answers from the store. The model, the sandbox
executor and the run store are the server's, shared by every request.
"""

from __future__ import annotations

import ast
import asyncio
from dataclasses import dataclass
from pathlib import Path

from codesieve.execution.interface import JobRunner
from codesieve.generate.extract import code_blocks
from codesieve.llm import LLM
from codesieve.problems import write_problems_jsonl
from codesieve.report.html import report_store
from codesieve.runs import Run
from codesieve.serve.errors import APIError
from codesieve.serve.problem import ServedProblem
from codesieve.serve.settings import ServeSettings
from codesieve.store import ProblemRecord, RunStore, SelectionRecord
from codesieve.types import Candidate


@dataclass(frozen=True)
class Answer:
    """What a request's run picked and where it is stored: its run key, the stored problem record
    (every candidate with its public-test result), the pick's record, the HTML report and the
    command that replays the run."""

    served: ServedProblem
    key: str
    stored: ProblemRecord
    pick: SelectionRecord
    report: Path
    replay: str

    @property
    def program(self) -> str:
        return self.pick.program or ""

    @property
    def picked(self) -> Candidate | None:
        return next((a.candidate for lineages in self.stored.pools.named().values() for lineage in lineages
                     for a in lineage.attempts if a.candidate.id == self.pick.winner), None)


class Solver:
    """Runs requests' problems on the server's shared model, executor and run store."""

    def __init__(self, settings: ServeSettings, llm: LLM, executor: JobRunner, store: RunStore):
        self.settings, self.llm, self.executor, self.store = settings, llm, executor, store

    async def solve(self, served: ServedProblem, n: int | None = None, strategy: str | None = None) -> Answer:
        """Run (or resume) the request's problem; a pick with no code is a 502 naming the run."""
        settings, problem = self.settings, served.problem
        config = settings.run_config(n, strategy)
        data = settings.problems_dir / f"{problem.id}.jsonl"
        if not data.exists():
            await asyncio.to_thread(_write_atomically, data, served)
        run = Run(config, benchmark="jsonl", data=data, model=self.llm, files=settings.files,
                  executor=settings.executor)
        key = run.key
        await run.execute([problem], store=self.store, executor=self.executor)
        [stored] = self.store.problems(key, problems=[problem.id])
        pick = stored.strategies[config.strategies[0]]
        report = await asyncio.to_thread(report_store, settings.reports_dir / f"{key}.html", settings.store, key,
                                         problems={problem.id: problem}, executor=self.executor)
        answer = Answer(served, key, stored, pick, report, settings.replay_command(data, config))
        if answer.picked is None or not is_code(answer.picked):
            raise APIError(502, f"the model answered with no code in any of its {config.sample.n} candidates "
                                f"(run {key} is stored; report: {report})", type="upstream_error", code="no_code")
        return answer


def _write_atomically(path: Path, served: ServedProblem) -> None:
    """The problem file, whole or not at all (requests for one problem may write it at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{id(served)}.tmp")
    write_problems_jsonl([served.problem], tmp)
    tmp.replace(path)


def is_code(candidate: Candidate) -> bool:
    """Whether an answer held code at all: a fenced block, or Python that does more than name things
    (an answer in prose is extracted as its own text, which seldom parses)."""
    if code_blocks(candidate.raw):
        return True
    try:
        body = ast.parse(candidate.program).body
    except SyntaxError:
        return False
    return any(not isinstance(statement, ast.Expr) for statement in body)
