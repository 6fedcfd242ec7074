"""One strategy against another on the same problems: the problems only one of them solved and the
exact sign test on those, stated plainly."""

from __future__ import annotations

from typing import Any, Collection, Mapping

from codesieve.stats import sign_test

SIGNIFICANT = 0.05


def p_value(wins: int, losses: int) -> float:
    """The sign test's p-value to 3 significant digits, as results report it."""
    return float(f"{sign_test(wins, losses):.3g}")


def verdict(ours: str, baseline: str, wins: int, losses: int, p: float) -> str:
    """Who is ahead, and whether the sign test says it is more than chance."""
    if wins > losses:
        return f"{ours} beats it" if p < SIGNIFICANT else f"{ours} ahead, not significant"
    if wins < losses:
        return f"{baseline} beats {ours}" if p < SIGNIFICANT else f"{baseline} ahead, not significant"
    return "tie"


def comparison(results: Mapping[str, Mapping[str, bool]], done: Collection[str], ours: str, baseline: str,
               solvable: Mapping[str, bool]) -> tuple[str, dict[str, Any]]:
    """Whether `ours` beats `baseline` on the problems in `done` (`results`: strategy -> problem ->
    solved); of the problems only the baseline solved, how many `ours` could not have solved
    (`solvable`: whether the problem has a correct candidate of ours)."""
    wins = sum(results[ours][p] and not results[baseline][p] for p in done)
    lost = [p for p in done if results[baseline][p] and not results[ours][p]]
    p = p_value(wins, len(lost))
    said = verdict(ours, baseline, wins, len(lost), p)
    return said, {"ours_only": wins, "baseline_only": len(lost), "p_value": p, "verdict": said,
                  "baseline_only_no_correct_candidate": sum(not solvable.get(q, False) for q in lost)}
