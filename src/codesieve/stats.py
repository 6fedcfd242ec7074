"""Statistics of results: pass@k, Best-of-k, the exact sign test, 95% intervals and losses.

Pure functions of numbers (numpy, no codesieve import), so every layer above can use them.

Which interval, and why. An accuracy is the share of n problems solved: a binomial count. It gets
the exact Clopper-Pearson interval, not a bootstrap: the bootstrap of 0/40 or 40/40 solved is the
single point [0, 0] or [1, 1], and on our smallest sets (40 CodeContests problems) percentile
bootstraps cover less than they claim; Clopper-Pearson never covers less than 95% and gives the
same numbers every time a report is regenerated. A mean of per-problem fractions (pass@k from n
samples, Best-of-k with ties, a paired difference of accuracies) is not binomial; it gets a
percentile bootstrap over problems with a fixed seed, so it too regenerates identically.
`estimate` picks between the two from the values themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

LEVEL = 0.95
RESAMPLES = 4000
SEED = 0

Tiers = Sequence[Sequence[bool]]


@dataclass(frozen=True)
class Estimate:
    """A value measured on `n` problems with its interval at `level`.

    `format(e, ".1%")` formats all three numbers alike: `66.5% [58.7%, 73.6%]`; `str(e)` is that."""

    value: float
    low: float
    high: float
    n: int
    method: str  # "exact" (Clopper-Pearson) or "bootstrap"
    level: float = LEVEL

    def __format__(self, spec: str) -> str:
        spec = spec or ".1%"
        return f"{self.value:{spec}} [{self.low:{spec}}, {self.high:{spec}}]"

    def __str__(self) -> str:
        return format(self)

    def to_json(self) -> dict[str, float | int | str]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n, "method": self.method,
                "level": self.level}


@dataclass(frozen=True)
class Loss:
    """How much lower `value` is than `reference`, in absolute points (0-100 scale) and relative to
    the reference: 0.80 -> 0.74 is 6 points, 7.5% of the reference. Negative when `value` is higher."""

    points: float
    relative: float  # a fraction of the reference; nan when the reference is 0

    def __str__(self) -> str:
        relative = "n/a" if math.isnan(self.relative) else f"{100 * self.relative:.2f}%"
        return f"{self.points:.2f} points ({relative} of the reference)"


def loss(reference: float, value: float) -> Loss:
    """The loss of `value` against `reference`, both fractions in 0..1."""
    gap = reference - value
    return Loss(100 * gap, gap / reference if reference else math.nan)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimator of pass@k from n samples of which c passed (Chen et al., 2021)."""
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} samples, got {n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def best_of_k(tiers: Tiers, k: int) -> float:
    """Best-of-k (Orlanski et al., 2025): the chance that the top-ranked program of a random
    k-subset of the candidates is correct, ties within the subset broken uniformly at random.

    A ranking is given as tiers of labels, best tier first: `[[False], [True, False]]` is one
    candidate ranked alone on top, then two tied. Exact, not sampled: tier t is the subset's best
    tier with probability (C(n - b_t, k) - C(n - b_t - m_t, k)) / C(n, k), where b_t candidates
    rank above it and m_t are in it; then each of its members is equally likely to be picked. With
    no ties this is the paper's sum over ranks i of C(n - i, k - 1) / C(n, k) * correct(i). k is
    clipped to n, so Best-of-n is top-1 accuracy.
    """
    n = sum(len(t) for t in tiers)
    if n == 0:
        return 0.0
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, n)
    subsets = math.comb(n, k)
    total, above = 0.0, 0
    for tier in tiers:
        m = len(tier)
        if m == 0:
            continue
        p_best = (math.comb(n - above, k) - math.comb(n - above - m, k)) / subsets
        total += p_best * sum(tier) / m
        above += m
    return total


def top1(tiers: Tiers) -> float:
    """The chance that the single selected program is correct (ties broken at random)."""
    return best_of_k(tiers, max(1, sum(len(t) for t in tiers)))


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: the p-value of `wins` against `losses` (the problems only one of
    two paired methods solved) if either were equally likely to win each."""
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(wins, losses) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def proportion(successes: int, n: int, level: float = LEVEL) -> Estimate:
    """`successes` of `n` with its exact (Clopper-Pearson) interval."""
    if not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return Estimate(0.0, 0.0, 1.0, 0, "exact", level)
    tail = (1 - level) / 2
    low = 0.0 if successes == 0 else _solve(lambda p: _at_least(successes, n, p) - tail)
    high = 1.0 if successes == n else _solve(lambda p: tail - _at_most(successes, n, p))
    return Estimate(successes / n, low, high, n, "exact", level)


def bootstrap(values: Sequence[float], level: float = LEVEL, resamples: int = RESAMPLES, seed: int = SEED) -> Estimate:
    """The mean of `values` (one per problem) with its percentile bootstrap interval over problems."""
    n = len(values)
    if n == 0:
        return Estimate(0.0, 0.0, 1.0, 0, "bootstrap", level)
    data = np.asarray(values, dtype=float)
    picks = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    means = np.sort(data[picks].mean(axis=1))
    tail = (1 - level) / 2
    low, high = means[int(tail * resamples)], means[min(resamples - 1, math.ceil((1 - tail) * resamples) - 1)]
    return Estimate(math.fsum(values) / n, float(low), float(high), n, "bootstrap", level)


def estimate(values: Sequence[float | bool], level: float = LEVEL) -> Estimate:
    """The mean of per-problem values with its interval: exact when every value is 0 or 1 (an
    accuracy), else bootstrapped (see the module's docstring)."""
    if all(v in (0, 1) for v in values):
        return proportion(sum(int(v) for v in values), len(values), level)
    return bootstrap([float(v) for v in values], level)


@dataclass(frozen=True)
class Paired:
    """Two methods graded on the same problems: how often each alone solved one, the exact sign
    test on those, and the difference of accuracies (a - b) with its bootstrap interval."""

    n: int
    both: int
    a_only: int
    b_only: int
    p_value: float
    difference: Estimate

    @property
    def neither(self) -> int:
        return self.n - self.both - self.a_only - self.b_only


def paired(a: Mapping[str, bool], b: Mapping[str, bool], level: float = LEVEL) -> Paired:
    """Compare `a` and `b` (problem -> solved) on the problems both have."""
    common = sorted(set(a) & set(b))
    a_only = sum(a[p] and not b[p] for p in common)
    b_only = sum(b[p] and not a[p] for p in common)
    both = sum(a[p] and b[p] for p in common)
    difference = bootstrap([float(a[p]) - float(b[p]) for p in common], level)
    return Paired(len(common), both, a_only, b_only, sign_test(a_only, b_only), difference)


def _at_least(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    return math.fsum(_pmf(i, n, p) for i in range(k, n + 1))


def _at_most(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    return math.fsum(_pmf(i, n, p) for i in range(k + 1))


def _pmf(i: int, n: int, p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return float(i == (0 if p <= 0.0 else n))
    return math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                    + i * math.log(p) + (n - i) * math.log1p(-p))


def _solve(f, lo: float = 0.0, hi: float = 1.0) -> float:
    """The root of `f`, increasing on [lo, hi], by bisection to well below printed precision."""
    for _ in range(60):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
