import asyncio

from codesieve.execution import Executor
import pytest

from codesieve.errors import ConfigError
from codesieve.generate.debug import Lineage
from codesieve.generate.prompts import ANSWER_FORMAT, FIX, debug_messages, feedback
from codesieve.generate.public import run_public
from codesieve.llm.base import ChatRequest, Message
from codesieve.types import Attempt, TestOutcome as Outcome
from codesieve.types import (AssertTest, CallTest, Candidate, ErrorInfo, ExecResult, Problem, StdioTest, TaskKind,
                             Verdict)

FUNC = Problem(id="t/1", prompt="def inc(x): ...", kind=TaskKind.FUNCTION, entry_point="inc",
               public_tests=(CallTest((1,), 2), CallTest((5,), 6), CallTest((0,), 1)), time_limit_s=2.0)
STDIO = Problem(id="t/2", prompt="echo", kind=TaskKind.STDIO, public_tests=(StdioTest("1\n", "1\n"),))


def test_feedback_shows_input_expected_actual_and_error():
    result = ExecResult(Verdict.WRONG_ANSWER, (
        Outcome(Verdict.PASSED, output="2"),
        Outcome(Verdict.WRONG_ANSWER, output="7"),
        Outcome(Verdict.RUNTIME_ERROR, error=ErrorInfo("ZeroDivisionError", "division by zero",
                                                           "Traceback:\n  File x, line 3\n    1/0\nZeroDivisionError")),
    ))
    text = feedback(FUNC, result)
    assert "passed 1 of 3 public tests" in text
    assert "Input: inc(5)\nExpected: 6\nGot: 7" in text
    assert "Input: inc(0)" in text and "Error: ZeroDivisionError: division by zero" in text
    assert "1/0" in text
    assert "Input: inc(1)" not in text  # passing tests are not shown


def test_feedback_for_timeouts_and_stdio():
    result = ExecResult(Verdict.TIMEOUT, (Outcome(Verdict.TIMEOUT),))
    assert "timed out (over 3 s)" in feedback(STDIO, result)
    wrong = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.WRONG_ANSWER, output="2\n"),))
    assert "Input:\n1\nExpected output:\n1\nActual output:\n2" in feedback(STDIO, wrong)


def test_feedback_for_assert_tests():
    problem = Problem(id="t/3", prompt="p", kind=TaskKind.FUNCTION, entry_point="f",
                      public_tests=(AssertTest("assert f(1) > 2"),))
    result = ExecResult(Verdict.RUNTIME_ERROR, (Outcome(Verdict.RUNTIME_ERROR, error=ErrorInfo("AssertionError", "")),))
    text = feedback(problem, result)
    assert "Test:\nassert f(1) > 2" in text and "AssertionError" in text


def test_debug_messages_keep_history():
    first = ChatRequest(messages=(Message("system", "sys"), Message("user", "solve")))
    failing = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.WRONG_ANSWER, output="0"),) * 3)
    lineage = Lineage((Attempt(Candidate("t/1", 0, "p0", raw="answer 0"), failing),
                       Attempt(Candidate("t/1", 0, "p1", round=1, raw="answer 1"), failing)))
    messages = debug_messages(first, lineage.attempts, FUNC)
    assert [m.role for m in messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert messages[2].content == "answer 0" and messages[4].content == "answer 1"
    assert "Your program passed 0 of 3" in messages[5].content and messages[5].content.endswith(FIX)


def test_the_conversation_feedback_text_is_stable():
    """Stored runs' debug answers are keyed by this exact text: changing it regenerates them all."""
    failing = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.PASSED), Outcome(Verdict.WRONG_ANSWER, output="7"),
                                                Outcome(Verdict.TIMEOUT)))
    lineage = Lineage((Attempt(Candidate("t/1", 0, "p0", raw="answer 0"), failing),))
    last = debug_messages(ChatRequest(prompt="solve"), lineage.attempts, FUNC)[-1].content
    assert last == ("Your program passed 1 of 3 public tests.\n\nInput: inc(5)\nExpected: 6\nGot: 7\n\n"
                    "Input: inc(0)\nExpected: 1\nResult: timed out (over 2 s); look for an infinite loop or a slow "
                    "algorithm.\n\nFix the program. Answer with the complete corrected program in one ```python block.")



