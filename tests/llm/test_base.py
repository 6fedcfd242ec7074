"""Requests validate themselves and derive per-sample seeds; completions compute mean logprobs."""

from __future__ import annotations

import math

import pytest

from codesieve.errors import ConfigError
from codesieve.llm import ChatRequest, Completion, Message

ASK = (Message("user", "hi"),)


def test_lists_and_dicts_become_tuples_of_messages_so_requests_hash():
    request = ChatRequest(messages=[{"role": "user", "content": "hi"}], stop=["\n"])  # type: ignore[list-item]
    assert request.messages == ASK and request.stop == ("\n",)
    assert hash(request) == hash(ChatRequest(messages=ASK, stop=("\n",)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"messages": ASK, "prompt": "x"},
        {"messages": ASK, "n": 0},
        {"messages": ASK, "max_tokens": 0},
        {"messages": ASK, "temperature": -1},
        {"messages": ASK, "top_p": 0},
        {"messages": ASK, "first_index": -1},
    ],
)
def test_invalid_requests_are_config_errors(kwargs):
    with pytest.raises(ConfigError):
        ChatRequest(**kwargs)


def test_bad_role_is_refused():
    with pytest.raises(ConfigError, match="role"):
        Message("robot", "hi")


def test_seeds_follow_the_sample_index():
    request = ChatRequest(messages=ASK, n=3, seed=10, first_index=4)
    assert list(request.indices) == [4, 5, 6]
    assert [request.seed_for(i) for i in request.indices] == [14, 15, 16]
    assert ChatRequest(messages=ASK).seed_for(3) is None


def test_mean_logprob_skips_non_finite_values():
    assert Completion("x", "stop").mean_logprob is None
    assert Completion("x", "stop", token_logprobs=(-1.0, -3.0, -math.inf)).mean_logprob == -2.0
