"""codesieve.stats: Best-of-k against enumeration, the sign test and the intervals against
their definitions, losses both ways."""

import itertools
import math
import random
from fractions import Fraction
from math import comb

import pytest

from codesieve import stats
from codesieve.stats import best_of_k, top1


def brute_force(tiers, k):
    """Average over every k-subset; within the subset's best tier each member is equally likely."""
    flat = [(t, label) for t, tier in enumerate(tiers) for label in tier]
    subsets = list(itertools.combinations(flat, min(k, len(flat))))
    total = Fraction(0)
    for subset in subsets:
        best = min(t for t, _ in subset)
        top = [label for t, label in subset if t == best]
        total += Fraction(sum(top), len(top))
    return float(total / len(subsets))


@pytest.mark.parametrize("seed", range(40))
def test_matches_enumeration_with_ties(seed):
    rng = random.Random(seed)
    tiers = [[rng.random() < 0.4 for _ in range(rng.randint(1, 3))] for _ in range(rng.randint(1, 4))]
    n = sum(map(len, tiers))
    for k in range(1, n + 2):
        assert best_of_k(tiers, k) == pytest.approx(brute_force(tiers, k), abs=1e-12)


def test_without_ties_is_the_papers_formula():
    labels = [False, True, False, True, True, False]
    n = len(labels)
    for k in range(1, n + 1):
        expected = sum(comb(n - i, k - 1) * labels[i - 1] for i in range(1, n + 1)) / comb(n, k)
        assert best_of_k([[x] for x in labels], k) == pytest.approx(expected)


def test_best_of_one_ignores_the_ranking_and_best_of_n_is_top1():
    tiers = [[False], [True, False], [True]]
    assert best_of_k(tiers, 1) == pytest.approx(0.5)  # a random single sample
    assert top1(tiers) == best_of_k(tiers, 4) == pytest.approx(0.0)
    assert top1([[True, False], [False]]) == pytest.approx(0.5)


def test_edge_cases():
    assert best_of_k([], 3) == 0.0
    assert best_of_k([[], [True]], 5) == 1.0
    with pytest.raises(ValueError):
        best_of_k([[True]], 0)


def test_pass_at_k_is_the_unbiased_estimator():
    assert stats.pass_at_k(10, 0, 1) == 0.0 and stats.pass_at_k(10, 10, 5) == 1.0
    assert stats.pass_at_k(10, 3, 1) == pytest.approx(0.3)
    assert stats.pass_at_k(5, 1, 2) == pytest.approx(1 - comb(4, 2) / comb(5, 2))
    with pytest.raises(ValueError, match="pass@3 needs at least 3"):
        stats.pass_at_k(2, 1, 3)


def test_sign_test_is_exact_and_two_sided():
    assert stats.sign_test(0, 0) == 1.0
    assert stats.sign_test(5, 0) == pytest.approx(2 / 32)
    assert stats.sign_test(6, 0) == pytest.approx(2 / 64)
    assert stats.sign_test(3, 3) == 1.0
    assert stats.sign_test(1, 9) == stats.sign_test(9, 1)
    # the binomial tail by hand: P(X <= 10) for X ~ Bin(34, 1/2), doubled
    assert stats.sign_test(24, 10) == pytest.approx(2 * sum(comb(34, i) for i in range(11)) / 2 ** 34)
    assert 0 < stats.sign_test(200, 0) < 1e-50  # tiny, not rounded to zero


def binomial_tail_at_least(x, n, p):
    return sum(Fraction(comb(n, i)) * Fraction(p) ** i * (1 - Fraction(p)) ** (n - i) for i in range(x, n + 1))


@pytest.mark.parametrize("x, n", [(5, 10), (1, 40), (3, 40), (109, 164), (61, 100)])
def test_proportion_interval_is_clopper_pearson(x, n):
    e = stats.proportion(x, n)
    assert e.value == x / n and e.n == n and e.method == "exact" and e.low < e.value < e.high
    # the defining equations: P(X >= x | low) = 2.5% and P(X <= x | high) = 2.5%
    assert float(binomial_tail_at_least(x, n, e.low)) == pytest.approx(0.025, abs=1e-9)
    assert float(1 - binomial_tail_at_least(x + 1, n, e.high)) == pytest.approx(0.025, abs=1e-9)


def test_proportion_interval_at_the_edges_and_known_values():
    assert stats.proportion(5, 10).low == pytest.approx(0.18709, abs=1e-5)  # textbook values
    assert stats.proportion(5, 10).high == pytest.approx(0.81291, abs=1e-5)
    none, every = stats.proportion(0, 10), stats.proportion(10, 10)
    assert none.low == 0.0 and none.high == pytest.approx(1 - 0.025 ** (1 / 10))
    assert every.high == 1.0 and every.low == pytest.approx(0.025 ** (1 / 10))
    assert (stats.proportion(0, 0).low, stats.proportion(0, 0).high) == (0.0, 1.0)  # nothing measured
    with pytest.raises(ValueError):
        stats.proportion(3, 2)


def test_bootstrap_interval_is_seeded_and_covers_the_mean():
    values = [0.0, 0.25, 0.5, 1.0] * 25
    e = stats.bootstrap(values)
    assert e.method == "bootstrap" and e.n == 100 and e.value == pytest.approx(0.4375)
    assert e.low < e.value < e.high and stats.bootstrap(values) == e  # regenerates identically
    # the standard error of the mean is about 0.037 here: a 95% interval about +-1.96 of them
    sd = math.sqrt(sum((v - e.value) ** 2 for v in values) / len(values)) / math.sqrt(len(values))
    assert e.high - e.low == pytest.approx(2 * 1.96 * sd, rel=0.1)
    assert stats.bootstrap([0.5] * 10) == stats.Estimate(0.5, 0.5, 0.5, 10, "bootstrap")


def test_estimate_is_exact_for_accuracies_and_bootstrapped_otherwise():
    assert stats.estimate([True, False, True, True]) == stats.proportion(3, 4)
    assert stats.estimate([1, 0, 0]).method == "exact"
    assert stats.estimate([1.0, 0.5]).method == "bootstrap"


def test_estimate_formats_all_three_numbers_alike():
    e = stats.Estimate(0.665, 0.587, 0.736, 164, "exact")
    assert str(e) == "66.5% [58.7%, 73.6%]" and f"{e:.3f}" == "0.665 [0.587, 0.736]"
    assert e.to_json() == {"value": 0.665, "low": 0.587, "high": 0.736, "n": 164, "method": "exact", "level": 0.95}


def test_paired_counts_problems_one_side_solved_and_tests_them():
    a = {f"p{i}": i < 8 for i in range(10)}
    b = {f"p{i}": i in (0, 9) for i in range(10)} | {"extra": True}  # not in a: not compared
    result = stats.paired(a, b)
    assert (result.n, result.both, result.a_only, result.b_only, result.neither) == (10, 1, 7, 1, 1)
    assert result.p_value == stats.sign_test(7, 1)
    assert result.difference.value == pytest.approx(0.6) and result.difference.low < 0.6 < result.difference.high


def test_loss_is_given_in_points_and_relative_to_the_reference():
    lost = stats.loss(0.80, 0.74)
    assert lost.points == pytest.approx(6.0) and lost.relative == pytest.approx(0.075)
    assert str(lost) == "6.00 points (7.50% of the reference)"
    assert stats.loss(0.5, 0.6).points == pytest.approx(-10.0)  # a gain is a negative loss
    assert math.isnan(stats.loss(0.0, 0.0).relative) and "n/a" in str(stats.loss(0.0, 0.0))
