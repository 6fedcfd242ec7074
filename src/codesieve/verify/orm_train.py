"""Training the outcome reward model on execution-labelled candidates, in numpy.

Two objectives over the same features. "pairwise" (Bradley-Terry) fits P(a beats b) =
sigmoid(w · (x_a - x_b)) on every (passing, failing) pair of one problem: it learns only what
separates siblings, which is all a ranker needs. "pointwise" is logistic regression on the label.
Each problem carries equal total weight, so problems with many candidates do not dominate. The
fit is Newton's method on an L2-regularised log-loss: a few dozen features, so it takes
milliseconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from codesieve.errors import ConfigError
from codesieve.types import Candidate, Problem
from codesieve.verify.features import FEATURES, featurize
from codesieve.verify.orm import OrmModel

OBJECTIVES = ("pairwise", "pointwise")


@dataclass(frozen=True)
class Labelled:
    """The candidates of one problem with their labels (passed every hidden test)."""

    problem: Problem
    candidates: tuple[Candidate, ...]
    passed: tuple[bool, ...]


@dataclass(frozen=True)
class _Matrix:
    problem_id: str
    x: np.ndarray
    y: np.ndarray


def train(data: Sequence[Labelled], objective: str = "pairwise", l2: float = 1.0) -> OrmModel:
    return _fit(featurize_all(data), objective, l2)


def cross_fit(data: Sequence[Labelled], folds: int, objective: str = "pairwise",
              l2: float = 1.0) -> dict[str, OrmModel]:
    """For each problem, a model trained only on the problems of the other folds."""
    if folds < 2:
        raise ConfigError(f"cross-fitting needs at least 2 folds, got {folds}")
    mats = featurize_all(data)
    models = [_fit([m for m in mats if fold_of(m.problem_id, folds) != f], objective, l2) for f in range(folds)]
    return {m.problem_id: models[fold_of(m.problem_id, folds)] for m in mats}


def fold_of(problem_id: str, folds: int) -> int:
    """A problem's fold: stable across runs and machines (a hash of its id)."""
    return int.from_bytes(hashlib.sha256(problem_id.encode()).digest()[:4], "big") % folds


def featurize_all(data: Sequence[Labelled]) -> list[_Matrix]:
    return [_Matrix(d.problem.id, featurize(d.problem, d.candidates), np.asarray(d.passed, dtype=float))
            for d in data if d.candidates]


def _fit(mats: Sequence[_Matrix], objective: str, l2: float) -> OrmModel:
    if objective not in OBJECTIVES:
        raise ConfigError(f"unknown ORM objective {objective!r}; choose one of {', '.join(OBJECTIVES)}")
    if not mats:
        raise ConfigError("no candidates to train the ORM on")
    everything = np.vstack([m.x for m in mats])
    mean = everything.mean(axis=0)
    scale = everything.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs, ys, weights = [], [], []
    n_rows = 0
    for m in mats:
        z = (m.x - mean) / scale
        if objective == "pairwise":
            good, bad = z[m.y > 0.5], z[m.y <= 0.5]
            if len(good) == 0 or len(bad) == 0:
                continue
            rows = (good[:, None, :] - bad[None, :, :]).reshape(-1, z.shape[1])
            labels = np.ones(len(rows))
        else:
            rows, labels = z, m.y
        xs.append(rows)
        ys.append(labels)
        weights.append(np.full(len(rows), 1.0 / len(rows)))
        n_rows += len(rows)
    if not xs:
        raise ConfigError("the ORM needs problems with both passing and failing candidates to learn from")
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(weights)
    if objective == "pointwise":
        x = np.hstack([x, np.ones((len(x), 1))])
    coef = _newton(x, y, w, l2, free_last=objective == "pointwise")
    bias = float(coef[-1]) if objective == "pointwise" else 0.0
    n_candidates = sum(len(m.y) for m in mats)
    return OrmModel(
        objective=objective, features=FEATURES, mean=tuple(map(float, mean)), scale=tuple(map(float, scale)),
        weights=tuple(map(float, coef[:len(FEATURES)])), bias=bias,
        trained_on={"problems": len(mats), "candidates": n_candidates,
                    "passing": int(sum(m.y.sum() for m in mats)), "rows": n_rows, "l2": l2},
    )


def _newton(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, free_last: bool) -> np.ndarray:
    """Minimise sum_i w_i logloss(y_i, sigmoid(x_i · c)) + l2/2 |c|^2 (last term unpenalised if free)."""
    penalty = np.full(x.shape[1], l2)
    if free_last:
        penalty[-1] = 0.0
    coef = np.zeros(x.shape[1])
    for _ in range(100):
        p = 0.5 * (1.0 + np.tanh(0.5 * (x @ coef)))
        grad = x.T @ (w * (p - y)) + penalty * coef
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        coef -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return coef
