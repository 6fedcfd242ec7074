import math
import re

import pytest

from codesieve.errors import BackendError
from codesieve.llm import LlamaServer, OpenAIBackend, OpenAIConfig, ServerConfig
from codesieve.llm.base import Completion
from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.select.judges.base import Disagreement
from codesieve.select.judges.logprob import label_logprobs
from codesieve.select.judges.reason import parse_final, reason_points
from codesieve.select.prompts import Shown, reasoning_request, verdict_first_request
from codesieve.stages import Cost, SelectConfig, Toolbox, make_judge, make_strategy
from codesieve.types import Attempt, Candidate

from tests.llm.conftest import FakeOpenAIServer
from tests.select.conftest import DOUBLE, asked, first_case, run, truthful_alternatives, truthful_judge

RIGHT, WRONG = "def double(x):\n    return x * 2\n", "def double(x):\n    return x + 2\n"
EVIDENCE = [Shown("double(5)", "10", "7"), Shown("double(0)", "0", "2")]


async def judge_pair(problem, first, second, shown, judge, tools, cost):
    """The registered `judge` on programs `first` (A) and `second` (B), shown the results `shown`:
    its answers, the points (A's, B's) and its margin."""
    a, b = (Attempt(Candidate(problem.id, i, program)) for i, program in enumerate((first, second)))
    seen = [Disagreement(ev.Separating(s.input, s.first, s.second)) for s in shown]
    judgement = await make_judge(judge).judge(problem, a, b, seen, tools, cost)
    return judgement.answers, judgement.points, judgement.margin


def test_parse_final_reads_the_last_verdict_line():
    assert parse_final("A returns 10, which is right.\nB returns 7.\nA") == "A"
    assert parse_final("Both are wrong here.\n\n**Verdict: tie**") == "tie"
    assert parse_final("Program B handles zero.\nFinal answer: (B)") == "B"
    assert parse_final("At first A looks right, but B is.\nSo the answer is B.") == "B"
    assert parse_final("A\nOn reflection B is the correct one.\nB") == "B"  # the last verdict counts
    assert parse_final("Program A is correct because it doubles.") is None  # a statement, not a verdict line
    assert parse_final("A gives 10 and B gives 7; I cannot decide") is None
    assert parse_final("") is None


def test_reason_scoring_follows_the_authors():
    assert reason_points(["A", "A"]) == (2.0, 0.0)
    assert reason_points(["B", "B"]) == (0.0, 2.0)
    assert reason_points(["tie", "tie"]) == (1.0, 1.0)
    assert reason_points(["A", "B"]) == (0.0, 0.0)  # the same position both times: inconsistent
    assert reason_points(["A", None]) == (0.0, 0.0)


def test_the_default_judge_gives_no_answer_to_copy_before_its_reasoning():
    for shown in (EVIDENCE, []):  # with the programs' results, and by code alone
        request = reasoning_request(DOUBLE, RIGHT, WRONG, shown, 512, 0)
        (ask, opening) = request.messages
        assert (ask.role, opening.role) == ("user", "assistant")  # the answer is begun for the judge
        # a model that echoes any part of the request reads as no verdict: no line of it states one
        assert parse_final(ask.content) is None and parse_final(opening.content) is None
        assert not re.search(r"Answer:|Verdict:|['\"`](?:[AB]|tie)['\"`]", ask.content)
        # the opening words name no side and no result: the judge's own first words are analysis
        assert not re.search(r"\b(?:A|B|tie|10|7)\b", opening.content)
        asked = ask.content.split("Program B's results:")[-1] if shown else ask.content.split("Program B:")[1]
        assert asked.index("yourself") < asked.index("verdict alone on the last line")
        assert ask.content.endswith("Give your verdict alone on the last line: A, B, or tie (if both or neither are "
                                    "correct).")
    listed = reasoning_request(DOUBLE, RIGHT, WRONG, EVIDENCE, 512, 0).messages
    # the results are listed per program, not beside each input with A's first
    assert "Program A's results:\n1. 10\n2. 0\n\nProgram B's results:\n1. 7\n2. 2" in listed[0].content
    assert "1. What is the correct result of double(5)? Is Program A's result right?" in listed[0].content
    assert "\n3. Which program's results are correct?" in listed[0].content  # after one question per input
    assert listed[1].content == "1. By the problem statement,"
    old = verdict_first_request(DOUBLE, RIGHT, WRONG, EVIDENCE, 96, 0).messages
    assert len(old) == 1 and "Reply 'Answer: A' or 'Answer: B' first" in old[0].content  # measured, kept as it was


