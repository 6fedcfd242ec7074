"""The executor on ordinary programs: verdicts, per-test outcomes, probes, caching, limits."""

import asyncio
import os

from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.types import AssertTest, CallTest, Comparison, Limits, StdioTest, TaskKind, Verdict


def test_function_tests_each_get_an_outcome(executor):
    job = Job("def f(x):\n    return x * 2\n", TaskKind.FUNCTION,
              (CallTest((1,), 2), CallTest((2,), 5), CallTest((3,), 6)), entry_point="f", stop_on_fail=False)
    result = executor.run([job])[0]
    assert [o.verdict for o in result.outcomes] == [Verdict.PASSED, Verdict.WRONG_ANSWER, Verdict.PASSED]
    assert result.verdict is Verdict.WRONG_ANSWER and result.n_passed == 2
    assert result.outcomes[1].output == "4"


def test_stop_on_fail_skips_the_rest(executor):
    job = Job("def f(x):\n    return 0\n", TaskKind.FUNCTION, (CallTest((1,), 1), CallTest((2,), 0)), entry_point="f")
    assert [o.verdict for o in executor.run([job])[0].outcomes] == [Verdict.WRONG_ANSWER, Verdict.NOT_RUN]


def test_runtime_error_carries_type_message_and_traceback(executor):
    job = Job("def f(x):\n    return 1 // x\n", TaskKind.FUNCTION, (CallTest((0,), 0),), entry_point="f")
    outcome = executor.run([job])[0].outcomes[0]
    assert outcome.verdict is Verdict.RUNTIME_ERROR
    assert outcome.error.type == "ZeroDivisionError"
    assert 'File "solution.py", line 2' in outcome.error.traceback and "return 1 // x" in outcome.error.traceback


def test_an_error_raised_in_the_harness_shows_none_of_its_frames(executor):
    """A return value the harness cannot encode fails in codesieve's code: the traceback the debug
    feedback quotes names no codesieve file, so it does not change with where codesieve is installed."""
    job = Job("def f(x):\n    a = []\n    for _ in range(5000):\n        a = [a]\n    return a\n", TaskKind.FUNCTION,
              (CallTest((1,), 1),), entry_point="f")
    error = executor.run([job])[0].outcomes[0].error
    assert error.type == "ValueError" and "nested too deeply" in error.message
    assert "codesieve" not in error.traceback and "codec" not in error.traceback


def test_syntax_error_and_missing_entry_point(executor):
    broken = Job("def f(x)\n  return x\n", TaskKind.FUNCTION, (CallTest((1,), 1), CallTest((2,), 2)), entry_point="f",
                 stop_on_fail=False)
    missing = Job("def g(x):\n    return x\n", TaskKind.FUNCTION, (CallTest((1,), 1),), entry_point="f")
    r1, r2 = executor.run([broken, missing])
    assert r1.outcomes[0].error.type == "SyntaxError" and r1.outcomes[1].verdict is Verdict.NOT_RUN
    assert r2.outcomes[0].error.type == "NameError"


def test_class_method_entry_point_and_json_comparison(executor):
    program = "class Solution:\n    def pair(self, a, b):\n        return (a, b)\n"
    job = Job(program, TaskKind.FUNCTION, (CallTest((1, 2), [1, 2]),), entry_point="Solution.pair",
              comparison=Comparison(sequences_as_lists=True))
    assert executor.run([job])[0].verdict is Verdict.PASSED


def test_assert_tests_run_in_the_program_namespace(executor):
    job = Job("def add(a, b):\n    return a + b\n", TaskKind.FUNCTION,
              (AssertTest("assert add(1, 2) == 3"), AssertTest("assert add(1, 1) == 3")), stop_on_fail=False)
    assert [o.verdict for o in executor.run([job])[0].outcomes] == [Verdict.PASSED, Verdict.RUNTIME_ERROR]


