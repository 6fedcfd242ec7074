"""Where a stored duel's inputs came from: written by the model (read again from its answers, the
grouping's `inputs_raw` or the duel's `asked`) or added without it (mutants, edge cases, a
generator's). An execution win on added inputs alone is weaker evidence: a correct program may
crash on an edge case outside the statement's domain. The report counts such wins
(`decisions`, `wrong_picks`) and bench/sstar_tiebreak.py replays picks without them, and without
the judge's votes on added inputs."""

from __future__ import annotations

from codesieve.select.evidence import Duel, SStarEvidence
from codesieve.select.inputs import known_parameters, parse_inputs, show_input
from codesieve.types import Problem


def settled_on_added_inputs(duel: Duel, found: SStarEvidence, problem: Problem | None) -> bool:
    """Whether every input the duel was settled on is one the model did not write (a mutant, an
    edge case or a generator's input). Unknown problem: taken as the model's."""
    return bool(duel.evidence) and added_inputs(duel, found, problem) == {s.input for s in duel.evidence}


def added_inputs(duel: Duel, found: SStarEvidence, problem: Problem | None) -> frozenset[str]:
    """The duel's inputs (as shown) that the model did not write. Unknown problem: none."""
    if not (found.inputs_mutated or found.inputs_edge or found.inputs_generated) or problem is None:
        return frozenset()
    written = _written(problem, found.inputs_raw) | _written(problem, duel.asked)
    return frozenset(s.input for s in duel.evidence if s.input not in written)


def _written(problem: Problem, answer: str) -> frozenset[str]:
    """The inputs a model's answer reads as, shown as S* records them."""
    if not answer:
        return frozenset()
    parsed = parse_inputs(problem, answer, known_parameters(problem, []))
    return frozenset(show_input(problem, t) for t in parsed.tests)
