"""`mbr-exec`: MBR-exec / semantic voting (Shi et al. 2022): the candidate whose outputs agree most
with the others', input by input, wins.

Majority vote counts only candidates that agree on *every* input: two programs that differ on one
edge case fall in different groups, and a group of one program that is right on all but one input
weighs as little as a group of one that is wrong everywhere. Here agreement is partial: a
candidate's score is, summed over the inputs, the number of other candidates that returned (or
printed) the same output on that input. A crash, a timeout or any other failure agrees with
nothing: failing alike is no evidence of being right. Ties go to the candidate ranked first
within groups (best public pass rate, then model confidence, then sample index).

The candidates are the public-test survivors and the inputs are the model's, the very ones S* and
majority-vote ask for (one request per problem, shared through `Toolbox.shared`), with the same
check: an input on which no candidate runs to completion is dropped. Without usable inputs, the
outputs compared are the programs' texts. S* uses the same score to settle the groups its duels
leave level (`SStar(tiebreak="agreement")`).
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from codesieve.select.baseline_evidence import MbrExecEvidence
from codesieve.select.baselines import alone, survivors_on_inputs
from codesieve.select.cluster import normalised, rank_key
from codesieve.select.inputs import show_input
from codesieve.stages import CandidatePool, Cost, Selection, Toolbox
from codesieve.types import Attempt, ExecResult, Problem, Verdict


def agreement(probes: Sequence[ExecResult], n_inputs: int) -> list[int]:
    """Per candidate: over the `n_inputs` inputs, how many other candidates gave the same output on
    each (outputs of runs that completed only)."""
    scores = [0] * len(probes)
    for t in range(n_inputs):
        outputs = [r.outcomes[t].output_hash or r.outcomes[t].output
                   if t < len(r.outcomes) and r.outcomes[t].verdict == Verdict.OK else None for r in probes]
        same = Counter(o for o in outputs if o is not None)
        for i, o in enumerate(outputs):
            if o is not None:
                scores[i] += same[o] - 1
    return scores


def text_agreement(attempts: Sequence[Attempt]) -> list[int]:
    """Per candidate: how many others have the same program text (no usable input to run on)."""
    texts = [normalised(a.candidate.program) for a in attempts]
    same = Counter(texts)
    return [same[t] - 1 for t in texts]


class MbrExec:
    """The public-test survivor whose outputs on the model's inputs agree most with the others'."""

    name = "mbr-exec"
    pool = CandidatePool.SAMPLED

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        kept, voted = await survivors_on_inputs(problem, attempts, tools, cost)
        if voted is None:  # nothing to compare: no inputs asked for, as majority-vote and S*
            evidence = MbrExecEvidence(kept=tuple(a.candidate.id for a in kept), scores=(0,) * len(kept))
            return alone(self.name, kept, evidence, cost)
        grouping, parsed, raw = voted
        scores = agreement(grouping.probes, len(grouping.tests)) if grouping.tests else text_agreement(kept)
        best = min(range(len(kept)), key=lambda i: (-scores[i], rank_key(kept[i])))
        trace = MbrExecEvidence(
            kept=tuple(a.candidate.id for a in kept), inputs=tuple(show_input(problem, t) for t in grouping.tests),
            inputs_invalid=parsed.invalid, inputs_rejected=grouping.rejected, inputs_raw=raw, scores=tuple(scores))
        basis = (f"outputs agreeing with the others' on {len(grouping.tests)} generated inputs" if grouping.tests
                 else "identical program texts (no usable generated inputs)")
        reason = f"highest agreement of {len(kept)}: {scores[best]} {basis}"
        return Selection(self.name, kept[best].candidate, reason, trace, cost)
