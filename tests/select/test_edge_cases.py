from dataclasses import replace

from codesieve.execution import Job
from codesieve.llm.fake import FakeBackend
from codesieve.select.edge_cases import edge_cases, edges, signature_values
from codesieve.stages import SelectConfig, Toolbox, make_strategy
from codesieve.types import Attempt, CallTest, Candidate, Problem, StdioTest, TaskKind

from tests.select.conftest import DOUBLE, asked, run, truthful_judge


def test_each_type_has_its_edges():
    assert edges(5) == [0, 1, -1, -5] and edges(-2) == [0, 1, -1]
    assert edges(2.5) == [0.0, 1.0, -1.0, -2.5]
    assert edges("ab")[:2] == ["", "a"] and edges("ab")[2] == "ab" * 50
    assert edges([3, 1]) == [[], [3], [3, 1] * 50, [-3, -1]]
    assert edges(("x", "y"))[:2] == [(), ("x",)] and len(edges(("x", "y"))) == 3  # no numbers to negate
    assert edges({"a": 1}) == [{}] and edges(True) == [] and edges(None) == []


def test_function_edges_change_one_argument_then_empty_them_all():
    problem = Problem(id="t/f", prompt="", kind=TaskKind.FUNCTION, entry_point="f",
                      public_tests=(CallTest(([1, 2], 3), 4), CallTest(([0], 0), 0)))
    found = [t.args for t in edge_cases(problem)]
    assert ([], 3) in found and ([1], 3) in found and ([-1, -2], 3) in found
    assert ([1, 2], 0) in found and ([1, 2], -3) in found and ([1, 2], -1) in found
    assert found[-1] == ([], 0)  # every argument at its emptiest
    assert len(found) == len({repr(a) for a in found}) and all(isinstance(t, CallTest) for t in edge_cases(problem))
    at_zero = [t.args for t in edge_cases(replace(problem, public_tests=(CallTest(([1, 2], 0), 0),)))]
    assert at_zero.count(([], 0)) == 1 and ([], 1) not in at_zero  # zero is already the emptiest


def test_edge_cases_never_repeat_a_public_input():
    assert {t.args for t in edge_cases(DOUBLE)} == {(0,), (-1,)}  # double(1) is the example


def test_without_examples_the_signature_gives_the_values():
    problem = Problem(id="t/g", prompt="", kind=TaskKind.FUNCTION, entry_point="g",
                      starter_code="from typing import List\n\n"
                                   "def g(xs: List[int], s: str, k: float) -> int:\n    pass\n")
    assert signature_values(problem) == ([1, 2, 3], "abc", 1.5)
    assert ([], "abc", 1.5) in [t.args for t in edge_cases(problem)]
    untyped = replace(problem, starter_code="def g(xs, s):\n    pass\n")
    assert signature_values(untyped) == () and edge_cases(untyped) == ()
    # a candidate's signature serves when the problem shows none
    assert signature_values(replace(problem, starter_code=None), ["def g(d: dict[str, int]):\n  return 0\n"]) == (
        {"abc": 1},)


def test_stdin_edges_cut_every_counted_part_to_one_item_and_grow_it_long():
    problem = Problem(id="t/io", prompt="", kind=TaskKind.STDIO,
                      public_tests=(StdioTest("2\n3\n1 2 3\n2\n4 5\n", "6\n9\n"), StdioTest("7\n")))
    one, long = [t.input for t in edge_cases(problem)]
    assert one == "2\n1\n1\n1\n4\n"
    lines = long.split("\n")
    assert lines[1] == "100" and len(lines[2].split()) == 100 and lines[3] == "100" and len(lines[4].split()) == 100


def attempts_of(executor, problem, bodies):
    name = problem.entry_point
    cands = [Candidate(problem.id, i, f"def {name}(xs):\n    {b}\n") for i, b in enumerate(bodies)]
    results = executor.run([Job.for_problem(problem, c.program, problem.public_tests, stop_on_fail=False)
                            for c in cands])
    return [Attempt(c, r) for c, r in zip(cands, results)]


def repeating(example):
    """A small model's habit: asked for new inputs, it repeats the example; else `truthful_judge`."""
    def respond(request, index):
        if "Write 5 new test inputs" in asked(request):
            return f"```python\n{example}\n```"
        return truthful_judge(request, index)
    return respond


def select(name, problem, attempts, executor, respond, config=SelectConfig()):
    tools = Toolbox(judge=FakeBackend(respond), executor=executor, config=config)
    return run(make_strategy(name).select(problem, attempts, tools))


def test_edge_cases_split_candidates_that_agree_on_the_example(executor):
    """HumanEval/9's failure in small: every candidate agrees on the example the model repeats, an
    empty list splits them; the edge on which every candidate crashes is dropped and counted."""
    problem = Problem(id="t/last", prompt="def last(xs):\n    '''The last item, or None if there is none.'''\n",
                      kind=TaskKind.FUNCTION, entry_point="last", public_tests=(CallTest(([1, 2],), 2),))
    attempts = attempts_of(executor, problem, ["return xs[-1] if xs else None", "return xs[len(xs) - 1]"])
    plain = select("sstar", problem, attempts, executor, repeating("last([1, 2])"), SelectConfig(inputs="model"))
    assert len(plain.trace.groups) == 1 and plain.trace.inputs_edge == 0
    default = select("sstar", problem, attempts, executor, repeating("last([1, 2])"))  # what ships: cheap inputs too
    assert default.trace.inputs_edge == 4 and len(default.trace.groups) == 2
    cheap = select("sstar-cheap", problem, attempts, executor, repeating("last([1, 2])"))
    assert cheap.trace.inputs_edge == 4 and cheap.trace.inputs_mutated > 0
    assert "last([])" in cheap.trace.inputs and len(cheap.trace.groups) == 2
    assert cheap.trace.rejected_edge == 0 and cheap.trace.rejected_mutated == 0  # `[]` crashes one, not both
    both_crash = attempts_of(executor, problem, ["return xs[-1]", "return xs[len(xs) - 1]"])
    dropped = select("sstar-cheap", problem, both_crash, executor, repeating("last([1, 2])"))
    assert "last([])" not in dropped.trace.inputs  # a mutant too: counted where it came first
    assert dropped.trace.rejected_mutated == 1 and dropped.trace.rejected_edge == 0
    assert dropped.trace.inputs_rejected == dropped.trace.rejected_edge + dropped.trace.rejected_mutated
