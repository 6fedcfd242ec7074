from codesieve.llm.fake import FakeBackend
from codesieve.execution.behaviour import Cluster, clusters, signature
from codesieve.select.cluster import group, normalised, representative
from codesieve.stages import Cost, SelectConfig, Toolbox, best_public
from codesieve.types import Attempt, CallTest, Candidate, ExecResult, TestOutcome as Outcome, Verdict

from tests.select.conftest import DOUBLE, run, truthful_judge


def result(*tokens):
    outcomes = tuple(Outcome(Verdict.OK, output=t, output_hash=t) if not t.startswith("!")
                     else Outcome(Verdict(t[1:])) for t in tokens)
    verdict = next((o.verdict for o in outcomes if o.verdict != Verdict.OK), Verdict.OK)
    return ExecResult(verdict, outcomes)


def attempt(i, rate=1.0, lp=None):
    outcomes = (Outcome(Verdict.PASSED),) * int(rate * 4) + (Outcome(Verdict.WRONG_ANSWER),) * (4 - int(rate * 4))
    verdict = Verdict.PASSED if rate == 1.0 else Verdict.WRONG_ANSWER
    return Attempt(Candidate("p", i, f"prog{i}", mean_logprob=lp), ExecResult(verdict, outcomes))


def test_signature_uses_hashes_and_verdicts():
    assert signature(result("a", "!timeout"), 2) == ("a", "timeout")
    assert signature(result("a"), 2) == ("a", "not_run")


def test_clusters_largest_first_then_first_seen():
    sigs = [("x",), ("y",), ("y",), ("z",), ("x",), ("w",)]
    assert clusters(sigs) == [Cluster((0, 4), ("x",)), Cluster((1, 2), ("y",)), Cluster((3,), ("z",)),
                              Cluster((5,), ("w",))]


def test_representative_prefers_public_rate_then_confidence_then_index():
    attempts = [attempt(0, 0.5, -0.1), attempt(1, 1.0, -0.9), attempt(2, 1.0, -0.2), attempt(3, 1.0, -0.2)]
    assert representative(attempts, Cluster((0, 1, 2, 3), ())) == 2
    assert representative(attempts, Cluster((0, 1), ())) == 1


def test_best_public_falls_back_to_the_best_rate():
    assert best_public([attempt(0, 0.5), attempt(1, 1.0), attempt(2, 1.0)]) == [1, 2]
    assert best_public([attempt(0, 0.5), attempt(1, 0.25), attempt(2, 0.5)]) == [0, 2]
    assert best_public([Attempt(Candidate("p", 0, "x"))]) == [0]  # no public tests: kept
    assert best_public([]) == []


def test_normalised_ignores_blank_lines_and_trailing_spaces():
    assert normalised("a = 1  \n\n\nb = 2\n") == normalised("a = 1\nb = 2")


def test_group_drops_inputs_no_candidate_completes(attempts, executor):
    """`double(1, 2)` breaks every candidate (wrong arity): dropped, so it cannot split groups."""
    kept = attempts[:2]  # both correct: one group on valid inputs
    tools = Toolbox(judge=FakeBackend(truthful_judge), executor=executor, config=SelectConfig())
    grouping = run(group(DOUBLE, kept, [CallTest((5,)), CallTest((1, 2)), CallTest((0,))], tools, Cost()))
    assert grouping.rejected == 1 and grouping.tests == (CallTest((5,)), CallTest((0,)))
    assert len(grouping.clusters) == 1 and all(len(p.outcomes) == 2 for p in grouping.probes)
    only_bad = run(group(DOUBLE, attempts[:4], [CallTest((1, 2))], tools, Cost()))
    assert only_bad.rejected == 1 and only_bad.tests == () and len(only_bad.clusters) == 4  # by program text
