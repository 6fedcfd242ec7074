"""S*: keep what passes the public tests, group by behaviour on new inputs, let groups duel.

See `pairwise` for the comparison and winner rules. Degenerate cases: one kept candidate wins
outright; one group means every kept candidate agrees, and its representative wins without a
comparison; without usable generated inputs, candidates are grouped by program text.

One class, four options, its configurations registered by name (`codesieve.stages.builtin`):

- `judge`: the judge of the duels (`codesieve.select.judges`), by its registered name; None (the
  default) takes the run's `SelectConfig.judge`, itself `predict` by default.
- `inputs`: None (the default) takes the run's `SelectConfig.inputs`, `model+cheap` by default;
  `model` groups and duels on the inputs the model writes (the runs stored before the option);
  `model+mutants` joins them with mutations of the public inputs (`mutate`): with a small model
  the generated inputs often repeat the examples, so the kept candidates all agree and the pick
  among them is arbitrary; mutants split them for the duels. `model+cheap` adds the inputs that
  cost no model call: mutants (on stdin tasks too, keeping the examples' layout) and edge cases
  (`edge_cases`); `model+cheap+generator` also asks, on stdin tasks, for a generator program once
  and runs it with several seeds (`generator`). The sources are listed in `synthesis.SOURCES`.

- `tiebreak`: what settles groups the duels leave level: `size` (the default, as every stored run:
  the largest group) or `agreement` (the group whose outputs agree most with the other candidates',
  input by input: `mbr_exec`'s score of its members; then the largest).
- `overrule`: the lead in votes a judge needs to make the smaller group of a duel win it (1, the
  default: any lead; `pairwise.held`).

`sstar` is `SStar()`, `sstar-mutants` is `SStar(inputs="model+mutants")`, and `sstar-predict` is
that with `judge="predict"`: a judge that predicts outputs instead of choosing between A and B,
whatever the run's judge (a small judge names the same position in both orders, so its votes
cancel).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from codesieve.errors import ConfigError
from codesieve.select import evidence as ev
from codesieve.select.cluster import behaviour_table, describe, group, representative
from codesieve.select.inputs import show_input
from codesieve.select.mbr_exec import agreement
from codesieve.select.pairwise import code_judgement, pick_winner, tournament
from codesieve.select.synthesis import SOURCES, sourced_inputs
from codesieve.stages import CandidatePool, Cost, Selection, Toolbox, best_public, lookup, make_judge
from codesieve.types import Attempt, Problem

INPUTS = tuple(SOURCES)  # what S* groups and duels on
TIEBREAKS = ("size", "agreement")  # what settles groups the duels leave level


class SStar:
    """S*, judged by `judge` (None: the run's configured judge), on the `inputs` named in `INPUTS`;
    `name` is the registered configuration's, which its selections carry."""

    pool = CandidatePool.SAMPLED_DEBUGGED

    def __init__(self, judge: str | None = None, inputs: str | None = None, name: str = "sstar",
                 tiebreak: str = "size", overrule: int = 1):
        if inputs is not None and inputs not in INPUTS:
            raise ConfigError(f"unknown S* inputs {inputs!r}; choose from: {', '.join(INPUTS)}")
        if tiebreak not in TIEBREAKS:
            raise ConfigError(f"unknown S* tiebreak {tiebreak!r}; choose from: {', '.join(TIEBREAKS)}")
        if overrule < 1:
            raise ConfigError(f"S*'s overrule is a lead in votes, at least 1, not {overrule}")
        if judge is not None:
            lookup(judge, "judge")  # an unknown name fails here, before any work
        self.judge, self.inputs, self.name, self.tiebreak, self.overrule = judge, inputs, name, tiebreak, overrule

    async def select(self, problem: Problem, attempts: Sequence[Attempt], tools: Toolbox) -> Selection:
        cost = Cost()
        if not attempts:
            return Selection(self.name, None, "no candidates", ev.SStarEvidence(decided_by=ev.NO_CANDIDATES), cost)
        kept = [attempts[i] for i in best_public(attempts)]
        seen = ev.SStarEvidence(kept=tuple(a.candidate.id for a in kept), public_rate=kept[0].public_rate)
        if len(kept) == 1:
            return Selection(self.name, kept[0].candidate, "the only candidate with the best public pass rate",
                             replace(seen, decided_by=ev.ONE_KEPT, winner_group=0), cost)
        inputs = self.inputs or tools.config.inputs
        if inputs not in INPUTS:
            raise ConfigError(f"unknown S* inputs {inputs!r} (SelectConfig.inputs); choose from: {', '.join(INPUTS)}")
        found = await sourced_inputs(problem, [a.candidate.program for a in kept], inputs, tools, cost)
        grouping = await group(problem, kept, found.tests, tools, cost)
        clusters = grouping.clusters
        reps = [representative(kept, c) for c in clusters]
        seen = replace(
            seen, inputs=tuple(show_input(problem, t) for t in grouping.tests), inputs_rejected=grouping.rejected,
            **found.recorded(grouping.tests),
            behaviour=behaviour_table(kept, grouping.probes), groups=describe(clusters, reps, kept, grouping.probes),
        )
        if len(clusters) == 1:
            how = "on the generated inputs" if grouping.tests else "by program text (no usable generated inputs)"
            return Selection(self.name, kept[reps[0]].candidate, f"all kept candidates agree {how}",
                             replace(seen, decided_by=ev.ONE_GROUP, winner_group=0), cost)
        judge = make_judge(self.judge or tools.config.judge)  # one per problem: it may remember across duels
        agree = None
        if self.tiebreak == "agreement":  # every member of a group has its representative's score
            scores = agreement(grouping.probes, len(grouping.tests)) if grouping.probes else [0] * len(kept)
            agree = [scores[r] for r in reps]
        winner, points, duels = await tournament(problem, kept, clusters, reps, grouping.tests, grouping.probes,
                                                 tools, cost, judge, agreement=agree, overrule=self.overrule)
        seen = replace(seen, duels=tuple(duels), points=tuple(points), winner_group=winner, judge=judge.name)
        if any(d.decided for d in duels):
            reason = (f"group {winner} of {len(clusters)} won the comparisons with {points[winner]:g} points "
                      f"(size {clusters[winner].size})")
            return Selection(self.name, kept[reps[winner]].candidate, reason, replace(seen, decided_by=ev.TOURNAMENT),
                             cost)
        if judge.by_code:
            judged = await code_judgement(problem, kept, clusters, reps, tools, cost, judge)
            seen = replace(seen, code_judgement=judged)
            if judged.winner_group is not None:
                g = judged.winner_group
                reason = (f"no comparison was decided; judged by code alone, group {g} of {len(clusters)} won "
                          f"with {judged.points[g]:g} points (size {clusters[g].size})")
                return Selection(self.name, kept[reps[g]].candidate, reason,
                                 replace(seen, winner_group=g, decided_by=ev.CODE_JUDGE), cost)
        if agree is not None:
            g = pick_winner(clusters, [0.0] * len(clusters), agree)
            reason = (f"no comparison was decided: group {g} of {len(clusters)} agrees most with the others "
                      f"({agree[g]}; size {clusters[g].size})")
            return Selection(self.name, kept[reps[g]].candidate, reason,
                             replace(seen, winner_group=g, decided_by=ev.AGREEMENT), cost)
        reason = f"no comparison was decided: group 0 of {len(clusters)} is the largest (size {clusters[0].size})"
        return Selection(self.name, kept[reps[0]].candidate, reason,
                         replace(seen, winner_group=0, decided_by=ev.LARGEST_GROUP), cost)
