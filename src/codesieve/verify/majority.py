"""`majority:K`: rank candidates by how many siblings behave the same on K inputs.

The inputs are those of the first K hidden tests; their expected outputs are never looked at.
Candidates with identical outputs on every input form a cluster, and a bigger cluster ranks
higher (value = cluster size / candidates judged). A candidate that crashes or times out on a
valid input cannot be correct, so it is pruned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Sequence

from codesieve.execution import Executor
from codesieve.types import CallTest, Problem, StdioTest, Test
from codesieve.verify.base import Group, Score
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
    def __init__(self, executor: Executor, k: int):
        self.executor = executor
        self.k = k

    def verify(self, groups: Sequence[Group]) -> list[list[Score]]:
        scores, results = check_all(self.executor, groups, lambda p: probe_inputs(p, self.k), probe=True,
                                    missing="no inputs")
        signature = {gi: tuple(o.output_hash for o in r.outcomes) for gi, r in results.items() if r.passed}
        sizes = Counter((g, sig) for (g, _), sig in signature.items())
        for (g, i), sig in signature.items():
            scores[g][i] = replace(scores[g][i], value=sizes[g, sig] / len(groups[g].candidates))
        return scores
