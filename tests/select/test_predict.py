from codesieve.llm.fake import FakeBackend
from codesieve.select.evidence import OutputPrediction
from codesieve.select.judges.predict import Predict, Prediction, read_prediction, vote
from codesieve.stages import SelectConfig, Toolbox, make_strategy
from codesieve.types import CallTest, Problem, StdioTest, TaskKind, TestOutcome as Outcome, Verdict

from tests.select.conftest import DOUBLE, asked, run, truthful_judge

SUM = Problem(id="t/sum", prompt="Print the sum of two integers.", kind=TaskKind.STDIO)


def ok(value=None, output=""):
    return Outcome(Verdict.OK, output=output, value=value)


def test_a_prediction_is_read_from_the_last_block_or_line():
    assert read_prediction(DOUBLE, "Sure:\n```python\n[1, 2]\n```") == [1, 2]
    assert read_prediction(DOUBLE, "```python\nx = 3\ndouble(3) == 6\n```") == 6
    assert read_prediction(DOUBLE, "It returns twice x, so\nreturn 8") == 8
    assert read_prediction(DOUBLE, "```python\ndouble(3)\n# Output: 6\n```\nIt doubles.") == 6
    assert read_prediction(DOUBLE, "```python\nNone\n```") is None  # None is a value, not a failure
    assert not Prediction(CallTest((1,)), "", read_prediction(DOUBLE, "I think it doubles.")).readable
    assert read_prediction(SUM, "```\n3\n```") == "3\n"
    assert not Prediction(StdioTest("1 2\n"), "", read_prediction(SUM, "")).readable


def test_a_vote_goes_to_the_only_side_matching_the_prediction():
    four = Prediction(CallTest((2,)), "4", 4)
    assert vote(DOUBLE, four, ok(4), ok(3)) == "A"
    assert vote(DOUBLE, four, ok(3), ok(4.0)) == "B"
    assert vote(DOUBLE, four, ok(4), ok(4)) is None and vote(DOUBLE, four, ok(5), ok(3)) is None
    assert vote(DOUBLE, four, Outcome(Verdict.RUNTIME_ERROR), ok(1)) is None
    pair = Prediction(CallTest((2,)), "(1, 2)", (1, 2))
    assert vote(DOUBLE, pair, ok([1, 2]), ok([2, 1])) == "A"  # the judge cannot know tuple from list
    unread = Prediction(CallTest((2,)), "?")
    assert vote(DOUBLE, unread, ok(None), ok(1)) is None
    three = Prediction(StdioTest("1 2\n"), "3", "3\n")
    assert vote(SUM, three, ok(output="12\n"), ok(output="3 \n")) == "B"


def test_a_stdio_prediction_shorter_than_the_outputs_is_compared_with_their_first_lines():
    first_case = Prediction(StdioTest("3\n1 2\n3 4\n5 6\n"), "3", "3\n")  # the first case's line alone
    assert vote(SUM, first_case, ok(output="3\n7\n11\n"), ok(output="4\n7\n11\n")) == "A"
    assert vote(SUM, first_case, ok(output="3\n7\n11\n"), ok(output="3\n8\n11\n")) is None  # same first line
    two = Prediction(StdioTest("3\n1 2\n3 4\n5 6\n"), "3 7", "3\n7\n")
    assert vote(SUM, two, ok(output="3\n8\n11\n"), ok(output="3\n7\n12\n")) == "B"
    longer = Prediction(StdioTest("1 2\n"), "3 and more", "3\n0\n")  # more lines than either output: compared whole
    assert vote(SUM, longer, ok(output="3\n"), ok(output="4\n")) is None


def select(name, attempts, executor, respond, config=SelectConfig()):
    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=config)
    return run(make_strategy(name).select(DOUBLE, attempts, tools))


def always_a(request, index):
    """A judge that names the first program whatever it sees, and otherwise tells the truth."""
    return "Answer: A" if "Which outputs" in asked(request) else truthful_judge(request, index)


