"""What debugging did to a problem's candidates: how many failed a public test, how many a debug
round fixed, how many debug answers returned the program they were asked to fix."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from codesieve.generate.debug import Lineage
from codesieve.types import Verdict

# the run store's pools of debugged candidates, and whose they are
POOLS = {"sampled": "S*'s N samples", "greedy": "self-debug's greedy sample"}
COUNTS = ("candidates", "failed_public", "fixed", "debug_answers", "unchanged")


def outcomes(lineages: Sequence[Lineage]) -> dict[str, int]:
    """One problem's counts (one pool's lineages): how many candidates failed a public test in
    round 0, how many of those a debug round made pass them all, and how many debug answers
    returned the program they were asked to fix."""
    out = dict.fromkeys(COUNTS, 0)
    for lineage in lineages:
        out["candidates"] += 1
        verdicts = [None if attempt.public is None else attempt.public.verdict for attempt in lineage.attempts]
        if verdicts[0] not in (None, Verdict.PASSED):  # None: the problem has no public tests
            out["failed_public"] += 1
            out["fixed"] += verdicts[-1] == Verdict.PASSED
        programs = [attempt.candidate.program for attempt in lineage.attempts]
        out["debug_answers"] += len(programs) - 1
        out["unchanged"] += sum(a == b for a, b in zip(programs, programs[1:]))
    return out


def totals(per_problem: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """`outcomes` of several problems, summed."""
    per_problem = list(per_problem)
    return {k: sum(o[k] for o in per_problem) for k in COUNTS}


def explain(debugging: Mapping[str, Mapping[str, int]]) -> str:
    """What debugging did, in a sentence made from its numbers: all self-debug adds to zero-shot."""
    sampled, greedy = debugging["sampled"], debugging["greedy"]
    return (f"debugging made {sampled['fixed']} of the {sampled['failed_public']} sampled candidates that failed "
            f"a public test pass them all, and {greedy['fixed']} of the {greedy['failed_public']} greedy ones "
            f"(self-debug's); {sampled['unchanged'] + greedy['unchanged']} of the "
            f"{sampled['debug_answers'] + greedy['debug_answers']} debug answers returned the program unchanged.")
