"""`majority:K`: rank candidates by how many siblings behave the same on K inputs.

The inputs are those of the first K hidden tests; their expected outputs are never looked at.
Candidates with identical outputs on every input form a cluster (`execution.behaviour`, as for
majority-vote and S*), and a bigger cluster ranks higher (value = cluster size / candidates
judged). A candidate that crashes or times out on a valid input cannot be correct, so it is pruned.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from codesieve.execution import JobRunner
from codesieve.execution.behaviour import clusters, signature
from codesieve.stages import ProblemCandidates, Score
from codesieve.types import CallTest, Problem, StdioTest, Test
from codesieve.verify.tests import check_all


def probe_inputs(problem: Problem, k: int) -> tuple[Test, ...]:
    """The inputs of the first k hidden tests that have inputs (assert tests have none)."""
    probes: list[Test] = []
    for test in problem.hidden_tests:
        if isinstance(test, CallTest):
            probes.append(replace(test, expected=None))
        elif isinstance(test, StdioTest):
            probes.append(replace(test, output=None))
    return tuple(probes[:k])


class MajorityVerifier:
    def __init__(self, executor: JobRunner, k: int):
        self.executor = executor
        self.k = k

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        scores, results = await check_all(self.executor, groups, lambda p: probe_inputs(p, self.k), probe=True,
                                    missing="no inputs")
        for g, group in enumerate(groups):
            finished = [(i, r) for (gg, i), r in sorted(results.items()) if gg == g and r.passed]
            for cluster in clusters([signature(r, len(r.outcomes)) for _, r in finished]):
                for member in cluster.members:
                    i = finished[member][0]
                    scores[g][i] = replace(scores[g][i], value=cluster.size / len(group.candidates))
        return scores
