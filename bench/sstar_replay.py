"""The pure rules behind bench/sstar_authors.py: S*'s authors' picks (the first best-rate sample,
the per-input tournament with member pairs), S*'s own tournament re-scored from its stored duels,
settling a pick over verdicts nobody asked for, and the counts and comparisons around them. No
executor, no model, no store: each takes what a record holds (tests/bench/test_sstar_authors.py).
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Callable, Iterable, Mapping, Sequence

from codesieve.execution.behaviour import Cluster, clusters as signature_clusters
from codesieve.generate.debug import Lineage
from codesieve.select import evidence as ev
from codesieve.select.pairwise import pick_winner
from codesieve.stats import sign_test
from codesieve.types import Attempt, Verdict

OPTIONS = ((2.0, 0.0), (0.0, 2.0), (1.0, 1.0), (0.0, 0.0))  # a verdict nobody asked for: A, B, tie, neither
MAX_UNKNOWN = 5  # verdicts tried together at most (4**5 combinations)
FAILED = (Verdict.PASSED, Verdict.OK, Verdict.NOT_RUN)  # outcomes that are not a failing test
SHOWN = 3  # failing public tests S*'s debug feedback shows (codesieve.generate.prompts.MAX_SHOWN)
Row = tuple[bool, str]  # one kept candidate on one input: ran to completion, and its output (or verdict)


def first_best(attempts: Sequence[Attempt]) -> int:
    """The authors' pick when no sample passes every public test: the first with the best rate."""
    best = max(a.public_rate for a in attempts)
    return next(i for i, a in enumerate(attempts) if a.public_rate == best)


def behaviour_rows(trace: ev.SStarEvidence) -> list[list[Row]]:
    """Each kept candidate's outcome per input, from the stored behaviour table (kept order)."""
    by_id = {b.candidate: b.outcomes for b in trace.behaviour}
    return [[(o.verdict == str(Verdict.OK), o.shown if o.verdict == str(Verdict.OK) else o.verdict)
             for o in by_id.get(c, ())] for c in trace.kept]


def table_groups(rows: Sequence[Sequence[Row]]) -> list[tuple[int, ...]]:
    """S*'s grouping (one signature over every input: output, or verdict on failure) of `rows`."""
    return [c.members for c in signature_clusters([tuple(key for _, key in r) for r in rows])]


def per_input(rows: Sequence[Sequence[Row]]) -> list[list[tuple[int, ...]]]:
    """The authors' grouping: per input, the candidates with equal outputs, failures dropped (an
    input every candidate fails has no group); groups in order of their first member."""
    out = []
    for i in range(max((len(r) for r in rows), default=0)):
        found: dict[str, list[int]] = {}
        for c, row in enumerate(rows):
            if i < len(row) and row[i][0]:
                found.setdefault(row[i][1], []).append(c)
        out.append([tuple(m) for m in found.values()])
    return out


def told_apart(rows: Sequence[Sequence[Row]], a: int, b: int, authors: bool) -> bool:
    """Whether a grouping separates candidates `a` and `b`: S*'s when their signatures differ; the
    authors' when on some input both ran to completion with different outputs."""
    if not authors:
        return list(rows[a]) != list(rows[b])
    return any(x[0] and y[0] and x[1] != y[1] for x, y in zip(rows[a], rows[b]))


def mixed_together(rows: Sequence[Sequence[Row]], passed: Sequence[bool], authors: bool) -> bool:
    """Whether some candidate that passes the hidden tests and one that fails them are not told apart."""
    good = [i for i, p in enumerate(passed) if p]
    bad = [i for i, p in enumerate(passed) if not p]
    return any(not told_apart(rows, a, b, authors) for a in good for b in bad)


def authors_picks(inputs: Sequence[Sequence[tuple[int, ...]]], match: Callable[[int, int], tuple[float, float]],
                  n: int) -> set[int]:
    """The authors' tournament (`find_maximum_score_tool_assisted_bt`) on per-input groups: on each
    input with two groups or more, every member pair of two groups scores `match(i, j)` (1/0.5/0)
    for its groups; a group with the unique best score gives each member 1 point. The candidate
    with the most points wins (the first on ties); with none, the authors judge every pair of kept
    candidates by code alone, so any of the `n` may win."""
    score = [0] * n
    for groups in inputs:
        if len(groups) < 2:
            continue
        points = [0.0] * len(groups)
        for a, b in itertools.combinations(range(len(groups)), 2):
            for i in groups[a]:
                for j in groups[b]:
                    si, sj = match(i, j)
                    points[a] += si
                    points[b] += sj
        best = max(points)
        if points.count(best) == 1:
            for i in groups[points.index(best)]:
                score[i] += 1
    if max(score, default=0) == 0:
        return set(range(n))
    return {score.index(max(score))}


def authors_possible(rows: Sequence[Sequence[Row]], group_of: Sequence[int],
                     verdicts: Mapping[tuple[int, int], tuple[float, float]]) -> set[int] | None:
    """Every pick the authors' tournament could make on `rows`, a member pair's verdict being the
    one its groups (`group_of`: S*'s group per candidate) got in `verdicts` ((g, h) with g < h, in
    S*'s 2/1/0, halved here), each unknown one tried in every way; None: too many unknown."""
    inputs = per_input(rows)
    needed = {tuple(sorted((group_of[i], group_of[j])))
              for groups in inputs if len(groups) > 1
              for a, b in itertools.combinations(groups, 2) for i in a for j in b}
    unknown = sorted(needed - set(verdicts))
    if len(unknown) > MAX_UNKNOWN:
        return None
    picks: set[int] = set()
    for combo in itertools.product(OPTIONS, repeat=len(unknown)):
        table = {**verdicts, **dict(zip(unknown, combo))}

        def match(i: int, j: int) -> tuple[float, float]:
            g, h = group_of[i], group_of[j]
            pa, pb = table[(g, h)] if g < h else table[(h, g)][::-1]
            return pa / 2, pb / 2

        picks |= authors_picks(inputs, match, len(rows))
    return picks


