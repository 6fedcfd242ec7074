import pytest

from codesieve.errors import ConfigError
from codesieve.pareto.frontier import Point, choose, dominates, frontier, ranked


def pt(spec, bok, pps):
    return Point(spec, bok, bok, pps, 1.0)


POINTS = [pt("full", 0.80, 10), pt("a", 0.79, 200), pt("b", 0.70, 150), pt("c", 0.60, 1000),
          pt("d", 0.80, 5), pt("e", 0.75, 200)]


def test_frontier_keeps_exactly_the_undominated_points():
    assert [p.spec for p in frontier(POINTS)] == ["c", "a", "full"]
    assert dominates(POINTS[0], POINTS[4]) and not dominates(POINTS[0], POINTS[0])


def test_choose_within_loss_takes_the_fastest():
    assert choose(POINTS, POINTS[0], max_loss_points=2).spec == "a"
    assert choose(POINTS, POINTS[0], max_loss_points=0).spec == "full"
    assert choose(POINTS, POINTS[0], max_loss_points=30).spec == "c"


def test_choose_within_budget_takes_the_most_accurate():
    assert choose(POINTS, POINTS[0], budget_pps=100).spec == "a"
    assert choose(POINTS, POINTS[0], budget_pps=5000) is None


def test_choose_needs_exactly_one_budget():
    with pytest.raises(ConfigError):
        choose(POINTS, POINTS[0])
    with pytest.raises(ConfigError):
        choose(POINTS, POINTS[0], budget_pps=1, max_loss_points=1)


def test_ranked_lists_every_qualifying_point_best_first():
    assert [p.spec for p in ranked(POINTS, POINTS[0], max_loss_points=5)] == ["a", "e", "full", "d"]
    assert [p.spec for p in ranked(POINTS, POINTS[0], budget_pps=150)] == ["a", "e", "b", "c"]


def test_a_relative_loss_is_a_share_of_the_reference():
    # 5% of full's 80% is 4 points: a (1.25% lost) and e (6.25%) either side of it
    assert [p.spec for p in ranked(POINTS, POINTS[0], max_loss_relative=0.05)] == ["a", "full", "d"]
    assert [p.spec for p in ranked(POINTS, POINTS[0], max_loss_relative=0.0625)] == ["a", "e", "full", "d"]  # inclusive
    assert choose(POINTS, POINTS[0], max_loss_relative=0.25).spec == "c"
    with pytest.raises(ConfigError):
        choose(POINTS, POINTS[0], max_loss_points=1, max_loss_relative=0.01)