def test_stdio_program_compares_tokens(executor):
    program = "import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\nprint(a / b)\n"
    job = Job(program, TaskKind.STDIO, (StdioTest("1 3", "4\n0.33333333"), StdioTest("2 2", "5 1")),
              stop_on_fail=False)
    result = executor.run([job])[0]
    assert [o.verdict for o in result.outcomes] == [Verdict.PASSED, Verdict.WRONG_ANSWER]
    assert result.outcomes[1].output.split() == ["4", "1.0"]


def test_probe_returns_values_and_hashes(executor):
    job = Job("def f(x):\n    return {x: (x, 0.1 + 0.2)}\n", TaskKind.FUNCTION, (CallTest((1,)), CallTest((2,))),
              entry_point="f", probe=True, stop_on_fail=False)
    result = executor.run([job])[0]
    assert result.verdict is Verdict.OK
    assert result.outcomes[0].value == {1: (1, 0.30000000000000004)}
    assert result.outcomes[0].output_hash != result.outcomes[1].output_hash


def test_each_program_runs_in_a_fresh_process(executor):
    program = "import builtins\ndef f(x):\n    builtins.counter = getattr(builtins, 'counter', 0) + 1\n    return builtins.counter\n"
    jobs = [Job(program + f"# {i}\n", TaskKind.FUNCTION, (CallTest((0,), 1),), entry_point="f") for i in range(4)]
    assert all(r.verdict is Verdict.PASSED for r in executor.run(jobs))


def test_results_are_cached_by_content(tmp_path):
    cache = ExecutionCache(tmp_path / "exec.sqlite")
    job = Job("def f():\n    return 1\n", TaskKind.FUNCTION, (CallTest((), 1),), entry_point="f")
    with Executor(1, cache=cache) as ex:
        first, again = ex.run([job]), ex.run([job])
    assert not first[0].cached and again[0].cached and again[0].verdict is Verdict.PASSED
    with Executor(1, cache=ExecutionCache(tmp_path / "exec.sqlite")) as ex:  # persisted across executors
        assert ex.run([job])[0].cached


def test_duplicate_jobs_in_a_batch_run_once(executor):
    job = Job("def f():\n    return 2\n", TaskKind.FUNCTION, (CallTest((), 2),), entry_point="f")
    results = executor.run([job] * 5)
    assert len(results) == 5 and all(r.passed for r in results)


def test_run_async(executor):
    job = Job("print(7)", TaskKind.STDIO, (StdioTest("", "7"),))
    assert asyncio.run(executor.run_async([job]))[0].passed


def test_cpu_limit_is_per_test(executor):
    program = "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n"
    job = Job(program, TaskKind.FUNCTION, (CallTest((10,), 45), CallTest((10**10,), 0), CallTest((4,), 6)),
              entry_point="f", limits=Limits(time_s=0.5), stop_on_fail=False)
    verdicts = [o.verdict for o in executor.run([job])[0].outcomes]
    assert verdicts == [Verdict.PASSED, Verdict.TIMEOUT, Verdict.PASSED]


def test_untrusted_code_never_runs_in_this_process(executor):
    job = Job("import os\nprint(os.getpid())", TaskKind.STDIO, (StdioTest("", None),), probe=True)
    assert int(executor.run([job])[0].outcomes[0].output) != os.getpid()


def test_huge_results_are_not_cached(tmp_path):
    cache = ExecutionCache(tmp_path / "exec.sqlite", max_entry_bytes=1000)
    job = Job("def f():\n    return 'x' * 5000\n", TaskKind.FUNCTION, (CallTest(()),), entry_point="f", probe=True)
    with Executor(1, cache=cache) as ex:
        assert not ex.run([job])[0].cached and not ex.run([job])[0].cached


def test_programs_do_not_inherit_the_harness_future_imports(executor):
    job = Job("def f(x: undefined_name):\n    return 1\n", TaskKind.FUNCTION, (CallTest((0,), 1),), entry_point="f")
    assert executor.run([job])[0].outcomes[0].error.type == "NameError"