def test_the_whole_answer_is_read_and_recorded(executor):
    """The opening words and what the judge wrote after them are one answer, whether the server
    returns the continuation alone or (llama.cpp's) the opening words with it."""
    def continuation(request, index):  # a verdict only after its analysis
        x, a, b = first_case(asked(request))
        return f" double({x}) is {2 * x}.\nA gives {a}, B gives {b}.\n" + ("A" if a == str(2 * x) else "B")

    def whole(request, index):
        return request.messages[-1].content + continuation(request, index)

    for respond in (continuation, whole):
        tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=SelectConfig())
        answers, points, _ = run(judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "reason", tools, Cost()))
        assert answers[0].text == "1. By the problem statement, double(5) is 10.\nA gives 10, B gives 7.\nA"
        assert [a.vote for a in answers] == ["A", "A"] and points == (2.0, 0.0)


def test_an_analysis_without_a_verdict_line_is_asked_for_its_verdict(executor):
    """As the 0.5B does: it answers the numbered questions and stops. The verdict is asked after its
    own analysis, in the same conversation, and both are one answer."""
    def stops_early(request, index):
        if request.messages[-1].role == "user":  # the follow-up: name the side whose result doubles
            x, a, b = first_case(request.messages[0].content)
            assert request.messages[-2].content.startswith("1. By the problem statement, double(5) is 10.")
            assert request.max_tokens == 8
            return "A" if a == str(2 * x) else "B"
        return " double(5) is 10.\n2. double(0) is 0."

    tools = Toolbox(judge=FakeBackend(stops_early), executor=executor, config=SelectConfig())
    cost = Cost()
    answers, points, _ = run(judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "reason", tools, cost))
    assert answers[0].text == "1. By the problem statement, double(5) is 10.\n2. double(0) is 0.\nA"
    assert [a.vote for a in answers] == ["A", "A"] and points == (2.0, 0.0) and cost.model_calls == 4


def test_a_copied_instruction_is_no_verdict():
    assert parse_final("The verdict: A, B, or tie (both right or both wrong).") is None
    assert parse_final("Verdict: A or B") is None and parse_final("answer: A/B") is None
    assert parse_final("A gives 10.\nThe verdict is Program A.") == "A"
    assert parse_final("Verdict: Program B's results are correct.") == "B"


def test_both_orders_and_their_votes_are_recorded(executor):
    tools = Toolbox(judge=FakeBackend(truthful_judge), executor=executor, config=SelectConfig())
    answers, points, margin = run(judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "reason", tools, Cost()))
    assert [a.swapped for a in answers] == [False, True] and [a.vote for a in answers] == ["A", "A"]
    assert points == (2.0, 0.0) and margin is None and all(a.tokens > 0 for a in answers)
    answers, points, _ = run(judge_pair(DOUBLE, WRONG, RIGHT, [Shown(s.input, s.second, s.first) for s in EVIDENCE],
                                        "reason", tools, Cost()))
    assert [a.vote for a in answers] == ["B", "B"] and points == (0.0, 2.0)


def test_logprob_margin_cancels_a_fixed_position_preference(executor):
    def biased(request, index):  # believes the truth, and adds 1.5 nats to whatever is shown as A
        (a, lp_a), (b, lp_b) = sorted(truthful_alternatives(request, index))
        return (("A", lp_a + 1.5), ("B", lp_b))

    tools = Toolbox(judge=FakeBackend(truthful_judge, alternatives=biased), executor=executor, config=SelectConfig(judge="logprob"))
    cost = Cost()
    answers, points, margin = run(judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "logprob", tools, cost))
    assert math.isclose(margin, 2.3) and points == (2.0, 0.0)  # (2.3 + 1.5) and (2.3 - 1.5), averaged
    assert [round(a.margin, 6) for a in answers] == [3.8, 0.8] and answers[0].logprobs == (1.4, -2.4)
    assert cost.model_calls == 2 and all(r.max_tokens == 1 and r.top_logprobs == 20
                                         for r in tools.judge.requests)
    weak = Toolbox(judge=FakeBackend(truthful_judge, alternatives=biased), executor=executor, config=SelectConfig(logprob_threshold=3.0))
    assert run(judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "logprob", weak, Cost()))[1] == (0.0, 0.0)


