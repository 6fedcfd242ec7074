"""First-round prompts: pure functions from a `Problem` to chat messages (or a raw prompt).

Kept short on purpose: small models follow one plain instruction better than a long brief, and
every prompt token is paid once per call. Every prompt asks for one ```python block, which is what
`codesieve.generate.extract` looks for. Debugging and selection prompts live with those stages.
"""

from __future__ import annotations

from codesieve.errors import ConfigError
from codesieve.llm.base import ChatRequest, Message
from codesieve.types import Problem, StdioTest, TaskKind

SYSTEM = "You are an expert Python programmer. You write correct, efficient, complete code."
ANSWER_FORMAT = "Answer with the complete code in one ```python block."
MAX_EXAMPLES = 2

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
