"""Every prompt of the selection stage: input synthesis, CodeT tests, S*'s judges, output prediction,
the code-only LLM judge, the text an HTTP reward model scores. One place, so a reader sees what the
model is asked and in what words (generation's prompts are in `codesieve.generate.prompts`).

Two input-synthesis styles: `plain` (the default: ask for K inputs directly, greedy; the
committed runs used it) and `reason` (after S*'s authors: think about edge and boundary cases
first, then write a complete set; they sample it at 0.7). A stdin task may also get its inputs
from a small generator program the model writes once (`generator_request`). Each of S*'s judges
(`codesieve.select.judges`) has its own request; the pairwise ones show the problem, both
programs and, when there are any, the inputs the programs disagree on with each one's real output:

- `reason` (`reasoning_request`): the judge analyses first and ends with its verdict alone on the
  last line (A, B or tie). Nothing in the prompt is an answer line a model could copy before
  thinking, and the answer is begun for it ("1. By the problem statement,", a final assistant
  message) so that a small model cannot open with a bare letter.
- `verdict-first` (`verdict_first_request`): the committed runs' judge, "Answer: A" or "Answer: B"
  first, then why. A small greedy model copies the quoted answer whatever it is shown; kept
  because it is measured.
- `logprob` (`letter_request`): the verdict is the first token (A or B); its log-probabilities are
  read, nothing else.

Without evidence (the code-only judgement S* falls back on when no comparison decided) the
`reason` and `logprob` requests compare the programs by their code alone. The `predict` judge
(the default) sees no program: it is asked for the output of one input (`prediction_request`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from codesieve.llm.base import ChatRequest, Message
from codesieve.problems.calls import function_name
from codesieve.text import CUT, clip
from codesieve.types import Problem, TaskKind

PROGRAM_CHARS = 1500  # per program shown to a pairwise judge
CHOICE_PROGRAM_CHARS = 1200  # per program shown to the llm-judge baseline (up to `max_judged` of them)


@dataclass(frozen=True)
class Shown:
    """One separating input as a judge reads it: the input, and each program's result, in the
    order the programs are shown."""

    input: str
    first: str
    second: str


def statement(problem: Problem, limit: int = 2500) -> str:
    """The problem text as shown in selection prompts, cut to keep prompts small."""
    return clip(problem.prompt.strip(), limit, "\n...")


def _ask(text: str, temperature: float, max_tokens: int, seed: int, **extra) -> ChatRequest:
    return ChatRequest(messages=(Message("user", text),), temperature=temperature, max_tokens=max_tokens,
                       seed=seed, **extra)


def _input_form(problem: Problem) -> str:
    if problem.kind == TaskKind.FUNCTION:
        name = function_name(problem)
        return (f"one call per line, like `{name}(...)` with literal arguments, all in one ```python block "
                "(no outputs, no asserts, do not repeat the function)")
    return "each input in its own ``` block, exactly as it is read from standard input (small inputs, no outputs)"


def inputs_request(problem: Problem, k: int, style: str, max_tokens: int, temperature: float,
                   seed: int) -> ChatRequest:
    """Ask for new test inputs (no outputs) that could expose a wrong solution."""
    if style == "reason":
        text = (f"{statement(problem)}\n\nWe will test solutions to this problem on new inputs. First think "
                "briefly about which inputs could expose a wrong solution: edge cases (empty, zero, one "
                "element, negative values, duplicates), the boundaries of the constraints, and tricky ordinary "
                f"cases. Then write a complete set of such inputs, up to {k}: {_input_form(problem)}.")
        return _ask(text, temperature, max_tokens, seed)
    if problem.kind == TaskKind.FUNCTION:  # `plain`: the committed runs' words, unchanged
        name = function_name(problem)
        ask = (f"Write {k} new test inputs for `{name}`, including edge cases. Write one call per line, "
               f"like `{name}(...)` with literal arguments, in a ```python block. Do not repeat the function; "
               "no outputs, no asserts.")
    else:
        ask = (f"Write {k} new test inputs for this problem, including edge cases. Put each input in its own "
               "``` block, exactly as it is read from standard input. Small inputs only, no outputs.")
    return _ask(f"{statement(problem)}\n\n{ask}", temperature, max_tokens, seed)


GENERATOR = "generate_input"  # the function an input generator defines (`codesieve.select.generator`)


def generator_request(problem: Problem, max_tokens: int, temperature: float, seed: int) -> ChatRequest:
    """Ask for a function that returns one random valid stdin input per seed (stdin tasks): one
    answer, run with several seeds, gives several inputs in the problem's format."""
    text = (f"{statement(problem)}\n\nWrite a Python function `{GENERATOR}(seed)` that returns one small random "
            "input for this problem as a string, exactly as it is read from standard input. Use "
            "`random.Random(seed)`; keep every value within the problem's constraints, and make every count "
            "agree with the lines that follow it. Write only the function (with its imports) in one ```python "
            "block; do not solve the problem.")
    return _ask(text, temperature, max_tokens, seed)


