"""Every generated candidate graded on the hidden tests, after the fact.

A run grades only the programs its strategies picked; whether a failure is the generator's (no
program it made passes) or the selection's (one does, another was picked) needs every candidate
graded. Programs repeat across samples, debug rounds and pools, so each distinct program of a
problem runs once (stopping at its first failing test).
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from codesieve.execution import Executor, Job
from codesieve.store import ProblemRecord
from codesieve.types import ExecResult, Problem

SAMPLED = ("sampled",)  # S*'s N samples and their debug rounds: the candidates S* selects from
POOLS = ("sampled", "greedy")  # ... and self-debug's greedy sample with its debug rounds


def hidden_results(records: Iterable[ProblemRecord], problems: Mapping[str, Problem], executor: Executor,
                   pools: Sequence[str] = SAMPLED) -> dict[str, dict[str, dict[str, ExecResult]]]:
    """Per stored problem (`RunStore.problems`) that is known and has one of `pools`:
    pool -> candidate id (any sample, any debug round) -> its result on the hidden tests. Keyed by
    pool because ids repeat across pools (greedy #0.0 is not sampled #0.0)."""
    out: dict[str, dict[str, dict[str, ExecResult]]] = {}
    for record in records:
        problem = problems.get(record.problem_id)
        stored = record.pools.named()
        present = [pool for pool in pools if pool in stored]
        if problem is None or not present:
            continue
        ids: dict[str, list[tuple[str, str]]] = {}
        for pool in present:
            for lineage in stored[pool]:
                for attempt in lineage.attempts:
                    ids.setdefault(attempt.candidate.program, []).append((pool, attempt.candidate.id))
        programs = sorted(ids)
        graded = executor.run([Job.for_problem(problem, p, problem.hidden_tests) for p in programs])
        by_pool: dict[str, dict[str, ExecResult]] = {pool: {} for pool in present}
        for program, result in zip(programs, graded):
            for pool, candidate in ids[program]:
                by_pool[pool][candidate] = result
        out[problem.id] = by_pool
    return out


def correct_candidates(records: Iterable[ProblemRecord], problems: Mapping[str, Problem],
                       executor: Executor) -> dict[str, set[str]]:
    """Per stored problem that is known: the ids of its sampled candidates (S*'s) that pass the hidden
    tests. Where there is none, no selection rule could have solved it."""
    return {problem_id: {i for i, result in by_pool["sampled"].items() if result.passed}
            for problem_id, by_pool in hidden_results(records, problems, executor).items()}