def our_possible(clusters: Sequence[Cluster], duels: Sequence[tuple[tuple[int, int], tuple[float, float] | None]],
                 max_groups: int, weight: Callable[[int, int], float] = lambda g, h: 1.0,
                 fallback: int = 0) -> set[int] | None:
    """Every group S*'s tournament could pick: `duels` are (groups, points), None where unknown
    (tried in every way); a duel's points count `weight(g, h)` times. With no duel decided the
    `fallback` group wins (the largest, or the code judge's pick). None: too many unknown."""
    unknown = [k for k, (_, p) in enumerate(duels) if p is None]
    if len(unknown) > MAX_UNKNOWN:
        return None
    n = max(1, min(len(clusters), max_groups))
    picks = set()
    for combo in itertools.product(OPTIONS, repeat=len(unknown)):
        filled = dict(zip(unknown, combo))
        points = [0.0] * len(clusters)
        decided = False
        for k, ((g, h), p) in enumerate(duels):
            pa, pb = filled.get(k, p)
            decided |= pa != pb
            points[g] += weight(g, h) * pa
            points[h] += weight(g, h) * pb
        picks.add(pick_winner(clusters[:n], points[:n]) if decided else fallback)
    return picks


def settled(picks: Iterable[int] | None, passed: Sequence[bool]) -> bool | None:
    """The hidden-test outcome shared by every possible pick; None when they differ (or are not
    known) and the candidates do not all grade alike."""
    if len(set(passed)) == 1:
        return passed[0]
    outcomes = {passed[p] for p in picks} if picks is not None else set()
    return outcomes.pop() if len(outcomes) == 1 else None


def compare(ours: Mapping[str, bool], alternative: Mapping[str, bool | None]) -> dict:
    """Problems solved by S*'s stored pick and by an alternative rule (None: not settled), with
    the problems only one solved (settled ones) and the exact sign test on them."""
    done = {p: v for p, v in alternative.items() if v is not None}
    won = sum(v and not ours[p] for p, v in done.items())
    lost = sum(ours[p] and not v for p, v in done.items())
    return {"problems": len(alternative), "settled": len(done), "unsettled": len(alternative) - len(done),
            "sstar": sum(ours[p] for p in alternative), "alternative": sum(done.values()),
            "sstar_on_settled": sum(ours[p] for p in done), "won": won, "lost": lost,
            "p": round(sign_test(won, lost), 4)}


def samples_compared(by_problem: Mapping[str, tuple[Sequence[tuple[str, bool]], Sequence[tuple[str, bool]]]]
                     ) -> dict:
    """Two temperatures' round-0 samples per problem, each a list of (program, passes the hidden
    tests): problems with a correct sample under each, those only one has (exact sign test),
    correct samples and distinct programs per problem."""
    n = len(by_problem)
    ours = {p: any(ok for _, ok in a) for p, (a, _) in by_problem.items()}
    other = {p: any(ok for _, ok in b) for p, (_, b) in by_problem.items()}
    only_ours = sum(ours[p] and not other[p] for p in by_problem)
    only_other = sum(other[p] and not ours[p] for p in by_problem)

    def mean(values: Iterable[float]) -> float:
        values = list(values)
        return round(sum(values) / len(values), 3) if values else 0.0

    return {"problems": n, "any_correct": sum(ours.values()), "any_correct_other": sum(other.values()),
            "only": only_ours, "only_other": only_other, "p": round(sign_test(only_ours, only_other), 4),
            "correct": mean(sum(ok for _, ok in a) for a, _ in by_problem.values()),
            "correct_other": mean(sum(ok for _, ok in b) for _, b in by_problem.values()),
            "distinct": mean(len({prog for prog, _ in a}) for a, _ in by_problem.values()),
            "distinct_other": mean(len({prog for prog, _ in b}) for _, b in by_problem.values())}


def feedback_counts(lineages: Iterable[Lineage]) -> Counter:
    """The debug requests (each attempt but a lineage's last was sent back with feedback): how
    many showed a failing test count above S*'s 3 (the authors show them all) and how many had a
    passing public test (the authors show those too)."""
    out: Counter = Counter()
    for lineage in lineages:
        for attempt in lineage.attempts[:-1]:
            if attempt.public is None:
                continue
            failing = sum(o.verdict not in FAILED for o in attempt.public.outcomes)
            out["requests"] += 1
            out["more_than_shown"] += failing > SHOWN
            out["with_passing"] += attempt.public.n_passed > 0
            out["hidden_failures"] += max(0, failing - SHOWN)
    return out


def hours(seconds_per_problem: Mapping[str, float | None], tokens: Mapping[str, float], targets: Mapping[str, int]
          ) -> float | None:
    """A dev run's hours at the measured pace: a benchmark without a measured pace gets the pace of
    a measured one scaled by tokens per problem."""
    measured = {b: s for b, s in seconds_per_problem.items() if s}
    if not measured:
        return None
    ref = next(iter(measured))
    total = 0.0
    for b, n in targets.items():
        pace = measured.get(b)
        if pace is None:
            if not tokens.get(b) or not tokens.get(ref):
                return None
            pace = measured[ref] * tokens[b] / tokens[ref]
        total += n * pace
    return total / 3600
