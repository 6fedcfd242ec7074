"""Every prompt of the generation stage: the first round, and the debug rounds with their feedback.
One place, so a reader sees what the model is asked and in what words (selection's are in
`codesieve.select.prompts`).

Kept short on purpose: small models follow one plain instruction better than a long brief, and
every prompt token is paid once per call. Every prompt asks for one ```python block, which is what
`codesieve.generate.extract` looks for. First-round prompts are pure functions from a `Problem` to
chat messages (or a raw prompt). Debug feedback shows, for up to `MAX_SHOWN` failing public tests,
the input, the expected output, what the program printed or returned, and the exception with the
tail of its traceback, or that it timed out; `DEBUG_PROMPTS` are the two ways of asking for the fix
(see `codesieve.generate.debug`). Stored runs replay from answers keyed by these exact words:
changing one means new model calls.
"""

from __future__ import annotations

from typing import Sequence

from codesieve.errors import ConfigError
from codesieve.generate.public import public_tests
from codesieve.llm.base import ChatRequest, Message
from codesieve.problems.calls import function_name
from codesieve.text import clip
from codesieve.types import (AssertTest, Attempt, CallTest, ExecResult, Problem, StdioTest, TaskKind, Test,
                             TestOutcome, Verdict)

SYSTEM = "You are an expert Python programmer. You write correct, efficient, complete code."
ANSWER_FORMAT = "Answer with the complete code in one ```python block."
MAX_EXAMPLES = 2
MAX_SHOWN = 3  # failing tests shown per debug round
TEXT_CHARS = 300
TRACE_LINES = 6
DEBUG_PROMPTS = ("conversation", "quoted")
FIX = "Fix the program. Answer with the complete corrected program in one ```python block."

# Where a raw continuation of a function prompt has gone past the function (HumanEval style).
CONTINUATION_STOP = ("\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\nassert ", "\n#", "\n```")


def chat_messages(problem: Problem) -> tuple[Message, ...]:
    """The first-round conversation for `problem`: a system line and one user turn."""
    if problem.kind == TaskKind.STDIO:
        user = _stdio_prompt(problem)
    elif problem.starter_code:
        user = _starter_prompt(problem, problem.starter_code)
    else:
        user = _function_prompt(problem)
    return (Message("system", SYSTEM), Message("user", user))


def first_round_request(
    problem: Problem,
    *,
    n: int = 1,
    temperature: float = 0.0,
    top_p: float = 1.0,
    max_tokens: int = 512,
    seed: int | None = None,
    logprobs: bool = False,
) -> ChatRequest:
    """A chat request for `n` first-round samples of `problem`."""
    return ChatRequest(
        messages=chat_messages(problem),
        n=n,
        temperature=temperature,
        top_p=top_p,
        max_tokens=max_tokens,
        seed=seed,
        logprobs=logprobs,
    )


def continuation_prompt(problem: Problem) -> str:
    """The raw prompt a base model continues (HumanEval style): the starter code itself."""
    prefix = problem.completion_prefix or problem.starter_code
    if not prefix:
        raise ConfigError(f"{problem.id} has no starter code to continue: use chat prompts for it")
    return prefix


def _starter_prompt(problem: Problem, starter: str) -> str:
    # HumanEval's prompt is the starter code; LiveCodeBench's is a statement plus a stub.
    statement = problem.prompt.strip()
    intro = "" if statement == starter.strip() else statement + "\n\n"
    what = "class" if problem.entry_point and "." in problem.entry_point else "function"
    return (
        f"{intro}Complete the following Python {what}. Include the imports it needs.\n\n"
        f"```python\n{starter.rstrip()}\n```\n\n{ANSWER_FORMAT}"
    )


def _function_prompt(problem: Problem) -> str:
    # MBPP: a one-line statement whose example assert already names the function.
    name = f" named `{problem.entry_point}`" if problem.entry_point else ""
    return f"{problem.prompt.strip()}\n\nWrite a Python function{name} that solves this. {ANSWER_FORMAT}"


def _stdio_prompt(problem: Problem) -> str:
    parts = [problem.prompt.strip()]
    examples = [t for t in problem.public_tests if isinstance(t, StdioTest) and t.output is not None]
    shown = [t for t in examples[:MAX_EXAMPLES] if t.input.strip() not in problem.prompt]
    for test in shown:
        parts.append(f"Example input:\n{test.input.rstrip()}\nExample output:\n{(test.output or '').rstrip()}")
    parts.append(
        "Write a complete Python 3 program that reads the input from standard input and prints the "
        f"answer to standard output. {ANSWER_FORMAT}"
    )
    return "\n\n".join(parts)


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


def debug_messages(first: ChatRequest, attempts: Sequence[Attempt], problem: Problem,
                   style: str = "conversation") -> tuple[Message, ...]:
    """The request for the next revision after `attempts` (a sample and its revisions, oldest first),
    in prompt style `style` (see `DEBUG_PROMPTS`)."""
    messages = list(first.messages) if first.messages else [Message("user", first.prompt or "")]
    if style == "quoted":
        return tuple(messages[:-1]) + (Message("user", _quoted(messages[-1].content, attempts, problem)),)
    check_debug_prompt(style)
    for attempt in attempts:
        answer = attempt.candidate.raw or f"```python\n{attempt.candidate.program}\n```"
        messages.append(Message("assistant", answer))
        messages.append(Message("user", feedback(problem, attempt.public) + "\n\n" + FIX if attempt.public else ""))
    return tuple(messages)


def check_debug_prompt(style: str) -> None:
    if style not in DEBUG_PROMPTS:
        raise ConfigError(f"unknown debug prompt style {style!r}: choose from {', '.join(DEBUG_PROMPTS)}")


def _quoted(task: str, attempts: Sequence[Attempt], problem: Problem) -> str:
    """The first prompt (less its answer format), then every attempt's program as extracted, or which
    earlier one it repeats, with its feedback, then the ask."""
    many = len(attempts) > 1
    parts = [task.removesuffix(ANSWER_FORMAT).rstrip(),
             "Here is a program written for this task." if not many else
             f"Here are the {len(attempts)} programs written for this task so far, oldest first."]
    seen: dict[str, tuple[str, str]] = {}  # program -> the first attempt's name and evidence
    for k, attempt in enumerate(attempts, 1):
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
