"""First-round prompts: short, one instruction, the starter code fenced, examples only when missing."""

from __future__ import annotations

import pytest

from codesieve.errors import ConfigError
from codesieve.generate.prompts import (
    CONTINUATION_STOP,
    chat_messages,
    continuation_prompt,
    first_round_request,
)
from codesieve.types import Problem, StdioTest, TaskKind

HUMANEVAL_PROMPT = 'from typing import List\n\n\ndef add(xs: List[int]) -> int:\n    """Sum xs."""\n'
HUMANEVAL = Problem(id="he/1", prompt=HUMANEVAL_PROMPT, kind=TaskKind.FUNCTION, entry_point="add",
                    starter_code=HUMANEVAL_PROMPT, completion_prefix=HUMANEVAL_PROMPT)


def user_text(problem: Problem) -> str:
    system, user = chat_messages(problem)
    assert system.role == "system" and user.role == "user"
    return user.content


def test_function_with_starter_code_is_fenced_once():
    text = user_text(HUMANEVAL)
    assert text.count("def add(xs: List[int]) -> int:") == 1
    assert "```python\nfrom typing import List" in text
    assert "Complete the following Python function" in text and "one ```python block" in text
    assert len(text) < len(HUMANEVAL_PROMPT) + 250  # the instructions stay short


def test_statement_plus_class_stub():
    stub = "class Solution:\n    def twoSum(self, nums: List[int]) -> List[int]:\n        "
    problem = Problem(id="lc/1", prompt="Return indices of two numbers adding to target.", kind=TaskKind.FUNCTION,
                      entry_point="Solution.twoSum", starter_code=stub)
    text = user_text(problem)
    assert text.startswith("Return indices of two numbers") and "Python class" in text
    assert "class Solution:\n    def twoSum" in text


def test_function_without_starter_names_the_function():
    problem = Problem(id="mbpp/1", prompt='Remove a character.\nassert remove_Occ("hello","l") == "heo"',
                      kind=TaskKind.FUNCTION, entry_point="remove_Occ")
    text = user_text(problem)
    assert text.startswith("Remove a character.\nassert remove_Occ") and "named `remove_Occ`" in text


def test_stdio_examples_are_added_only_when_the_statement_lacks_them():
    with_examples = Problem(id="cc/1", prompt="Add two numbers.\n\nExample\nInput\n1 2\nOutput\n3",
                            kind=TaskKind.STDIO, public_tests=(StdioTest("1 2\n", "3\n"),))
    text = user_text(with_examples)
    assert "Example input" not in text and "standard input" in text
    bare = Problem(id="cc/2", prompt="Add two numbers.", kind=TaskKind.STDIO,
                   public_tests=(StdioTest("1 2\n", "3\n"), StdioTest("5 5\n", "10\n"), StdioTest("0 0\n", "0\n")))
    text = user_text(bare)
    assert text.count("Example input") == 2 and "Example input:\n1 2\nExample output:\n3" in text


def test_first_round_request_carries_the_sampling_options():
    request = first_round_request(HUMANEVAL, n=4, temperature=0.8, top_p=0.95, max_tokens=300, seed=7, logprobs=True)
    assert request.messages == chat_messages(HUMANEVAL)
    assert (request.n, request.temperature, request.top_p, request.max_tokens, request.seed, request.logprobs) == (
        4, 0.8, 0.95, 300, 7, True)


def test_continuation_prompt_is_the_starter_code():
    assert continuation_prompt(HUMANEVAL) == HUMANEVAL_PROMPT
    assert "\ndef " in CONTINUATION_STOP
    with pytest.raises(ConfigError, match="no starter code"):
        continuation_prompt(Problem(id="x", prompt="p", kind=TaskKind.STDIO))
