"""Self-debugging: show the model how its program failed the public tests, ask for a fix.

Feedback is real execution evidence: for each failing public test the input, the expected
output, what the program printed or returned, and the exception with the tail of its traceback,
or that it timed out. Every earlier round stays in the request, so the model sees what it already
tried, in one of two prompt styles (`DEBUG_PROMPTS`): `conversation` replays each answer as an
assistant turn followed by its feedback; `quoted` puts the problem, each earlier program and its
feedback in a single user turn. Greedy decoding tends to repeat its own assistant turn verbatim;
quoting the program as the user's evidence is the alternative bench/debug_variants.py measures.
All failing samples of all problems are debugged in one
concurrent batch per round; a sample stops as soon as it passes every public test.

A sample's *best* revision (highest public pass rate, latest on ties) is what selection uses,
so a round that makes things worse does not cost the earlier progress.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from codesieve.errors import ConfigError
from codesieve.execution.interface import JobRunner
from codesieve.execution.job import Job
from codesieve.generate.prompts import ANSWER_FORMAT
from codesieve.generate.sample import to_candidate
from codesieve.llm.base import LLM, ChatRequest, Message
from codesieve.problems.calls import function_name, read_calls
from codesieve.text import clip
from codesieve.types import (AssertTest, Attempt, CallTest, Candidate, ExecResult, Problem, StdioTest, TaskKind,
                             Test, TestOutcome, Verdict)

MAX_SHOWN = 3  # failing tests shown per round
TEXT_CHARS = 300
TRACE_LINES = 6
DEBUG_PROMPTS = ("conversation", "quoted")
FIX = "Fix the program. Answer with the complete corrected program in one ```python block."


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


def _shown(text: str, limit: int = TEXT_CHARS) -> str:
    return clip(text.rstrip("\n"), limit)


def _describe_input(problem: Problem, test: Test) -> str:
    if isinstance(test, CallTest):
        call = f"{function_name(problem)}({', '.join(repr(a) for a in test.args)})"
        return f"Input: {_shown(call)}\nExpected: {_shown(repr(test.expected))}"
    if isinstance(test, StdioTest):
        return f"Input:\n{_shown(test.input)}\nExpected output:\n{_shown(test.output or '')}"
    if isinstance(test, AssertTest):
        return f"Test:\n{_shown(test.code, 600)}"
    return f"Test: {test!r}"


def _describe_outcome(outcome: TestOutcome, test: Test, time_limit_s: float) -> str:
    if outcome.verdict == Verdict.TIMEOUT:
        return f"Result: timed out (over {time_limit_s:g} s); look for an infinite loop or a slow algorithm."
    lines = []
    if outcome.verdict == Verdict.WRONG_ANSWER or (outcome.output and not isinstance(test, AssertTest)):
        got = _shown(outcome.output) or "(nothing)"
        lines.append(f"Got: {got}" if isinstance(test, CallTest) else f"Actual output:\n{got}")
    if outcome.error is not None:
        err = outcome.error
        lines.append(f"Error: {err.type}: {_shown(err.message, 200)}")
        tail = [t for t in err.traceback.strip().splitlines() if t.strip()][-TRACE_LINES:]
        if tail:
            lines.append("Traceback (last lines):\n" + "\n".join(tail))
    elif outcome.verdict not in (Verdict.WRONG_ANSWER, Verdict.PASSED):
        lines.append(f"Result: {outcome.verdict}")
    return "\n".join(lines) or f"Result: {outcome.verdict}"


def feedback(problem: Problem, result: ExecResult, subject: str = "Your program") -> str:
    """The feedback message for one program's public-test result (without the request to fix it)."""
    return f"{subject} {_evidence(problem, result)}"


def _evidence(problem: Problem, result: ExecResult) -> str:
    """What `feedback` says after its subject: the pass count, then the failing tests."""
    tests = public_tests(problem)
    failing = [(t, o) for t, o in zip(tests, result.outcomes)
               if o.verdict not in (Verdict.PASSED, Verdict.OK, Verdict.NOT_RUN)]
    parts = [f"passed {result.n_passed} of {len(tests)} public tests."]
    for test, outcome in failing[:MAX_SHOWN]:
        parts.append(_describe_input(problem, test) + "\n" + _describe_outcome(outcome, test, problem.time_limit_s))
    if len(failing) > MAX_SHOWN:
        parts.append(f"({len(failing) - MAX_SHOWN} more failing tests not shown.)")
    return "\n\n".join(parts)


