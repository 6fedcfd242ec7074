"""Behaviour signatures: what a program did on each input, and groups of programs that did the same.

A program's signature on an input is its output hash when it ran to completion, else its verdict
(`timeout`, `runtime_error`, ...), so programs that crash alike group together. S*, majority-vote
and CodeT group candidates this way (`codesieve.select.cluster`), and so does the `majority`
check (`codesieve.verify.majority`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from codesieve.types import ExecResult, Verdict


@dataclass(frozen=True)
class Cluster:
    """Candidates (indices into the attempts) that behaved identically on every probe input."""

    members: tuple[int, ...]
    signature: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def signature(result: ExecResult, n_inputs: int) -> tuple[str, ...]:
    """One token per input: the output hash, or the verdict when the program did not finish."""
    tokens = []
    for i in range(n_inputs):
        o = result.outcomes[i] if i < len(result.outcomes) else None
        if o is None:
            tokens.append(str(Verdict.NOT_RUN))
        elif o.verdict == Verdict.OK:
            tokens.append(o.output_hash or o.output)
        else:
            tokens.append(str(o.verdict))
    return tuple(tokens)


def clusters(signatures: Sequence[tuple[str, ...]]) -> list[Cluster]:
    """Group equal signatures; largest group first, then by first appearance."""
    members: dict[tuple[str, ...], list[int]] = {}
    for i, sig in enumerate(signatures):
        members.setdefault(sig, []).append(i)
    found = [Cluster(tuple(m), sig) for sig, m in members.items()]
    return sorted(found, key=lambda c: (-c.size, c.members[0]))
