"""Grouping candidates by behaviour: run them on the same inputs, group identical outputs.

Signatures and groups are `codesieve.execution.behaviour`'s: a candidate's signature on an input
is its output hash when it ran to completion, else its verdict, so candidates that crash alike
group together. Groups are ordered largest first; ties keep the order in which their first member
appears.

Model-written inputs are not checked against the problem's constraints before they run, so an
input on which no candidate runs to completion is taken as invalid (it breaks a precondition
every candidate relies on) and dropped: it tells the candidates apart only by how they crash.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from codesieve.execution.behaviour import Cluster, clusters, signature
from codesieve.execution.job import Job
from codesieve.select import evidence as ev
from codesieve.stages import Cost, Toolbox
from codesieve.text import CUT, clip
from codesieve.types import Attempt, ExecResult, Problem, Test, TestOutcome, Verdict


def show_outcome(outcome: TestOutcome, limit: int = 300) -> str:
    """What a program did on one input, as shown to the judge and kept in records."""
    if outcome.verdict == Verdict.OK:
        return clip(outcome.output, limit, CUT) or "(no output)"
    why = outcome.error.type if outcome.error else str(outcome.verdict)
    return f"{outcome.verdict} ({why})"


def describe(clusters: Sequence[Cluster], reps: Sequence[int], attempts: Sequence[Attempt],
             probes: Sequence[ExecResult]) -> tuple[ev.Group, ...]:
    """Groups as recorded: members, representative and the representative's outputs."""
    return tuple(ev.Group(tuple(attempts[i].candidate.id for i in c.members), attempts[r].candidate.id,
                          tuple(show_outcome(o, 120) for o in probes[r].outcomes) if probes else ())
                 for c, r in zip(clusters, reps))


def behaviour_table(attempts: Sequence[Attempt], probes: Sequence[ExecResult]) -> tuple[ev.Behaviour, ...]:
    """Each candidate's outcome on each probe input, as recorded (empty without probes)."""
    return tuple(ev.Behaviour(a.candidate.id, tuple(ev.Observed(str(o.verdict), show_outcome(o, 120))
                                                    for o in r.outcomes))
                 for a, r in zip(attempts, probes))


def normalised(program: str) -> str:
    """A program with blank lines and trailing spaces removed: equal texts group without running."""
    return "\n".join(line.rstrip() for line in program.splitlines() if line.strip())


def rank_key(attempt: Attempt) -> tuple:
    """Order within a group: public pass rate, then model confidence, then sample index."""
    lp = attempt.candidate.mean_logprob
    return (-attempt.public_rate, -(lp if lp is not None else float("-inf")), attempt.candidate.index)


def representative(attempts: Sequence[Attempt], cluster: Cluster) -> int:
    """The member that speaks for the group in comparisons (and wins if the group wins)."""
    return min(cluster.members, key=lambda i: rank_key(attempts[i]))


async def probe(problem: Problem, attempts: Sequence[Attempt], tests: Sequence[Test], tools: Toolbox,
                cost: Cost) -> list[ExecResult]:
    """Run every candidate on `tests` in probe mode (outputs recorded, nothing compared)."""
    jobs = [Job.for_problem(problem, a.candidate.program, tests, stop_on_fail=False, probe=True)
            for a in attempts]
    return await tools.execute(jobs, cost)


@dataclass(frozen=True)
class Grouping:
    """Groups of candidates, the inputs they were told apart on, and each candidate's probe run.

    `probes[i].outcomes` line up with `tests`; `rejected` counts inputs dropped as invalid."""

    clusters: list[Cluster]
    tests: tuple[Test, ...]
    probes: list[ExecResult]
    rejected: int = 0


def usable_inputs(tests: Sequence[Test], results: Sequence[ExecResult]) -> list[int]:
    """Positions of the inputs on which at least one candidate ran to completion."""
    return [i for i in range(len(tests))
            if any(i < len(r.outcomes) and r.outcomes[i].verdict == Verdict.OK for r in results)]


async def group(problem: Problem, attempts: Sequence[Attempt], tests: Sequence[Test], tools: Toolbox,
                cost: Cost) -> Grouping:
    """Group `attempts` by their outputs on the usable `tests`; by program text when none is usable."""
    return grouped(attempts, tests, await probe(problem, attempts, tests, tools, cost) if tests else [])


def grouped(attempts: Sequence[Attempt], tests: Sequence[Test], results: Sequence[ExecResult]) -> Grouping:
    """`group` on probe runs already made (`results[i]`: `attempts[i]` on `tests`)."""
    keep = usable_inputs(tests, results)
    if not keep:
        by_text = clusters([(normalised(a.candidate.program),) for a in attempts])
        return Grouping(by_text, (), [], rejected=len(tests))
    kept_tests = tuple(tests[i] for i in keep)
    kept_results = [replace(r, outcomes=tuple(r.outcomes[i] for i in keep)) for r in results]
    found = clusters([signature(r, len(kept_tests)) for r in kept_results])
    return Grouping(found, kept_tests, kept_results, rejected=len(tests) - len(keep))