def separating_request(problem: Problem, a: str, b: str, k: int, style: str, max_tokens: int, temperature: float,
                       seed: int) -> ChatRequest:
    """Ask for inputs on which programs A and B would give different outputs."""
    programs = _programs(problem, a, b)
    if style == "reason":
        text = (programs + "First think briefly about where the two programs behave differently, and about edge "
                f"and boundary cases of the problem. Then write up to {k} small inputs on which A and B give "
                f"different outputs: {_input_form(problem)}.")
        return _ask(text, temperature, max_tokens, seed)
    if problem.kind == TaskKind.FUNCTION:
        form = "one call per line with literal arguments, in a ```python block"
    else:
        form = "each input in its own ``` block, exactly as read from standard input"
    text = programs + (f"Write up to {k} small test inputs on which A and B give different outputs: {form}. "
                       "Do not repeat the programs; no outputs.")
    return _ask(text, temperature, max_tokens, seed)


def tests_request(problem: Problem, k: int, max_tokens: int, seed: int) -> ChatRequest:
    """CodeT: ask for `k` tests with their expected outputs."""
    if problem.kind == TaskKind.FUNCTION:
        name = function_name(problem)
        ask = (f"Write {k} test cases for `{name}` as assert lines, like `assert {name}(...) == expected`, "
               "in a ```python block.")
    else:
        ask = (f"Write {k} test cases for this problem. For each, an ```input block with the exact standard "
               "input, then an ```output block with the exact expected output.")
    return _ask(f"{statement(problem)}\n\n{ask}", 0.0, max_tokens, seed)


def _programs(problem: Problem, first: str, second: str) -> str:
    """The problem and both programs, `first` as A, as every pairwise judge is shown them."""
    return (f"{statement(problem)}\n\nProgram A:\n```python\n{clip(first, PROGRAM_CHARS, CUT)}\n```\n\n"
            f"Program B:\n```python\n{clip(second, PROGRAM_CHARS, CUT)}\n```\n\n")


def verdict_first_request(problem: Problem, first: str, second: str, shown: Sequence[Shown], max_tokens: int,
                          seed: int) -> ChatRequest:
    """The `verdict-first` judge: both programs and the inputs they disagree on with their real
    outputs; 'Answer: A' or 'Answer: B' first, then why."""
    cases = "\n\n".join(f"Input: {s.input}\nA gives: {s.first}\nB gives: {s.second}" for s in shown)
    text = (_programs(problem, first, second) + "They were run and disagree:\n\n" + cases +
            "\n\nWhich outputs are correct for the problem? Reply 'Answer: A' or 'Answer: B' first, "
            "then one short sentence why.")
    return _ask(text, 0.0, max_tokens, seed)


def reasoning_request(problem: Problem, first: str, second: str, shown: Sequence[Shown], max_tokens: int,
                      seed: int) -> ChatRequest:
    """The `reason` judge: both programs and, if any, the inputs they disagree on with their real
    outputs; numbered questions that end with the verdict, and the answer begun for the judge."""
    text, opening = _reasoning_ask(_programs(problem, first, second), shown)
    return ChatRequest(messages=(Message("user", text), Message("assistant", opening)), temperature=0.0,
                       max_tokens=max_tokens, seed=seed)


