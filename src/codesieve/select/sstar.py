"""S*: keep what passes the public tests, group by behaviour on new inputs, let groups duel.

See `pairwise` for the comparison and winner rules. Degenerate cases: one kept candidate wins
outright; one group means every kept candidate agrees, and its representative wins without a
comparison; without usable generated inputs, candidates are grouped by program text.

`sstar-mutants` is the same with the model's inputs joined by mutations of the public inputs
(`mutate`): with a small model the generated inputs often repeat the examples, so the kept
candidates all agree and the pick among them is arbitrary; mutants split them for the duels.
`sstar-predict` is `sstar-mutants` whose judge predicts outputs instead of choosing between A and
B (`predict`): a small judge names the same position in both orders, so its votes cancel.
The others use the configured judge (`SelectConfig.judge`, see `judging`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from codesieve.select import evidence as ev
from codesieve.select.base import Attempt, CandidatePool, Cost, Selection, Toolbox, best_public
from codesieve.select.cluster import behaviour_table, describe, group, representative
from codesieve.select.inputs import show_input
from codesieve.select.mutate import added, input_mutants
from codesieve.select.pairwise import code_judgement, tournament
from codesieve.select.synthesis import generate_inputs
from codesieve.select.registry import strategy
from codesieve.types import Problem

CODE_JUDGES = ("reason", "logprob")  # judges S* falls back on, by code alone, when no duel decided


@strategy("sstar")
class SStar:
    name = "sstar"
    pool = CandidatePool.SAMPLED_DEBUGGED
    mutate = False
    judge: str | None = None  # None: the configured judge (`SelectConfig.judge`)

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        if not attempts:
            return Selection(self.name, None, "no candidates", ev.SStarEvidence(decided_by=ev.NO_CANDIDATES), cost)
        kept = [attempts[i] for i in best_public(attempts)]
        seen = ev.SStarEvidence(kept=tuple(a.candidate.id for a in kept), public_rate=kept[0].public_rate)
        if len(kept) == 1:
            return Selection(self.name, kept[0].candidate, "the only candidate with the best public pass rate",
                             replace(seen, decided_by=ev.ONE_KEPT, winner_group=0), cost)
        parsed, raw = await generate_inputs(problem, [a.candidate.program for a in kept], tools, cost)
        extra = input_mutants(problem, tools.config.n_mutants, tools.config.seed) if self.mutate else ()
        grouping = await group(problem, kept, added(parsed.tests, extra), tools, cost)
        clusters = grouping.clusters
        reps = [representative(kept, c) for c in clusters]
        seen = replace(
            seen, inputs=tuple(show_input(problem, t) for t in grouping.tests), inputs_raw=raw,
            inputs_invalid=parsed.invalid, inputs_rejected=grouping.rejected, inputs_mutated=len(extra),
            behaviour=behaviour_table(kept, grouping.probes), groups=describe(clusters, reps, kept, grouping.probes),
        )
        if len(clusters) == 1:
            how = "on the generated inputs" if grouping.tests else "by program text (no usable generated inputs)"
            return Selection(self.name, kept[reps[0]].candidate, f"all kept candidates agree {how}",
                             replace(seen, decided_by=ev.ONE_GROUP, winner_group=0), cost)
        judge = self.judge or tools.config.judge
        winner, points, duels = await tournament(problem, kept, clusters, reps, grouping.tests, grouping.probes,
                                                 tools, cost, judge)
        seen = replace(seen, duels=tuple(duels), points=tuple(points), winner_group=winner, judge=judge)
        if any(d.decided for d in duels):
            reason = (f"group {winner} of {len(clusters)} won the comparisons with {points[winner]:g} points "
                      f"(size {clusters[winner].size})")
            return Selection(self.name, kept[reps[winner]].candidate, reason, replace(seen, decided_by=ev.TOURNAMENT),
                             cost)
        if judge in CODE_JUDGES:
            judged = await code_judgement(problem, kept, clusters, reps, tools, cost, judge)
            seen = replace(seen, code_judgement=judged)
            if judged.winner_group is not None:
                g = judged.winner_group
                reason = (f"no comparison was decided; judged by code alone, group {g} of {len(clusters)} won "
                          f"with {judged.points[g]:g} points (size {clusters[g].size})")
                return Selection(self.name, kept[reps[g]].candidate, reason,
                                 replace(seen, winner_group=g, decided_by=ev.CODE_JUDGE), cost)
        reason = f"no comparison was decided: group 0 of {len(clusters)} is the largest (size {clusters[0].size})"
        return Selection(self.name, kept[reps[0]].candidate, reason,
                         replace(seen, winner_group=0, decided_by=ev.LARGEST_GROUP), cost)


@strategy("sstar-mutants")
class SStarMutants(SStar):
    name = "sstar-mutants"
    mutate = True


@strategy("sstar-predict")
class SStarPredict(SStarMutants):
    name = "sstar-predict"
    judge = "predict"
