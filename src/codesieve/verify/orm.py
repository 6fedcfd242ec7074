"""Outcome reward models: score a program without running it.

- `orm:logprob`: the generator's mean token log-probability.
- `orm:trained`: a linear model over `features.FEATURES`, trained by `orm_train` on candidates
  labelled by execution and stored as a small JSON artefact (no pickle: artefacts are data).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from codesieve.errors import ConfigError
from codesieve.stages import ProblemCandidates, Score
from codesieve.verify.features import FEATURES, featurize

ARTEFACT_FORMAT = "codesieve-orm"
ARTEFACT_VERSION = 1


class LogprobOrm:
    """Ranks by mean token log-probability; candidates without one rank last."""

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        return [[_logprob_score(c.mean_logprob) for c in g.candidates] for g in groups]


def _logprob_score(logprob: float | None) -> Score:
    if logprob is None or not math.isfinite(logprob):
        return Score(True, -math.inf, note="no logprob")
    return Score(True, logprob)


@dataclass(frozen=True)
class OrmModel:
    """score = bias + weights · (x - mean) / scale, over the named features.

    `objective` says how it was fitted: "pairwise" (Bradley-Terry on pairs of a passing and a
    failing candidate of one problem) or "pointwise" (logistic regression on the label).
    """

    objective: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float = 0.0
    trained_on: Mapping[str, Any] = field(default_factory=dict)

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias


class TrainedOrm:
    """Ranks by a trained `OrmModel`. Featurizing a group compares siblings, so cost is per group."""

    def __init__(self, model: OrmModel):
        self.model = model

    async def check(self, groups: Sequence[ProblemCandidates]) -> list[list[Score]]:
        out = []
        for group in groups:
            start = time.perf_counter()
            values = self.model.score(featurize(group.problem, group.candidates)) if group.candidates else []
            each = (time.perf_counter() - start) / max(len(group.candidates), 1)
            out.append([Score(True, float(v), each) for v in values])
        return out


def save_model(path: str | Path, model: OrmModel) -> None:
    data = {"format": ARTEFACT_FORMAT, "version": ARTEFACT_VERSION, "objective": model.objective,
            "features": list(model.features), "mean": list(model.mean), "scale": list(model.scale),
            "weights": list(model.weights), "bias": model.bias, "trained_on": dict(model.trained_on)}
    Path(path).write_text(json.dumps(data, indent=1) + "\n")


def load_model(path: str | Path) -> OrmModel:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"ORM artefact not found: {path}; train one with `codesieve orm train POOL -o {path}`")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not an ORM artefact ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != ARTEFACT_FORMAT:
        raise ConfigError(f"{path}: not an ORM artefact (format must be {ARTEFACT_FORMAT!r})")
    if data.get("version") != ARTEFACT_VERSION:
        raise ConfigError(f"{path}: ORM artefact version {data.get('version')!r}; this codesieve reads "
                          f"version {ARTEFACT_VERSION}: retrain with `codesieve orm train`")
    if tuple(data.get("features", ())) != FEATURES:
        raise ConfigError(f"{path}: the artefact uses other features than this codesieve computes; "
                          f"retrain it with `codesieve orm train`")
    try:
        vectors = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "weights")]
        bias = float(data.get("bias", 0.0))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed ORM artefact ({exc!r})") from exc
    if any(len(v) != len(FEATURES) for v in vectors):
        raise ConfigError(f"{path}: malformed ORM artefact (vector lengths differ from the feature count)")
    return OrmModel(str(data.get("objective", "")), FEATURES, *vectors, bias=bias,
                    trained_on=data.get("trained_on") or {})
