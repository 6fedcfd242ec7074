"""Sampling first-round candidates: one request of n samples per problem, all problems concurrently.

`codesieve generate` and S* stage 1 both call `sample`. Sample `i` of a problem carries seed
`seed + i` (see `codesieve.llm.base`), so behind a completion store a resumed run regenerates
nothing it already has. Progress is reported per problem through a callback; no printing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from codesieve._aio import gather_or_cancel
from codesieve.generate.extract import extract_program
from codesieve.generate.prompts import first_round_request
from codesieve.llm.base import LLM, ChatRequest, Completion
from codesieve.types import Candidate, Problem


@dataclass(frozen=True)
class SampleConfig:
    """How to sample. `temperature=0` with `n=1` is greedy (zero-shot). Part of a run's key
    (`codesieve.runs.identity`); `logprobs`, added later, is left out at its value before it existed."""

    n: int = 8
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 512
    seed: int = 0
    logprobs: bool = field(default=True, metadata={"added": True})


def request_for(problem: Problem, config: SampleConfig) -> ChatRequest:
    """The first-round request of `problem` (prompt from `generate.prompts`)."""
    return first_round_request(problem, n=config.n, temperature=config.temperature, top_p=config.top_p,
                               max_tokens=config.max_tokens, seed=config.seed, logprobs=config.logprobs)


def to_candidate(problem: Problem, completion: Completion, index: int, round: int = 0) -> Candidate:
    """A candidate from a model answer: the extracted full program, with the raw text and scores."""
    return Candidate(
        problem_id=problem.id,
        index=index,
        program=extract_program(problem, completion.text),
        round=round,
        raw=completion.text,
        mean_logprob=completion.mean_logprob,
        completion_tokens=completion.completion_tokens,
    )


async def sample(llm: LLM, problems: Sequence[Problem], config: SampleConfig,
                 on_problem: Callable[[Problem, list[Candidate], list[Completion]], None] | None = None,
                 ) -> list[list[Candidate]]:
    """`config.n` candidates per problem, in problem order. `on_problem` is called as each finishes."""

    async def one(problem: Problem) -> list[Candidate]:
        [completions] = await llm.generate([request_for(problem, config)])
        candidates = [to_candidate(problem, c, c.index) for c in completions]
        if on_problem is not None:
            on_problem(problem, candidates, completions)
        return candidates

    return await gather_or_cancel(*(one(p) for p in problems))


def sample_row(problem: Problem, candidate: Candidate, completion: Completion) -> dict[str, Any]:
    """One line of a samples JSONL file, as `codesieve eval` reads it.

    Continuation tasks (HumanEval) whose program extends the prompt get `completion`; all others
    get the whole program as `solution`. Raw text, confidence and token counts ride along.
    """
    row: dict[str, Any] = {"task_id": problem.id}
    prefix = problem.completion_prefix
    if prefix and candidate.program.startswith(prefix):
        row["completion"] = candidate.program[len(prefix):]
    else:
        row["solution"] = candidate.program
    row.update(index=candidate.index, raw=candidate.raw, mean_logprob=candidate.mean_logprob,
               prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens,
               finish_reason=completion.finish_reason)
    return row
