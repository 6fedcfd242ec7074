"""Every generated candidate graded on the hidden tests, after the fact.

A run grades only the programs its strategies picked; whether a failure is the generator's (no
program it made passes) or the selection's (one does, another was picked) needs every candidate
graded. Programs repeat across samples and debug rounds, so each distinct program runs once.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from codesieve.execution import Executor, Job
from codesieve.types import Problem, Verdict

SAMPLED = ("sampled",)  # S*'s N samples and their debug rounds: the candidates S* selects from


def hidden_verdicts(records: Iterable[Mapping[str, Any]], problems: Mapping[str, Problem], executor: Executor,
                    pools: Sequence[str] = SAMPLED) -> dict[str, dict[str, Verdict]]:
    """Per stored record (`RunStore.records`) of a known problem: every candidate id of `pools` (any
    sample, any debug round) -> its verdict on the hidden tests (the first failing test's)."""
    out = {}
    for record in records:
        problem = problems.get(record["problem_id"])
        lineages = [lineage for pool in pools for lineage in record["pools"].get(pool) or ()]
        if problem is None or not any(pool in record["pools"] for pool in pools):
            continue
        ids: dict[str, list[str]] = {}
        for lineage in lineages:
            for attempt in lineage:
                ids.setdefault(attempt["candidate"]["program"], []).append(attempt["candidate"]["id"])
        programs = sorted(ids)
        graded = executor.run([Job.for_problem(problem, p, problem.hidden_tests) for p in programs])
        out[problem.id] = {i: r.verdict for program, r in zip(programs, graded) for i in ids[program]}
    return out


def correct_candidates(records: Iterable[Mapping[str, Any]], problems: Mapping[str, Problem], executor: Executor,
                       pools: Sequence[str] = SAMPLED) -> dict[str, set[str]]:
    """Per record of a known problem: the ids of its candidates that pass the hidden tests. Where
    there is none, no selection rule could have solved it."""
    return {problem_id: {i for i, v in verdicts.items() if v is Verdict.PASSED}
            for problem_id, verdicts in hidden_verdicts(records, problems, executor, pools).items()}