def test_predicted_outputs_decide_where_a_position_biased_judge_cannot(attempts, executor):
    pairwise = select("sstar-mutants", attempts[:4], executor, always_a, SelectConfig.verdict_first())
    assert pairwise.trace.points == (2.0, 2.0, 2.0)  # every judged duel split 1-1
    questions = []

    def counting(request, index):
        questions.append(asked(request))
        return always_a(request, index)

    predicted = select("sstar-predict", attempts[:4], executor, counting)
    assert predicted.winner.index == 0 and predicted.trace.points == (4.0, 1.0, 1.0)
    judged = [d for d in predicted.trace.duels if d.decided_by == "judge"]
    assert judged and all(not d.answers and d.predictions for d in judged)
    assert judged[0].predictions[0] == OutputPrediction("double(10)", "```python\n20\n```", "20", "A")
    assert not any("Which outputs" in text for text in questions)  # the A/B question is never asked
    predictions = [text for text in questions if "What does a correct" in text]
    assert len(predictions) == len(set(predictions))  # one prediction per input serves every duel


def test_unreadable_predictions_leave_the_duel_drawn(attempts, executor):
    def vague(request, index):
        return "It doubles x." if "What does a correct" in asked(request) else truthful_judge(request, index)

    sel = select("sstar-predict", attempts[:4], executor, vague)
    judged = [d for d in sel.trace.duels if d.decided_by == "judge"]
    assert judged and all(d.points == (1.0, 1.0) and d.predictions[0].predicted is None for d in judged)
    assert sel.winner.index == 0  # the largest group, as without a judge


def test_a_real_model_predicts_and_its_answer_is_read(executor):
    from codesieve.llm import open_llm
    from codesieve.stages import Cost

    async def go():
        async with open_llm("smollm2-135m", parallel=1, threads=1) as llm:  # one slot: no batch, same answers
            tools, cost = Toolbox(judge=llm, executor=executor, config=SelectConfig()), Cost()
            tests = [CallTest((10,)), CallTest((10,)), CallTest((3,))]
            return await Predict().predict(DOUBLE, tests, tools, cost), cost

    predictions, cost = run(go())
    assert [p.test for p in predictions] == [CallTest((10,)), CallTest((10,)), CallTest((3,))]
    assert cost.model_calls == 2  # the repeated input is asked once
    assert [p.value for p in predictions] == [10, 10, 6]  # it answers "double(3)\n# Output: 6"


def test_on_stdin_tasks_a_prediction_can_overturn_the_larger_group(executor):
    from codesieve.execution import Job
    from codesieve.types import Attempt
    from codesieve.types import Candidate

    problem = Problem(id="t/add", prompt="Read two integers and print their sum.", kind=TaskKind.STDIO,
                      public_tests=(StdioTest("1 2\n", "3\n"),))
    bodies = ["a, b = map(int, input().split())\nprint(a + b if a < 5 else a * b)\n",
              "a, b = map(int, input().split())\nprint(a * b if a > 4 else a + b)\n",
              "print(sum(map(int, input().split())))\n"]
    cands = [Candidate(problem.id, i, body) for i, body in enumerate(bodies)]
    results = executor.run([Job.for_problem(problem, c.program, problem.public_tests, stop_on_fail=False)
                            for c in cands])
    attempts = [Attempt(c, r) for c, r in zip(cands, results)]

    def respond(request, index):
        text = asked(request)
        if "What does a correct solution print" in text:
            a, b = map(int, text.split("```\n")[1].split())
            return f"```\n{a + b}\n```"
        return "```\n7 8\n```"  # grouping and separating inputs alike

    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=SelectConfig(judge="reason"))
    plain = run(make_strategy("sstar-mutants").select(problem, attempts, tools))
    assert plain.winner.index == 0  # the judge is asked A or B and the fake answers neither: larger group
    assert SelectConfig().judge == "predict"  # the default: sstar-mutants then judges as sstar-predict does
    sel = run(make_strategy("sstar-predict").select(problem, attempts, tools))
    assert [g.size for g in sel.trace.groups] == [2, 1]
    assert sel.winner.index == 2 and sel.trace.duels[0].predictions[0].predicted == "'15\\n'"


def test_the_default_judge_is_shown_nothing_to_copy():
    """The default judge's request holds the problem and one input: no program, no program's output,
    no side to name and no answer string, so what it writes is its own prediction."""
    from codesieve.select.prompts import prediction_request

    assert SelectConfig().judge == "predict"
    request = prediction_request(DOUBLE, "double(5)", 96, 0)
    text = " ".join(m.content for m in request.messages)
    assert [m.role for m in request.messages] == ["user"]  # nothing begun for the judge either
    assert "double(5)" in text and "Return twice x." in text
    for absent in ("return x", "Program A", "Program B", "Answer:", "Verdict", "10", "7"):
        assert absent not in text, absent
