"""CodeT (Chen et al. 2022): model-written tests with expected outputs, dual agreement.

Candidates that pass exactly the same generated tests form a consensus set; a set scores
(number of candidates) x (number of tests passed). The best set wins (ties: the larger set,
then the earlier first member); its member with the best public rate, confidence and index is
chosen. With no usable tests every candidate is in one set, so the ranking alone decides.
"""

from __future__ import annotations

from typing import Sequence

from codesieve.execution.behaviour import Cluster
from codesieve.execution.job import Job
from codesieve.select.baseline_evidence import CodeTEvidence, ConsensusSet
from codesieve.select.cluster import representative
from codesieve.select.inputs import known_parameters, parse_tests, show_input
from codesieve.select.prompts import tests_request
from codesieve.stages import CandidatePool, Cost, Selection, Toolbox
from codesieve.types import Attempt, CallTest, Problem, TaskKind, Verdict


def consensus(passed: Sequence[frozenset[int]]) -> list[tuple[Cluster, int]]:
    """Consensus sets and their scores, best first."""
    sets: dict[frozenset[int], list[int]] = {}
    for i, tests in enumerate(passed):
        sets.setdefault(tests, []).append(i)
    scored = [(Cluster(tuple(m), tuple(str(t) for t in sorted(k))), len(m) * len(k)) for k, m in sets.items()]
    return sorted(scored, key=lambda cs: (-cs[1], -cs[0].size, cs[0].members[0]))


class CodeT:
    name = "codet"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        if not attempts:
            return Selection(self.name, None, "no candidates", cost=cost)
        cfg = tools.config
        params = known_parameters(problem, [a.candidate.program for a in attempts]) \
            if problem.kind == TaskKind.FUNCTION else None
        request = tests_request(problem, cfg.n_inputs, cfg.max_tokens, cfg.seed)
        raw = (await tools.ask([request], cost, inputs=True))[0][0].text
        parsed = parse_tests(problem, raw, params)
        passed: list[frozenset[int]] = [frozenset()] * len(attempts)
        if parsed.tests:
            jobs = [Job.for_problem(problem, a.candidate.program, parsed.tests, stop_on_fail=False) for a in attempts]
            results = await tools.execute(jobs, cost)
            passed = [frozenset(i for i, o in enumerate(r.outcomes) if o.verdict == Verdict.PASSED) for r in results]
        ranked = consensus(passed)
        best, score = ranked[0]
        winner = representative(attempts, best)
        trace = CodeTEvidence(
            tests=tuple(_show(problem, t) for t in parsed.tests), tests_invalid=parsed.invalid, tests_raw=raw,
            sets=tuple(ConsensusSet(tuple(attempts[i].candidate.id for i in c.members), c.signature, s)
                       for c, s in ranked))
        reason = f"consensus set of {best.size} passing {len(best.signature)} of {len(parsed.tests)} tests (score {score})"
        return Selection(self.name, attempts[winner].candidate, reason, trace, cost)


def _show(problem: Problem, test) -> str:
    expected = test.expected if isinstance(test, CallTest) else test.output
    return f"{show_input(problem, test)} -> {expected!r}"
