"""Self-debugging: show the model how its program failed the public tests, ask for a fix.

Feedback is real execution evidence (`codesieve.generate.public` runs the tests; the words are in
`codesieve.generate.prompts`): for each failing public test the input, the expected output, what
the program printed or returned, and the exception with the tail of its traceback, or that it
timed out. Every earlier round stays in the request, so the model sees what it already tried, in
one of two prompt styles (`prompts.DEBUG_PROMPTS`): `conversation` replays each answer as an
assistant turn followed by its feedback; `quoted` puts the problem, each earlier program and its
feedback in a single user turn. Greedy decoding tends to repeat its own assistant turn verbatim;
quoting the program as the user's evidence is the alternative bench/debug_variants.py measures.
All failing samples of all problems are debugged in one
concurrent batch per round; a sample stops as soon as it passes every public test, and, with
`stop_repeated`, once a greedy answer returns the very program it was asked to fix: the next
greedy round then almost always repeats it again, and in the committed benchmark runs none of the
1,061 second rounds after such a repeat fixed anything (docs/sstar.md).

A sample's *best* revision (highest public pass rate, latest on ties) is what selection uses,
so a round that makes things worse does not cost the earlier progress.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from codesieve.execution.interface import JobRunner
from codesieve.generate.prompts import debug_messages
from codesieve.generate.public import run_public
from codesieve.generate.sample import to_candidate
from codesieve.llm.base import LLM, ChatRequest
from codesieve.types import Attempt, Problem


@dataclass(frozen=True)
class Lineage:
    """One sample and its debug revisions, each with its public-test result, oldest first."""

    attempts: tuple[Attempt, ...]

    @property
    def last(self) -> Attempt:
        return self.attempts[-1]

    @property
    def best(self) -> Attempt:
        return max(reversed(self.attempts), key=lambda a: a.public_rate)

    @property
    def solved(self) -> bool:
        return self.last.public is None or self.last.public.passed

    @property
    def repeated(self) -> bool:
        """The last revision is the program it was asked to fix."""
        return len(self.attempts) > 1 and self.last.candidate.program == self.attempts[-2].candidate.program

    def debuggable(self, stop_repeated: bool) -> bool:
        """Worth another round: unsolved, and (with `stop_repeated`) not stuck on a repeated program."""
        return not self.solved and not (stop_repeated and self.repeated)


async def debug_round(llm: LLM, executor: JobRunner, items: Sequence[tuple[Problem, ChatRequest, Lineage]], *,
                      max_tokens: int, seed: int, temperature: float = 0.0, top_p: float = 1.0,
                      style: str = "conversation", stop_repeated: bool = False) -> list[Lineage]:
    """One round for every lineage still `debuggable`: ask for fixes concurrently, test them,
    extend lineages.

    `items` pairs each lineage with its problem and the first-round request it came from.
    Other lineages come back unchanged. Answers are greedy unless `temperature` is set
    (`stop_repeated` is meant for greedy rounds: a sampled answer may differ next time); `style` is
    the prompt style (`prompts.DEBUG_PROMPTS`).
    """
    todo = [k for k, (_, _, lineage) in enumerate(items) if lineage.debuggable(stop_repeated)]
    requests = [ChatRequest(messages=debug_messages(items[k][1], items[k][2].attempts, items[k][0], style),
                            temperature=temperature,
                            top_p=top_p if temperature else 1.0, max_tokens=max_tokens, seed=seed) for k in todo]
    answers = await llm.generate(requests) if requests else []
    fresh = []
    for k, answer in zip(todo, answers):
        problem, _, lineage = items[k]
        last = lineage.last.candidate
        fresh.append((problem, to_candidate(problem, answer[0], last.index, last.round + 1)))
    attempts = await run_public(executor, fresh)
    out = [lineage for _, _, lineage in items]
    for k, attempt in zip(todo, attempts):
        out[k] = replace(out[k], attempts=out[k].attempts + (attempt,))
    return out
