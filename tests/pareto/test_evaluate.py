import asyncio

import pytest

from codesieve.errors import ConfigError
from codesieve.pareto.evaluate import DEFAULT_GRID, CrossFitted, evaluate, pool_groups, score_run
from codesieve.stages import Toolbox
from codesieve.verify.cascade import CascadeResult, Pruned, Ranking, StageReport
from codesieve.verify.orm import TrainedOrm
from codesieve.verify.orm_train import Labelled, cross_fit
from codesieve.verify.spec import parse_cascade


def test_score_run_counts_pruned_correct_programs_and_ranks_pruned_last():
    result = CascadeResult(
        "lint > orm:x",
        (Ranking("a", ((1,), (2,)), (Pruned(0, "lint", "undefined name"),)),
         Ranking("b", (), (Pruned(0, "lint", ""), Pruned(1, "lint", "")))),
        (StageReport("lint", 0.5, 5, 3), StageReport("orm:x", 0.5, 2, 0)), 2.0, 5)
    point = score_run(result, [[True, False, True], [False, True]], k=3)
    # problem a: the top pick (1) is wrong; problem b: everything pruned, random pick of 2
    assert point.top1 == pytest.approx((0.0 + 0.5) / 2)
    assert point.pps == 2.5 and point.seconds == 2.0
    assert [(s.stage, s.pruned_correct) for s in point.stages] == [("lint", 2), ("orm:x", 0)]


def test_the_grid_parses_and_checks_the_top_m_below_the_pool_size_behind_every_prefix():
    parsed = [parse_cascade(s) for s in DEFAULT_GRID]
    assert [str(c) for c in parsed] == list(DEFAULT_GRID) and len(set(DEFAULT_GRID)) == len(DEFAULT_GRID)
    top_m = {s.split(" > orm:")[0] if " > orm:" in s else "" for s, c in zip(DEFAULT_GRID, parsed)
             if c.stages[-1].name == "tests" and (c.stages[-1].top or 16) < 16}
    assert top_m == {"", "syntax", "syntax > lint", "public/0.1s"}
    assert {c.stages[-1].top for c in parsed if str(c).startswith("orm:logprob > tests:")} >= {1, 2, 4, 8, 16}


def test_pool_groups_needs_every_problem(pool, problems):
    groups, labels = pool_groups(pool, list(problems.values()))
    assert [len(g.candidates) for g in groups] == [len(y) for y in labels]
    with pytest.raises(ConfigError, match="which benchmark 'humaneval\\+' lacks"):
        pool_groups(pool, list(problems.values())[1:])


def test_cross_fitted_routes_each_problem_to_its_model(pool, problems):
    groups, labels = pool_groups(pool, list(problems.values()))
    data = [Labelled(g.problem, g.candidates, tuple(y)) for g, y in zip(groups, labels)]
    models = cross_fit(data, 3)
    routed = asyncio.run(CrossFitted({p: TrainedOrm(m) for p, m in models.items()}).check(groups))
    for group, scores in zip(groups, routed):
        direct = asyncio.run(TrainedOrm(models[group.problem.id]).check([group]))[0]
        assert [s.value for s in scores] == [s.value for s in direct]
    with pytest.raises(ConfigError, match="no cross-fitted ORM"):
        asyncio.run(CrossFitted({}).check(groups[:1]))


def test_evaluate_measures_the_reference_and_every_spec(pool, problems, executor):
    small = pool.only(list(pool.by_problem())[:5])
    groups, labels = pool_groups(small, list(problems.values()))
    seen = []
    ev = asyncio.run(evaluate(groups, labels, ["syntax > orm:logprob", "tests:1"], Toolbox(executor=executor), k=8,
                              repeats=2, progress=seen.append))
    assert [p.spec for p in ev.points] == ["full", "syntax > orm:logprob", "tests:1"] == [p.spec for p in seen]
    assert ev.reference.bok == pytest.approx(ev.oracle)  # full tests are the labels
    assert all(0 <= p.bok <= ev.oracle + 1e-9 and p.pps > 0 for p in ev.points)
    assert ev.candidates == len(small.entries) and ev.warmup_s >= 0
