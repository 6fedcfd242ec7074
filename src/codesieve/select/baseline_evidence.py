"""What the baselines saw and did on one problem, as frozen values (S*'s is in `evidence`).

Field names are the keys of the JSON the run store keeps, the same as the dict traces these
selectors stored before, so old records read into these classes (`codesieve.store.records`).
Nothing here imports the rest of the package beyond `evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass

from codesieve.select.evidence import Group


@dataclass(frozen=True)
class PublicFilterEvidence:
    """public-filter: the candidates with the best public pass rate, among which one was drawn."""

    kept: tuple[str, ...] = ()


@dataclass(frozen=True)
class MajorityEvidence:
    """majority-vote: the public-test survivors, the generated inputs they ran on (as shown; the
    model's answer, what could not be read, what no candidate finished on) and their groups."""

    kept: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    inputs_invalid: int = 0
    inputs_rejected: int = 0
    inputs_raw: str = ""
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class ConsensusSet:
    """CodeT: candidates passing exactly the same generated tests (`passed`: their positions),
    scored (candidates) x (tests passed)."""

    members: tuple[str, ...]
    passed: tuple[str, ...]
    score: int


@dataclass(frozen=True)
class CodeTEvidence:
    """CodeT: the model's tests (`input -> expected`), its answer, what could not be read, and
    the consensus sets, best first."""

    tests: tuple[str, ...] = ()
    tests_invalid: int = 0
    tests_raw: str = ""
    sets: tuple[ConsensusSet, ...] = ()


@dataclass(frozen=True)
class JudgeEvidence:
    """llm-judge: the distinct programs shown (candidate ids), the judge's answer and the choice
    read from it (a position in `shown`; None when it could not be read)."""

    shown: tuple[str, ...] = ()
    answer: str = ""
    choice: int | None = None


@dataclass(frozen=True)
class MbrExecEvidence:
    """mbr-exec: the public-test survivors, the generated inputs they ran on (as for majority-vote),
    and each survivor's agreement score (in the order of `kept`): over the inputs, how many others
    gave the same output."""

    kept: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    inputs_invalid: int = 0
    inputs_rejected: int = 0
    inputs_raw: str = ""
    scores: tuple[int, ...] = ()
