"""What S* saw and did on one problem, as frozen values: the evidence a report shows and a replay reads.

`SStarEvidence` is one problem's record: the kept candidates, the generated inputs, the behaviour
table (each kept candidate's outcome on each usable input), the groups, the duels between group
representatives and the final decision. A `Duel` holds the inputs that separate its two programs
with both outputs, and how it was decided: by execution, by nothing (no difference), or by a
judge, whose answers (`JudgeAnswer`: one per order, with its full text, the vote read from it and
the log-probability margin where the judge reads one) or output predictions (`OutputPrediction`) are
kept whole. Sides are always the duel's own: `A` is `Duel.a`, whichever order the judge saw.

`to_json()` gives the form the run store keeps (plain JSON; field names are the keys; a field
added later, marked `codesieve.types.ADDED_LATER`, is left out at its default, so older records
write back unchanged) and `from_json()` reads it back, including records stored before these
classes existed (their duels carry `answers` as bare strings and `votes` beside them). Nothing here
imports the rest of the package but its core types: reports and stores read evidence without
pulling in models or executors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from typing import Any, Mapping

from codesieve.types import ADDED_LATER, stored_fields

# how a duel was settled
NO_DIFFERENCE = "no_difference"  # no input tells the two programs apart: a draw
BY_EXECUTION = "execution"  # on every separating input one side failed, always the same side
BY_JUDGE = "judge"  # the judge (`Duel.judge` names which) saw the outputs

# how S* reached its pick (`SStarEvidence.decided_by`)
NO_CANDIDATES = "no_candidates"
ONE_KEPT = "one_kept"  # one candidate had the best public pass rate
ONE_GROUP = "one_group"  # every kept candidate behaved alike
TOURNAMENT = "tournament"  # the duels' points decided
CODE_JUDGE = "code_judge"  # no duel decided anything; the judge picked from the programs alone
LARGEST_GROUP = "largest_group"  # nothing decided: the largest group (then the earliest) won
AGREEMENT = "agreement"  # nothing decided: the group whose outputs agree most with the others' won


@dataclass(frozen=True)
class Observed:
    """What one program did on one input: its verdict (`ok`, `runtime_error`, ...) and what it
    printed or returned, as shown to the judge (cut for length)."""

    verdict: str
    shown: str


@dataclass(frozen=True)
class Behaviour:
    """One row of the behaviour table: a kept candidate's outcome on each usable input, in the
    order of `SStarEvidence.inputs`."""

    candidate: str
    outcomes: tuple[Observed, ...]


@dataclass(frozen=True)
class Group:
    """Kept candidates that behaved identically; `representative` speaks for them in duels.
    `outputs` is the representative's shown output on each input (what the group did)."""

    members: tuple[str, ...]
    representative: str
    outputs: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Separating:
    """An input on which a duel's two programs differ, with what each did (shown as the judge saw it)."""

    input: str
    a: str
    b: str
    a_verdict: str = ""  # empty in records stored before verdicts were kept
    b_verdict: str = ""


@dataclass(frozen=True)
class JudgeAnswer:
    """The judge's answer in one order. `swapped`: the judge saw the duel's B as "A".

    `text` is the whole answer (its reasoning, then the verdict); `vote` is what it was read as,
    in the duel's own sides: "A", "B", "tie", or None when no verdict could be read. A
    log-probability judge sets `margin` = log P(duel's A) - log P(duel's B) for the first answer
    token, and `logprobs` the log-probabilities it read for the two labels as shown (A, B)."""

    swapped: bool
    text: str
    vote: str | None
    tokens: int = 0
    margin: float | None = None
    logprobs: tuple[float, float] | None = None


@dataclass(frozen=True)
class OutputPrediction:
    """A `predict` judge's expected output on one separating input, and the side it matched.
    `copied`: the prediction is a statement example's output for another input, so it cast no
    vote (records stored before the rule read as False)."""

    input: str
    answer: str
    predicted: str | None  # the value read from the answer (repr), None if unreadable
    vote: str | None = None
    copied: bool = field(default=False, metadata=ADDED_LATER)


