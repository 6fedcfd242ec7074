"""Accuracy and throughput of a verifier: pure functions of its rankings and its measured time.

A ranking is given as tiers of labels, best tier first: `[[False], [True, False], [False]]`
means one candidate ranked alone on top, then two tied, then one. Candidates a verifier pruned
form the last tier (a system must still return something when it prunes everything).
"""

from __future__ import annotations

from math import comb
from typing import Sequence

Tiers = Sequence[Sequence[bool]]


def best_of_k(tiers: Tiers, k: int) -> float:
    """Best-of-k (Orlanski et al., 2025): the chance that the top-ranked program of a random
    k-subset of the candidates is correct, ties within the subset broken uniformly at random.

    Exact, not sampled: tier t is the subset's best tier with probability
    (C(n - b_t, k) - C(n - b_t - m_t, k)) / C(n, k), where b_t candidates rank above it and m_t
    are in it; then each of its members is equally likely to be picked. With no ties this is
    the paper's sum over ranks i of C(n - i, k - 1) / C(n, k) * correct(i). k is clipped to n,
    so Best-of-n is top-1 accuracy.
    """
    n = sum(len(t) for t in tiers)
    if n == 0:
        return 0.0
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, n)
    subsets = comb(n, k)
    total, above = 0.0, 0
    for tier in tiers:
        m = len(tier)
        if m == 0:
            continue
        p_best = (comb(n - above, k) - comb(n - above - m, k)) / subsets
        total += p_best * sum(tier) / m
        above += m
    return total


def top1(tiers: Tiers) -> float:
    """The chance that the single selected program is correct (ties broken at random)."""
    return best_of_k(tiers, max(1, sum(len(t) for t in tiers)))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
