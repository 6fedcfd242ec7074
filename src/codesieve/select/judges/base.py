"""What S*'s judges are given and what they return.

A judge (`codesieve.stages.Judge`) is given the two programs of a duel and the inputs they
differ on (`Disagreement`), and returns a `Judgement`: the points of each side and what it said.
The duel records the judgement as it is (`codesieve.select.evidence.Duel`).
"""

from __future__ import annotations

from dataclasses import dataclass

from codesieve.select import evidence as ev
from codesieve.types import Test, TestOutcome


@dataclass(frozen=True)
class Evidence:
    """One input on which the two programs differ, with what each did."""

    test: Test
    a: TestOutcome
    b: TestOutcome


@dataclass(frozen=True)
class Disagreement:
    """An input on which a duel's two programs differ: as shown to the judge and recorded
    (`shown`), and the run itself when both programs ran on it in this process (`ran`). A stored
    duel judged again (`rejudge`) has only what was shown."""

    shown: ev.Separating
    ran: Evidence | None = None


@dataclass(frozen=True)
class Judgement:
    """A judge's verdict on a duel: the points of A and B (2-0 or 0-2 decides it; 1-1 and 0-0
    leave it level), and what the judge said: its `answers` in both orders (a pairwise judge),
    or its output `predictions` (the predicting judge), with a log-probability judge's mean
    `margin`."""

    points: tuple[float, float]
    answers: tuple[ev.JudgeAnswer, ...] = ()
    predictions: tuple[ev.OutputPrediction, ...] = ()
    margin: float | None = None
