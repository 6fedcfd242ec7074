import asyncio
from dataclasses import replace

from codesieve.stages import ProblemCandidates
from codesieve.verify.tests import TestsVerifier, all_hidden, all_public, first_hidden, spread_hidden

from tests.verify.conftest import ADD, cands

RIGHT = "def add(a, b):\n    return a + b\n"
WRONG_LATE = "def add(a, b):\n    return a + b if a != 10 else 0\n"  # fails only the 4th hidden test
CRASH = "def add(a, b):\n    return a + undefined\n"


def test_first_k_public_and_full(executor):
    group = ProblemCandidates(ADD, cands(ADD, RIGHT, WRONG_LATE, CRASH))
    keeps = {name: [s.keep for s in asyncio.run(TestsVerifier(executor, pick).check([group]))[0]]
             for name, pick in {"tests:1": first_hidden(1), "public": all_public, "full": all_hidden}.items()}
    assert keeps == {"tests:1": [True, True, False], "public": [True, True, False], "full": [True, False, False]}


def test_batches_problems_and_reports_costs_and_verdicts(executor):
    other = replace(ADD, id="toy/add2")
    groups = [ProblemCandidates(ADD, cands(ADD, RIGHT, CRASH)), ProblemCandidates(other, cands(other, WRONG_LATE))]
    scores = asyncio.run(TestsVerifier(executor, all_hidden).check(groups))
    assert [[s.keep for s in g] for g in scores] == [[True, False], [False]]
    assert scores[0][1].note == "runtime_error" and scores[1][0].note == "wrong_answer"
    assert all(s.cost_s > 0 for g in scores for s in g)


def test_a_problem_without_picked_tests_keeps_everything(executor):
    problem = replace(ADD, public_tests=())
    group = ProblemCandidates(problem, cands(problem, CRASH))
    [scores] = asyncio.run(TestsVerifier(executor, all_public).check([group]))
    assert scores[0].keep and scores[0].note == "no tests" and scores[0].cost_s == 0


def test_real_pool_full_verification_matches_the_labels(executor, pool, problems):
    groups = [ProblemCandidates(problems[pid], tuple(e.candidate for e in entries))
              for pid, entries in pool.by_problem().items()]
    scores = asyncio.run(TestsVerifier(executor, all_hidden).check(groups))
    labels = [[e.passed for e in entries] for entries in pool.by_problem().values()]
    assert [[s.keep for s in g] for g in scores] == labels


def test_a_time_budget_per_test_prunes_slow_programs_and_never_raises_the_limit(executor):
    slow = "def add(a, b):\n    for _ in range(5 * 10**6):\n        pass\n    return a + b\n"  # ~0.2 s
    group = ProblemCandidates(ADD, cands(ADD, RIGHT, slow))
    [untimed] = asyncio.run(TestsVerifier(executor, first_hidden(1)).check([group]))
    [tight] = asyncio.run(TestsVerifier(executor, first_hidden(1), time_s=0.01).check([group]))
    assert [s.keep for s in untimed] == [True, True]
    assert [s.keep for s in tight] == [True, False] and tight[1].note == "timeout"
    strict = replace(ADD, time_limit_s=0.01)
    [capped] = asyncio.run(TestsVerifier(executor, first_hidden(1), time_s=10.0).check(
        [ProblemCandidates(strict, cands(strict, slow))]))
    assert capped[0].note == "timeout"  # a budget above the problem's own limit does not extend it


def test_sample_spreads_over_the_suite():
    assert spread_hidden(2)(ADD) == (ADD.hidden_tests[0], ADD.hidden_tests[3])
    assert spread_hidden(3)(ADD) == (ADD.hidden_tests[0], ADD.hidden_tests[2], ADD.hidden_tests[3])
    assert spread_hidden(1)(ADD) == ADD.hidden_tests[:1] and spread_hidden(9)(ADD) == ADD.hidden_tests