def letter_request(problem: Problem, first: str, second: str, shown: Sequence[Shown], max_tokens: int, seed: int,
                   top_logprobs: int) -> ChatRequest:
    """The `logprob` judge: both programs and, if any, the inputs they disagree on with their real
    outputs; a single letter, A or B, whose first token is read with its `top_logprobs` alternatives."""
    head = _programs(problem, first, second)
    if shown:
        cases = "\n\n".join(f"Input: {s.input}\nProgram A's result: {s.first}\nProgram B's result: {s.second}"
                            for s in shown)
        body = (head + "Both programs were run on the same inputs and gave different results:\n\n" + cases +
                "\n\nWhich program's results are correct for the problem?")
    else:
        body = head + "Which program solves the problem correctly?"
    return _ask(body + " Reply with a single letter, A or B, and nothing else.", 0.0, max_tokens, seed,
                logprobs=True, top_logprobs=top_logprobs)


def verdict_request(asked: ChatRequest, analysis: str) -> ChatRequest:
    """The `reason` judge's follow-up when its analysis ended without a verdict line (a small model
    answers the numbered questions and stops): the analysis stays its own turn, then the verdict is
    asked for, alone."""
    ask = "So which program's results are correct? Reply with your verdict alone: A, B, or tie."
    return ChatRequest(messages=(*asked.messages[:-1], Message("assistant", analysis), Message("user", ask)),
                       temperature=0.0, max_tokens=8, seed=asked.seed)


def _reasoning_ask(head: str, shown: Sequence[Shown]) -> tuple[str, str]:
    """The `reason` judge's request and the opening words of its answer. A small model takes the
    last sentence for the whole task (asked last for a verdict, it writes only the verdict), copies
    given opening words and stops, and takes whichever result it reads first for the correct one.
    So each program's results are listed apart, the analysis is asked as numbered questions that
    end with the verdict, and the answer is begun for the judge with words that state no verdict
    and no result: a final assistant message, which llama.cpp's server continues (a server that
    does not answers after it)."""
    if not shown:
        return (head + "Answer these questions in order, each with a short explanation. Do not trust either "
                "program: work it out from the problem statement yourself.\n"
                "1. What must a correct solution do, including on edge cases?\n"
                "2. Does Program A do that? Where does it go wrong, if anywhere?\n"
                "3. Does Program B do that? Where does it go wrong, if anywhere?\n"
                "4. Which program solves the problem correctly? Give your verdict alone on the last line: A, B, or "
                "tie (if both or neither are correct).", "1. By the problem statement,")
    numbered = lambda values: "\n".join(f"{k}. {v}" for k, v in enumerate(values, 1))  # noqa: E731
    questions = [f"{k}. What is the correct result of {s.input}? Is Program A's result right? Is Program B's?"
                 for k, s in enumerate(shown, 1)]
    questions.append(f"{len(shown) + 1}. Which program's results are correct? Give your verdict alone on the last "
                     "line: A, B, or tie (if both or neither are correct).")
    return (head + f"Both programs were run on these inputs:\n{numbered(s.input for s in shown)}\n\n"
            f"Program A's results:\n{numbered(s.first for s in shown)}\n\n"
            f"Program B's results:\n{numbered(s.second for s in shown)}\n\n"
            "The results differ. Answer these questions in order, each with a short explanation. Do not trust "
            "either program: work each correct result out from the problem statement yourself, step by step.\n"
            + "\n".join(questions), "1. By the problem statement,")


def prediction_request(problem: Problem, shown_input: str, max_tokens: int, seed: int) -> ChatRequest:
    """Ask for the output a correct solution gives on an input; no program is shown."""
    if problem.kind == TaskKind.FUNCTION:
        ask = (f"What does a correct `{function_name(problem)}` return for `{shown_input}`? "
               "Reply with the value alone in a ```python block.")
    else:
        ask = (f"What does a correct solution print for this input?\n```\n{shown_input}\n```\n"
               "Reply with the output alone in a ``` block.")
    return _ask(f"{statement(problem)}\n\n{ask}", 0.0, max_tokens, seed)


def choice_request(problem: Problem, programs: Sequence[str], max_tokens: int, seed: int) -> ChatRequest:
    """The llm-judge baseline: several programs, numbered from 1; which one is correct?"""
    clipped = [clip(p, CHOICE_PROGRAM_CHARS, "\n# ... (cut)") for p in programs]
    shown = "\n\n".join(f"Program {k + 1}:\n```python\n{p}\n```" for k, p in enumerate(clipped))
    return _ask(f"{statement(problem)}\n\n{shown}\n\nWhich program solves the problem correctly? "
                "Reply 'Answer: <number>' first, then one short sentence why.", 0.0, max_tokens, seed)