def debug_messages(first: ChatRequest, lineage: Lineage, problem: Problem,
                   style: str = "conversation") -> tuple[Message, ...]:
    """The request for the next revision of `lineage`, in prompt style `style` (see `DEBUG_PROMPTS`)."""
    messages = list(first.messages) if first.messages else [Message("user", first.prompt or "")]
    if style == "quoted":
        return tuple(messages[:-1]) + (Message("user", _quoted(messages[-1].content, lineage, problem)),)
    check_debug_prompt(style)
    for attempt in lineage.attempts:
        answer = attempt.candidate.raw or f"```python\n{attempt.candidate.program}\n```"
        messages.append(Message("assistant", answer))
        messages.append(Message("user", feedback(problem, attempt.public) + "\n\n" + FIX if attempt.public else ""))
    return tuple(messages)


def check_debug_prompt(style: str) -> None:
    if style not in DEBUG_PROMPTS:
        raise ConfigError(f"unknown debug prompt style {style!r}: choose from {', '.join(DEBUG_PROMPTS)}")


def _quoted(task: str, lineage: Lineage, problem: Problem) -> str:
    """The first prompt (less its answer format), then every attempt's program as extracted, or which
    earlier one it repeats, with its feedback, then the ask."""
    many = len(lineage.attempts) > 1
    parts = [task.removesuffix(ANSWER_FORMAT).rstrip(),
             "Here is a program written for this task." if not many else
             f"Here are the {len(lineage.attempts)} programs written for this task so far, oldest first."]
    seen: dict[str, tuple[str, str]] = {}  # program -> the first attempt's name and evidence
    for k, attempt in enumerate(lineage.attempts, 1):
        name, program = f"Program {k}" if many else "The program", attempt.candidate.program.rstrip()
        evidence = _evidence(problem, attempt.public) if attempt.public is not None else ""
        if program in seen:
            earlier, earlier_evidence = seen[program]
            same = " and failed the same way" if evidence == earlier_evidence else ""
            parts.append(f"{name} is the same as {earlier}{same}.")
            if same:
                continue
        else:
            seen[program] = (name, evidence)
            parts.append(f"{name}:\n```python\n{program}\n```")
        if evidence:
            parts.append(f"{name} {evidence}")
    parts.append("Write a corrected program that passes every test. "
                 "Answer with the complete program in one ```python block.")
    return "\n\n".join(parts)


def public_tests(problem: Problem) -> tuple[Test, ...]:
    """The public tests as run for feedback: `assert f(args) == value` lines become call tests, so a
    wrong answer comes back with the value the program actually returned."""
    if problem.kind != TaskKind.FUNCTION:
        return problem.public_tests
    out: list[Test] = []
    for test in problem.public_tests:
        if isinstance(test, AssertTest):
            parsed = read_calls(test.code, function_name(problem), None, with_expected=True)
            if len(parsed.tests) == 1 and not parsed.invalid:
                test = parsed.tests[0]
        out.append(test)
    return tuple(out)


def public_jobs(problem: Problem, programs: Sequence[str]) -> list[Job]:
    """Jobs running each program on every public test (no early stop: feedback wants them all)."""
    tests = public_tests(problem)
    return [Job.for_problem(problem, p, tests, stop_on_fail=False) for p in programs]


async def run_public(executor: JobRunner, pairs: Sequence[tuple[Problem, Candidate]]) -> list[Attempt]:
    """Each candidate with its result on its problem's public tests (None where there are none)."""
    jobs = [(k, job) for k, (problem, cand) in enumerate(pairs) if problem.public_tests
            for job in public_jobs(problem, [cand.program])]
    results = await executor.run_async([job for _, job in jobs]) if jobs else []
    by_pair = {k: r for (k, _), r in zip(jobs, results)}
    return [Attempt(cand, by_pair.get(k)) for k, (_, cand) in enumerate(pairs)]


async def debug_round(llm: LLM, executor: JobRunner, items: Sequence[tuple[Problem, ChatRequest, Lineage]], *,
                      max_tokens: int, seed: int, temperature: float = 0.0, top_p: float = 1.0,
                      style: str = "conversation") -> list[Lineage]:
    """One round for every unsolved lineage: ask for fixes concurrently, test them, extend lineages.

    `items` pairs each lineage with its problem and the first-round request it came from.
    Solved lineages come back unchanged. Answers are greedy unless `temperature` is set; `style`
    is the prompt style (`DEBUG_PROMPTS`).
    """
    todo = [k for k, (_, _, lineage) in enumerate(items) if not lineage.solved]
    requests = [ChatRequest(messages=debug_messages(items[k][1], items[k][2], items[k][0], style),
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