def test_a_large_return_value_is_not_mistaken_for_a_hang(executor):
    job = Job("def f(n):\n    return 'ab' * n\n", TaskKind.FUNCTION, (CallTest((3_500_000,), "ab" * 3_500_000),),
              entry_point="f", limits=Limits(time_s=1.0))
    result = executor.run([job])[0]
    assert result.verdict is Verdict.PASSED  # the 4 s wall guard would say timeout


def test_integers_past_the_str_limit_are_compared_exactly_and_shown_by_size(executor):
    """str() of a million-digit int takes seconds; results show such a number by its size."""
    program = "def f(n):\n    return [10 ** n + 1, 7]\n"
    job = Job(program, TaskKind.FUNCTION, (CallTest((100_000,), [10 ** 100_000 + 1, 7]), CallTest((5_000,), [0, 7])),
              entry_point="f", stop_on_fail=False)
    passed, failed = executor.run([job])[0].outcomes
    assert passed.verdict is Verdict.PASSED and failed.verdict is Verdict.WRONG_ANSWER
    assert passed.output == "[<int of about 100001 digits>, 7]"
    assert failed.output == "[<int of about 5001 digits>, 7]"


def test_test_sets_travel_once_and_come_again_after_the_worker_lets_them_go():
    """Workers keep decoded test sets (8 MB of JSON at most, and always the newest); a set let go is
    asked for again."""
    sets = [(CallTest(("ab" * (1_500_000 + k),), 3_000_000 + 2 * k),) for k in range(3)]  # ~3 MB of JSON each

    def job(tests, extra):
        return Job(f"def f(s):\n    return len(s) + {extra}\n", TaskKind.FUNCTION, tests, entry_point="f")

    with Executor(1, cache=ExecutionCache(max_memory_items=0)) as ex:
        assert all(r.passed for r in ex.run([job(tests, 0) for tests in sets]))  # the third lets the first go
        assert ex.run([job(sets[0], 1)])[0].verdict is Verdict.WRONG_ANSWER
        assert ex.run([job(sets[2], 0.0)])[0].passed  # held: sent without its tests
        big = (CallTest(("x" * (9 << 20),), 9 << 20),)  # past the 8 MB: held alone
        assert ex.run([job(big, 0)])[0].passed and ex.run([job(big, 1)])[0].verdict is Verdict.WRONG_ANSWER


def test_grading_compares_in_the_child_with_the_same_verdicts(executor):
    """A value whose encoding equals the expected one passes without travelling; anything else is
    decoded and compared as before: tolerances, 1 == 1.0, NaN, and a lying __eq__ that must not pass."""
    program = ("class S(str):\n    def __eq__(self, other):\n        return True\n    __hash__ = str.__hash__\n"
               "def f(k):\n    return [{'b': 1, 'a': 2}, (1, 2), 1, 0.1 + 0.2, float('nan'), [[float('nan')]], S('x'), 'y'][k]\n")
    cases = [({'a': 2, 'b': 1}, Verdict.PASSED), ((1, 2), Verdict.PASSED), (1.0, Verdict.PASSED),
             (0.3, Verdict.PASSED), (float("nan"), Verdict.PASSED), ([[float("nan")]], Verdict.WRONG_ANSWER),
             ("y", Verdict.WRONG_ANSWER), ("y", Verdict.PASSED)]
    for stop in (True, False):
        jobs = [Job(program, TaskKind.FUNCTION, (CallTest((k,), exp),), entry_point="f", stop_on_fail=stop)
                for k, (exp, _) in enumerate(cases)]
        assert [r.verdict for r in executor.run(jobs)] == [v for _, v in cases], stop


def test_results_carry_the_sandboxed_cpu_time(executor):
    job = Job("def f(n):\n    return sum(range(n))\n", TaskKind.FUNCTION, (CallTest((3_000_000,), 4499998500000),),
              entry_point="f")
    result = executor.run([job])[0]
    assert result.passed and result.cpu_s >= result.outcomes[0].time_s > 0