@dataclass(frozen=True)
class Duel:
    """Two groups' representatives compared on the inputs that separate them.

    `groups` are the group positions, `a`/`b` the representatives' candidate ids; `asked` is the
    model's answer when asked for separating inputs (`inputs_parsed` read from it,
    `inputs_invalid` not). `points` are (A's, B's). With `decided_by == "judge"`, `judge` names
    the registered judge, and `answers` (pairwise judges) or `predictions` (`predict`) hold what it
    said; `margin` is a log-probability judge's mean margin over both orders. `levelled`: the judge
    made the smaller group win by too few votes (S*'s `overrule`), so the duel counts 1-1."""

    groups: tuple[int, int]
    a: str
    b: str
    evidence: tuple[Separating, ...]
    decided_by: str
    points: tuple[float, float]
    asked: str = ""
    inputs_parsed: int = 0
    inputs_invalid: int = 0
    judge: str | None = None
    answers: tuple[JudgeAnswer, ...] = ()
    predictions: tuple[OutputPrediction, ...] = ()
    margin: float | None = None
    levelled: bool = field(default=False, metadata=ADDED_LATER)

    @property
    def votes(self) -> tuple[str | None, ...]:
        """Each answer's (or prediction's) vote, in the duel's sides."""
        return tuple(x.vote for x in (self.answers or self.predictions))

    @property
    def decided(self) -> bool:
        """Whether one side got more points."""
        return self.points[0] != self.points[1]

    @property
    def winner(self) -> str | None:
        """The winning candidate id, when the duel was decided."""
        return None if not self.decided else self.a if self.points[0] > self.points[1] else self.b

    @property
    def tokens(self) -> int:
        """Completion tokens the judge spent on this duel (answers only; predictions are shared)."""
        return sum(x.tokens for x in self.answers)


@dataclass(frozen=True)
class CodeJudgement:
    """The code-only judge's pick when no duel decided: it compared the representatives' programs,
    without outputs, pairwise in both orders; `duels` are those comparisons (with empty evidence)."""

    points: tuple[float, ...]
    duels: tuple[Duel, ...]
    winner_group: int | None  # None: it decided nothing either


@dataclass(frozen=True)
class SStarEvidence:
    """Everything S* saw and did on one problem, and its decision.

    `decided_by` is one of ONE_KEPT, ONE_GROUP, TOURNAMENT, CODE_JUDGE, LARGEST_GROUP, AGREEMENT (or
    NO_CANDIDATES); `winner_group` the winning group's position (None before grouping).
    `inputs_raw` is the model's answer when asked for inputs; `inputs_invalid` counts what could
    not be read from it, `inputs_rejected` the inputs no candidate ran to completion on,
    `inputs_mutated` the mutated public inputs made (S*'s `inputs` option `model+mutants` or
    `model+cheap`), `inputs_edge` the edge cases made, `inputs_generated` the distinct inputs a
    model-written generator gave (stdin tasks), `generator_failed` its runs that gave none and
    `generator_raw` the model's answer it was read from. `rejected_mutated`, `rejected_edge` and
    `rejected_generated` count the inputs of each source that no candidate ran to completion on (of
    `inputs_rejected`, all sources together; the rest are the model's). Records stored before a
    source existed read 0 for it."""

    kept: tuple[str, ...] = ()
    public_rate: float = 0.0
    inputs: tuple[str, ...] = ()
    inputs_raw: str = ""
    inputs_invalid: int = 0
    inputs_rejected: int = 0
    inputs_mutated: int = 0
    inputs_edge: int = field(default=0, metadata=ADDED_LATER)
    inputs_generated: int = field(default=0, metadata=ADDED_LATER)
    generator_failed: int = field(default=0, metadata=ADDED_LATER)
    generator_raw: str = field(default="", metadata=ADDED_LATER)
    rejected_mutated: int = field(default=0, metadata=ADDED_LATER)
    rejected_edge: int = field(default=0, metadata=ADDED_LATER)
    rejected_generated: int = field(default=0, metadata=ADDED_LATER)
    behaviour: tuple[Behaviour, ...] = ()
    groups: tuple[Group, ...] = ()
    duels: tuple[Duel, ...] = ()
    points: tuple[float, ...] = ()
    code_judgement: CodeJudgement | None = None
    winner_group: int | None = None
    decided_by: str = ""
    judge: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stored form: a plain JSON object whose keys are the field names (those added later
        left out at their defaults, `codesieve.types.stored_fields`)."""
        return _plain(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SStarEvidence":
        """Read a stored record, this module's form or the dict traces stored before it."""
        groups = tuple(Group(tuple(g.get("members", ())), g.get("representative", ""), tuple(g.get("outputs", ())))
                       for g in data.get("groups", ()))
        duels = tuple(_duel(d) for d in data.get("duels", ()))
        judged = data.get("code_judgement")
        code = None if not judged else CodeJudgement(
            tuple(judged.get("points", ())), tuple(_duel(d) for d in judged.get("duels", ())),
            judged.get("winner_group"))
        kept = tuple(data.get("kept", ()))
        return cls(
            kept=kept, public_rate=float(data.get("public_rate", 0.0)), inputs=tuple(data.get("inputs", ())),
            inputs_raw=data.get("inputs_raw", ""), inputs_invalid=int(data.get("inputs_invalid", 0)),
            inputs_rejected=int(data.get("inputs_rejected", 0)), inputs_mutated=int(data.get("inputs_mutated", 0)),
            **{name: int(data.get(name, 0)) for name in _SOURCE_COUNTS}, generator_raw=data.get("generator_raw", ""),
            behaviour=tuple(Behaviour(b["candidate"], tuple(Observed(**o) for o in b.get("outcomes", ())))
                            for b in data.get("behaviour", ())),
            groups=groups, duels=duels, points=tuple(float(p) for p in data.get("points", ())),
            code_judgement=code, winner_group=data.get("winner_group"),
            decided_by=data.get("decided_by") or _legacy_decision(kept, groups, duels),
            judge=data.get("judge"),
        )