def test_label_logprobs_add_spellings_and_bound_missing_labels():
    c = Completion("A", "stop", top_logprobs=((("A", -1.0), (" A", -1.0), ("The", -0.5), ("C", -3.0)),))
    lp_a, lp_b = label_logprobs(c, "here")
    assert math.isclose(lp_a, -1.0 + math.log(2)) and lp_b == -3.0


def test_sstar_with_the_logprob_judge_records_margins(attempts, executor):
    tools = Toolbox(judge=FakeBackend(truthful_judge, alternatives=truthful_alternatives), executor=executor, config=SelectConfig(judge="logprob"))
    sel = run(make_strategy("sstar").select(DOUBLE, attempts, tools))
    judged = [d for d in sel.trace.duels if d.decided_by == ev.BY_JUDGE]
    assert judged and all(d.judge == "logprob" and d.margin is not None and len(d.answers) == 2 for d in judged)
    assert all(a.margin is not None and a.logprobs for d in judged for a in d.answers)
    assert sel.winner.index == 0 and sel.trace.decided_by == ev.TOURNAMENT


def test_a_server_without_top_logprobs_is_a_clear_error(executor):
    server = FakeOpenAIServer()  # a real HTTP server speaking the chat API, but it sends no logprobs
    try:
        async def go():
            async with OpenAIBackend(OpenAIConfig(model="m", base_url=server.base_url, api_key="k",
                                                  max_retries=0)) as llm:
                tools = Toolbox(judge=llm, executor=executor, config=SelectConfig(judge="logprob"))
                return await judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "logprob", tools, Cost())

        with pytest.raises(BackendError, match="returned no top_logprobs.*llama.cpp's server, vLLM, OpenAI"):
            run(go())
        assert server.received[0]["logprobs"] is True and server.received[0]["top_logprobs"] == 20
    finally:
        server.close()


def test_logprob_judge_on_a_real_llama_cpp_server(executor):
    async def go():
        with LlamaServer(ServerConfig(model="smollm2-135m", parallel=2, ctx_per_slot=2048, threads=1)) as server:
            llm = OpenAIBackend(OpenAIConfig(model="smollm2-135m", base_url=server.base_url + "/v1",
                                             api_key=server.api_key))
            async with llm:
                tools = Toolbox(judge=llm, executor=executor, config=SelectConfig(judge="logprob"))
                return await judge_pair(DOUBLE, RIGHT, WRONG, EVIDENCE, "logprob", tools, Cost())

    answers, points, margin = run(go())
    assert len(answers) == 2 and all(a.tokens == 1 and a.logprobs is not None for a in answers)
    assert all(math.isfinite(lp) and lp <= 0 for a in answers for lp in a.logprobs)
    assert math.isclose(margin, (answers[0].margin + answers[1].margin) / 2)
    assert points in ((2.0, 0.0), (0.0, 2.0), (0.0, 0.0))


@pytest.mark.slow
def test_the_default_judge_on_the_embedded_model_follows_the_evidence(attempts, executor):
    """Against Qwen2.5-Coder-0.5B (greedy, one slot), with the default judge: one duel between a right
    and a wrong program, shown with the right one first and then second. A judge that names one
    fixed position whatever it is shown (as the 0.5B does when asked "A or B?", with any of the
    pairwise requests: bench/results/judge_accuracy.md) gives the same side both times and decides
    neither; this one gives both points to the right program, wherever it stands."""
    from codesieve.llm import open_llm
    from codesieve.select.cluster import probe
    from codesieve.select.judges.predict import Predict
    from codesieve.select.pairwise import differing, duel
    from codesieve.types import CallTest

    assert SelectConfig().judge == "predict"
    right, wrong = attempts[0], attempts[2]  # x * 2 and x + 1: both pass the public test double(1) == 2
    tests = [CallTest((5,)), CallTest((0,)), CallTest((-3,))]

    async def go():
        async with open_llm(parallel=1, threads=1) as llm:
            tools = Toolbox(judge=llm, executor=executor, config=SelectConfig())
            records = []
            for a, b in ((right, wrong), (wrong, right)):
                cost = Cost()
                known = differing(tests, *await probe(DOUBLE, [a, b], tests, tools, cost))
                records.append(await duel(DOUBLE, a, b, known, tools, cost, Predict()))
            return records

    first, second = run(go())
    assert first.decided_by == second.decided_by == ev.BY_JUDGE
    assert (first.points, second.points) == ((2.0, 0.0), (0.0, 2.0)), (first.predictions, second.predictions)
    # the votes come from predicted values read from the model's own answers, not from a position
    assert all(p.predicted is not None for p in first.predictions + second.predictions)
