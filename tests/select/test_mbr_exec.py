"""mbr-exec scores each public-test survivor by partial output agreement with the others and picks
the highest; it differs from majority vote where no exact group is right but near-misses agree."""

from codesieve.execution import Job
from codesieve.llm.fake import FakeBackend
from codesieve.select.baseline_evidence import MbrExecEvidence
from codesieve.select.mbr_exec import agreement
from codesieve.stages import SelectConfig, Toolbox, evidence_type, make_strategy
from codesieve.types import Attempt, Candidate, ExecResult, TestOutcome as Outcome, Verdict

from tests.select.conftest import DOUBLE, run, truthful_judge

# truthful_judge's inputs are double(0), double(5), double(-3); every body passes double(1) == 2
BODIES = ["return 2 if x == 1 else x + 1",  # wrong everywhere else: 1, 6, -2
          "return x * 2",  # right: 0, 10, -6
          "return 2 if x == 1 else x + 1",  # the same wrong program: majority vote's group of two
          "return x * 2 if x >= 0 else 0",  # right but on -3
          "return x * 2 if x != 5 else 11"]  # right but on 5


def attempts_of(bodies, executor):
    cands = [Candidate(DOUBLE.id, i, f"def double(x):\n    {b}\n") for i, b in enumerate(bodies)]
    results = executor.run([Job.for_problem(DOUBLE, c.program, DOUBLE.public_tests, stop_on_fail=False)
                            for c in cands])
    return [Attempt(c, r) for c, r in zip(cands, results)]


def select(name, attempts, executor):
    tools = Toolbox(judge=FakeBackend(truthful_judge), executor=executor, config=SelectConfig())
    return run(make_strategy(name).select(DOUBLE, attempts, tools))


def ok(output):
    return Outcome(Verdict.OK, output=output)


def test_agreement_counts_the_others_with_the_same_output_on_each_input_and_failures_agree_with_nothing():
    crash = Outcome(Verdict.RUNTIME_ERROR)
    probes = [ExecResult(Verdict.OK, (ok("1"), ok("2"))), ExecResult(Verdict.OK, (ok("1"), ok("3"))),
              ExecResult(Verdict.OK, (ok("1"), crash)), ExecResult(Verdict.OK, (crash, crash))]
    assert agreement(probes, 2) == [2, 2, 2, 0]
    assert agreement(probes[:2], 1) == [1, 1]


def test_partial_agreement_finds_the_program_majority_vote_misses(executor):
    attempts = attempts_of(BODIES, executor)
    majority = select("majority-vote", attempts, executor)
    assert majority.winner.index == 0  # the only group of two is the wrong program
    sel = select("mbr-exec", attempts, executor)
    assert sel.winner.index == 1 and "highest agreement of 5: 4" in sel.reason
    assert isinstance(sel.trace, MbrExecEvidence) and evidence_type("mbr-exec") is MbrExecEvidence
    assert sel.trace.scores == (3, 4, 3, 3, 3) and len(sel.trace.inputs) == 3
    assert sel.trace.inputs_raw == majority.trace.inputs_raw


def test_inputs_are_asked_once_for_mbr_exec_majority_vote_and_s_star(executor):
    attempts = attempts_of(BODIES, executor)
    asked = []

    def counting(request, index):
        asked.append(request)
        return truthful_judge(request, index)

    tools = Toolbox(judge=FakeBackend(counting), executor=executor, config=SelectConfig())

    async def both():
        return [await make_strategy(n).select(DOUBLE, attempts, tools) for n in ("mbr-exec", "majority-vote")]

    mbr, majority = run(both())
    assert len(asked) == 1 and mbr.cost.model_calls == majority.cost.model_calls == 1  # each charged in full


def test_one_survivor_wins_without_inputs_and_ties_go_to_the_first_ranked(attempts, executor):
    one = select("mbr-exec", [attempts[0], attempts[4]], executor)  # 4 fails the public test
    assert one.winner.index == 0 and one.cost.model_calls == 0 and one.trace.scores == (0,)
    tied = select("mbr-exec", attempts_of(["return x * 2", "return x + x"], executor), executor)
    assert tied.trace.scores == (3, 3) and tied.winner.index == 0