_SOURCE_COUNTS = ("inputs_edge", "inputs_generated", "generator_failed", "rejected_mutated", "rejected_edge",
                  "rejected_generated")


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in stored_fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _duel(d: Mapping[str, Any]) -> Duel:
    answers = d.get("answers", ())
    if answers and isinstance(answers[0], str):  # stored before JudgeAnswer: texts, votes beside them
        votes = list(d.get("votes", ())) + [None] * len(answers)
        answers = [{"swapped": i == 1, "text": t, "vote": votes[i]} for i, t in enumerate(answers)]
    legacy_judge = "predict" if d.get("predictions") else "verdict-first" if answers else None
    predictions = d.get("predictions", ())
    votes = list(d.get("votes", ())) + [None] * len(predictions)
    return Duel(
        groups=tuple(d.get("groups", (0, 0))), a=d.get("a", ""), b=d.get("b", ""),  # type: ignore[arg-type]
        evidence=tuple(Separating(**e) for e in d.get("evidence", ())),
        decided_by=d.get("decided_by", NO_DIFFERENCE), points=tuple(d.get("points", (1.0, 1.0))),  # type: ignore[arg-type]
        asked=d.get("asked", ""), inputs_parsed=int(d.get("inputs_parsed", 0)),
        inputs_invalid=int(d.get("inputs_invalid", 0)),
        judge=d.get("judge", legacy_judge if d.get("decided_by") == BY_JUDGE else None),
        answers=tuple(JudgeAnswer(a["swapped"], a["text"], a.get("vote"), int(a.get("tokens", 0)), a.get("margin"),
                                  tuple(a["logprobs"]) if a.get("logprobs") else None)  # type: ignore[arg-type]
                      for a in answers),
        predictions=tuple(OutputPrediction(p["input"], p["answer"], p.get("predicted"), p.get("vote", votes[i]),
                                           bool(p.get("copied", False)))
                          for i, p in enumerate(predictions)),
        margin=d.get("margin"), levelled=bool(d.get("levelled", False)),
    )


def _legacy_decision(kept: tuple[str, ...], groups: tuple[Group, ...], duels: tuple[Duel, ...]) -> str:
    if not kept:
        return NO_CANDIDATES
    if len(kept) == 1:
        return ONE_KEPT
    if len(groups) <= 1:
        return ONE_GROUP
    return TOURNAMENT if any(d.decided for d in duels) else LARGEST_GROUP


__all__ = [
    "AGREEMENT", "BY_EXECUTION", "BY_JUDGE", "CODE_JUDGE", "LARGEST_GROUP", "NO_CANDIDATES", "NO_DIFFERENCE",
    "ONE_GROUP", "ONE_KEPT", "TOURNAMENT", "Behaviour", "CodeJudgement", "Duel", "Group", "JudgeAnswer", "Observed",
    "OutputPrediction", "SStarEvidence", "Separating",
]
