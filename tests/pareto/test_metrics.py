import itertools
import random
from fractions import Fraction
from math import comb

import pytest

from codesieve.pareto.metrics import best_of_k, top1


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
