import asyncio
import json
import math

import numpy as np
import pytest

from codesieve.errors import ConfigError
from codesieve.stages import ProblemCandidates
from codesieve.stats import top1
from codesieve.verify.orm import LogprobOrm, TrainedOrm, load_model, save_model
from codesieve.verify.orm_train import Labelled, cross_fit, fold_of, train

from tests.verify.conftest import ADD, cands


def labelled(pool, problems):
    return [Labelled(problems[pid], tuple(e.candidate for e in es), tuple(e.passed for e in es))
            for pid, es in pool.by_problem().items()]


def test_logprob_ranks_by_mean_logprob_and_missing_last():
    group = ProblemCandidates(ADD, cands(ADD, "a", "b", "c", logprobs=[-0.5, None, -0.1]))
    [scores] = asyncio.run(LogprobOrm().check([group]))
    assert [s.value for s in scores] == [-0.5, -math.inf, -0.1] and all(s.keep for s in scores)


@pytest.mark.parametrize("objective", ["pairwise", "pointwise"])
def test_train_save_load_score_round_trip(tmp_path, pool, problems, objective):
    data = labelled(pool, problems)
    model = train(data, objective)
    save_model(tmp_path / "orm.json", model)
    loaded = load_model(tmp_path / "orm.json")
    assert loaded == model
    groups = [ProblemCandidates(d.problem, d.candidates) for d in data]
    scores = asyncio.run(TrainedOrm(loaded).check(groups))
    # fitted on these very problems, the ranking must beat picking at random
    ranked = [top1([[label] for _, label in sorted(zip([s.value for s in sc], d.passed), key=lambda t: -t[0])])
              for sc, d in zip(scores, data)]
    chance = [sum(d.passed) / len(d.passed) for d in data]
    assert np.mean(ranked) > np.mean(chance) + 0.2
    assert model.trained_on["problems"] == len(data)


def test_cross_fit_never_scores_a_problem_with_a_model_that_saw_it(pool, problems):
    data = labelled(pool, problems)
    models = cross_fit(data, folds=3)
    assert set(models) == {d.problem.id for d in data}
    for d in data:
        assert models[d.problem.id].trained_on["problems"] == sum(
            fold_of(e.problem.id, 3) != fold_of(d.problem.id, 3) for e in data)


def test_training_needs_mixed_labels():
    data = [Labelled(ADD, cands(ADD, "def add(a, b):\n    return a + b\n"), (True,))]
    with pytest.raises(ConfigError, match="both passing and failing"):
        train(data)
    with pytest.raises(ConfigError, match="unknown ORM objective"):
        train(data, "listwise")


def test_bad_artefacts_say_how_to_fix(tmp_path):
    with pytest.raises(ConfigError, match="codesieve orm train"):
        load_model(tmp_path / "missing.json")
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"format": "codesieve-orm", "version": 1, "features": ["x"]}))
    with pytest.raises(ConfigError, match="other features"):
        load_model(path)
    path.write_text("[]")
    with pytest.raises(ConfigError, match="not an ORM artefact"):
        load_model(path)
