"""Baseline selectors: zero-shot, random, public-test filter, majority vote, self-debug.

Majority vote is AlphaCode's clustering: filter by public tests, run the rest on model-written
inputs, and take a member of the largest group of identical behaviour (ties: the group whose first
member came first; the member: best public rate, then confidence, then index). Agreement that
counts partly, input by input, is `mbr_exec`.
"""

from __future__ import annotations

import random
from typing import Sequence

from codesieve.select.baseline_evidence import MajorityEvidence, PublicFilterEvidence
from codesieve.problems.calls import ParsedTests
from codesieve.select.cluster import Grouping, describe, group, representative
from codesieve.select.inputs import show_input
from codesieve.select.synthesis import generate_inputs
from codesieve.stages import CandidatePool, Cost, Selection, Toolbox, best_public
from codesieve.types import Attempt, Problem


async def survivors_on_inputs(problem: Problem, attempts: Sequence[Attempt], tools: Toolbox, cost: Cost
                              ) -> tuple[list[Attempt], tuple[Grouping, ParsedTests, str] | None]:
    """The candidates with the best public pass rate and, when there are several to tell apart, their
    grouping on the model's inputs (the request S* and the other voters share) with the inputs as
    read and the raw answer; None when there are none or one: nothing to ask for."""
    kept = [attempts[i] for i in best_public(attempts)]
    if len(kept) < 2:
        return kept, None
    parsed, raw = await generate_inputs(problem, [a.candidate.program for a in kept], tools, cost)
    return kept, (await group(problem, kept, parsed.tests, tools, cost), parsed, raw)


def alone(name: str, kept: Sequence[Attempt], evidence: object, cost: Cost) -> Selection:
    """A voter's pick when there is nothing to vote on: no candidate, or only one survivor."""
    if not kept:
        return Selection(name, None, "no candidates", cost=cost)
    return Selection(name, kept[0].candidate, "the only candidate with the best public pass rate", evidence, cost)


class ZeroShot:
    """The one greedy sample, as is."""

    name = "zero-shot"
    pool = CandidatePool.GREEDY

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        if not attempts:
            return Selection(self.name, None, "no candidates")
        return Selection(self.name, attempts[0].candidate, "the greedy sample")


class SelfDebug:
    """The greedy sample after up to R rounds of debugging on public-test feedback."""

    name = "self-debug"
    pool = CandidatePool.GREEDY_DEBUGGED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        if not attempts:
            return Selection(self.name, None, "no candidates")
        best = attempts[0]
        return Selection(self.name, best.candidate, f"the greedy sample after {best.candidate.round} debug "
                         f"round(s), public pass rate {best.public_rate:.2f}")


class RandomPick:
    """A uniformly random sample; the choice is fixed by the seed and the problem id."""

    name = "random"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        if not attempts:
            return Selection(self.name, None, "no candidates")
        i = random.Random(f"{tools.config.seed}:{problem.id}").randrange(len(attempts))
        return Selection(self.name, attempts[i].candidate, f"random choice of {len(attempts)}")


class PublicFilter:
    """A random sample among those with the best public pass rate."""

    name = "public-filter"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        kept = best_public(attempts)
        if not kept:
            return Selection(self.name, None, "no candidates")
        i = kept[random.Random(f"{tools.config.seed}:{problem.id}").randrange(len(kept))]
        return Selection(self.name, attempts[i].candidate,
                         f"random choice of {len(kept)} with public pass rate {attempts[i].public_rate:.2f}",
                         PublicFilterEvidence(tuple(attempts[k].candidate.id for k in kept)))


class MajorityVote:
    """The largest group of public-test survivors that agree on model-written inputs."""

    name = "majority-vote"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        kept, voted = await survivors_on_inputs(problem, attempts, tools, cost)
        if voted is None:
            return alone(self.name, kept, MajorityEvidence(kept=tuple(a.candidate.id for a in kept)), cost)
        grouping, parsed, raw = voted
        clusters = grouping.clusters
        reps = [representative(kept, c) for c in clusters]
        trace = MajorityEvidence(
            kept=tuple(a.candidate.id for a in kept), inputs=tuple(show_input(problem, t) for t in grouping.tests),
            inputs_invalid=parsed.invalid, inputs_rejected=grouping.rejected, inputs_raw=raw,
            groups=describe(clusters, reps, kept, grouping.probes))
        basis = "outputs on generated inputs" if grouping.tests else "program text (no usable generated inputs)"
        reason = f"largest of {len(clusters)} groups by {basis} ({clusters[0].size} of {len(kept)})"
        return Selection(self.name, kept[reps[0]].candidate, reason, trace, cost)