def test_the_quoted_debug_text_is_stable():
    """Like the conversation's: stored runs' quoted debug answers are keyed by this exact text."""
    first = ChatRequest(messages=(Message("system", "sys"), Message("user", f"solve\n\n{ANSWER_FORMAT}")))
    error = ErrorInfo("ZeroDivisionError", "division by zero",
                      "Traceback:\n  File x, line 2\n    1 // x\nZeroDivisionError")
    failing = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.PASSED), Outcome(Verdict.WRONG_ANSWER, output="7"),
                                                Outcome(Verdict.RUNTIME_ERROR, error=error)))
    program = "def inc(x):\n    return 1 // x + x\n"
    attempts = (Attempt(Candidate("t/1", 0, program), failing), Attempt(Candidate("t/1", 0, program, round=1), failing))
    assert debug_messages(first, attempts, FUNC, "quoted")[-1].content == (
        "solve\n\nHere are the 2 programs written for this task so far, oldest first.\n\nProgram 1:\n```python\n"
        "def inc(x):\n    return 1 // x + x\n```\n\nProgram 1 passed 1 of 3 public tests.\n\nInput: inc(5)\n"
        "Expected: 6\nGot: 7\n\nInput: inc(0)\nExpected: 1\nError: ZeroDivisionError: division by zero\n"
        "Traceback (last lines):\nTraceback:\n  File x, line 2\n    1 // x\nZeroDivisionError\n\n"
        "Program 2 is the same as Program 1 and failed the same way.\n\n"
        "Write a corrected program that passes every test. Answer with the complete program in one ```python block.")


def test_quoted_debug_messages_put_every_program_and_its_feedback_in_one_user_turn():
    first = ChatRequest(messages=(Message("system", "sys"), Message("user", f"solve\n\n{ANSWER_FORMAT}")))
    failing = ExecResult(Verdict.WRONG_ANSWER, (Outcome(Verdict.WRONG_ANSWER, output="0"),) * 3)

    def attempt(program, round=0):
        return Attempt(Candidate("t/1", 0, program, round=round, raw="chatter ```python\n..."), failing)

    one = Lineage((attempt("def inc(x):\n    return 0\n"),))
    system, user = debug_messages(first, one.attempts, FUNC, "quoted")
    assert system == first.messages[0] and user.role == "user"
    assert user.content.startswith("solve\n\nHere is a program written for this task.")  # no answer format twice
    assert "The program:\n```python\ndef inc(x):\n    return 0\n```" in user.content
    assert "The program passed 0 of 3 public tests." in user.content and "Got: 0" in user.content
    assert "chatter" not in user.content  # the program as extracted, not the answer around it
    assert user.content.endswith("in one ```python block.")
    three = Lineage(one.attempts + (attempt("def inc(x):\n    return 1\n", 1), attempt("def inc(x):\n    return 0", 2)))
    [_, user] = debug_messages(first, three.attempts, FUNC, "quoted")
    assert "the 3 programs written for this task so far" in user.content
    text = user.content
    assert text.index("Program 1:") < text.index("Program 1 passed") < text.index(
        "Program 2:\n```python\ndef inc(x):\n    return 1\n```") < text.index("Program 2 passed") < text.index(
        "Program 3 is the same as Program 1 and failed the same way.")
    assert text.count("return 0") == 1 and text.count("Got: 0") == 6  # 3 failing tests each, program 3 not again
    with pytest.raises(ConfigError, match="unknown debug prompt style 'chat'"):
        debug_messages(first, one.attempts, FUNC, "chat")


def test_lineage_best_is_latest_of_the_best_rate():
    def att(r, n_pass):
        outs = (Outcome(Verdict.PASSED),) * n_pass + (Outcome(Verdict.WRONG_ANSWER),) * (3 - n_pass)
        return Attempt(Candidate("t/1", 0, f"p{r}", round=r), ExecResult(Verdict.WRONG_ANSWER, outs))
    lineage = Lineage((att(0, 1), att(1, 2), att(2, 2)))
    assert lineage.best.candidate.round == 2
    assert Lineage((att(0, 2), att(1, 0))).best.candidate.round == 0
    assert not lineage.solved


def test_run_public_with_the_real_executor():
    pairs = [(FUNC, Candidate("t/1", 0, "def inc(x):\n    return x + 1\n")),
             (FUNC, Candidate("t/1", 1, "def inc(x):\n    return 10 // x\n"))]
    with Executor(workers=2) as ex:
        good, bad = asyncio.run(run_public(ex, pairs))
    assert good.public.passed and good.public_rate == 1.0
    assert bad.public.outcomes[2].verdict == Verdict.RUNTIME_ERROR
    text = feedback(FUNC, bad.public)
    assert "ZeroDivisionError" in text and "Got: 10" in text


def test_simple_public_asserts_run_as_call_tests_to_show_the_actual_value():
    problem = Problem(id="t/4", prompt="p", kind=TaskKind.FUNCTION, entry_point="f",
                      public_tests=(AssertTest("assert f(2) == 4"), AssertTest("assert set(f(1)) == {1}")))
    pairs = [(problem, Candidate("t/4", 0, "def f(x):\n    return [x]\n"))]
    with Executor(workers=1) as ex:
        [attempt] = asyncio.run(run_public(ex, pairs))
    assert attempt.public_rate == 0.5
    text = feedback(problem, attempt.public)
    assert "Input: f(2)\nExpected: 4\nGot: [2]" in text
