"""What the HTML report shows, as plain JSON-ready data built from a run store.

A run becomes a small summary (every strategy's accuracy with its 95% interval and cost, S*
against each other strategy with the sign test, the oracle split, one row per problem) and one
detail per problem (statement, every candidate with its rounds, public-test results, the
feedback its debug request showed, its hidden-test verdict, and each strategy's pick with its
evidence). The page shows the summary at once and builds a problem's view from its detail only
when it is opened, so the details travel compressed (`pack`).

Hidden-test verdicts of every candidate (not only the picks) need the problems and an executor:
without them the report still shows everything stored, and says the oracle split is unknown.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from contextlib import ExitStack, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable, Mapping, Sequence

from codesieve.errors import CodesieveError, ConfigError
from codesieve.execution import ExecutionCache, Executor
from codesieve.generate.prompts import feedback
from codesieve.generate.public import public_tests
from codesieve.report.oracle import POOLS, hidden_results
from codesieve.select.baseline_evidence import MajorityEvidence
from codesieve.select.evidence import Behaviour, Observed, SStarEvidence
from codesieve.select.inputs import show_input
from codesieve.stages import make_strategy
from codesieve.stats import paired, proportion
from codesieve.store import Pools, ProblemRecord, RunStore, SelectionRecord, StrategyTotals, jsonable
from codesieve.text import clip
from codesieve.types import Attempt, CallTest, ExecResult, Problem, StdioTest, Test, TestOutcome, Verdict
from codesieve.verify.strategy import CascadeEvidence

OUTPUT_CHARS = 400  # of one shown output or error message
RAW_CHARS = 6000  # of one model answer

Graded = Mapping[str, Mapping[str, ExecResult]]  # pool -> candidate id -> hidden-test result (`oracle`)


def hidden_summary(result: ExecResult, problem: Problem | None = None) -> dict[str, Any]:
    """A hidden-test result as the report keeps it: passed, counts and the first failure only,
    with its test when `problem` is known (a HumanEval+ grade holds hundreds of outcomes).
    `failed_at` is the first failing test's position (1-based): grading stops there."""
    outcomes = result.outcomes
    at = next((i for i, o in enumerate(outcomes) if o.verdict not in (Verdict.PASSED, Verdict.OK, Verdict.NOT_RUN)),
              None)
    passed = result.passed
    failure = None
    if at is not None and not passed:
        failure = _shown_outcome(outcomes[at])
        if problem is not None and at < len(problem.hidden_tests):
            test = problem.hidden_tests[at]
            failure |= {"input": show_input(problem, test), "expected": _expected(test)}
    # grading stops at the first failing test: `failed_at` (1-based) says how far a program got
    return {"passed": passed, "verdict": result.verdict.value, "total": len(outcomes),
            "n_passed": result.n_passed, "failure": failure,
            "failed_at": None if at is None or passed else at + 1}


@dataclass(frozen=True)
class RunReport:
    """One run as the report shows it: `run_data`'s summary and problem details."""

    summary: Mapping[str, Any]
    details: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def store_reports(path: Path, prefix: str = "", *, grade: bool = True, workers: int | None = None,
                  cache: Path | None = None, problems: Mapping[str, Problem] | None = None,
                  executor: Executor | None = None,
                  status: Callable[[str], ContextManager[Any]] = lambda text: nullcontext(),
                  warn: Callable[[str], None] = lambda text: None) -> list[RunReport]:
    """A `RunReport` of the run keyed `prefix` in the store at `path`, else of each run whose key
    starts with it (all of them by default).

    With `grade`, every candidate is graded on the hidden tests: on `executor` with `problems`
    when given (`codesieve run --report` has them), else each run's problems are loaded and an
    executor started (results cached in `cache`). A run whose problems cannot be loaded is still
    reported, ungraded, after `warn`. `status(text)` wraps each slow step (a progress display)."""
    if not Path(path).exists():
        raise ConfigError(f"no run store at {path}")
    with ExitStack() as stack:
        store = stack.enter_context(RunStore(path))
        keys = [(k, c) for k, c in store.runs() if k == prefix] or \
            [(k, c) for k, c in store.runs() if k.startswith(prefix)]
        if not keys:
            known = ", ".join(k for k, _ in store.runs()) or "none"
            raise ConfigError(f"no run {prefix!r} in {path} (runs there: {known})")
        if grade and executor is None:
            executor = stack.enter_context(Executor(workers, cache=ExecutionCache(cache) if cache else None))
        out = []
        for key, config in keys:
            found = problems
            if grade and found is None:
                with status(f"loading {config.get('benchmark', '?')} problems for {key}"):
                    try:
                        found = load_problems(store, key, config, executor)
                    except CodesieveError as exc:  # the report still shows what is stored
                        warn(f"{key}: candidates not graded, its problems cannot be loaded: {exc}")
            with status(f"reading {key}" + (" and grading every candidate" if grade and found else "")):
                summary, details = run_data(store, key, problems=found if grade else None,
                                            executor=executor if grade else None, label=f"{key} ({Path(path).name})")
            out.append(RunReport(summary, details))
        return out


def load_problems(store: RunStore, key: str, config: Mapping[str, Any], executor: Executor) -> dict[str, Problem]:
    """The problems of run `key`, loaded as the run loaded them (its benchmark and data file)."""
    from codesieve.problems import load_benchmark

    ids = sorted({pid for by_problem in store.results(key).values() for pid in by_problem})
    problems = load_benchmark(config.get("benchmark", ""), data=config.get("data") or None, ids=ids, executor=executor)
    return {p.id: p for p in problems}


def run_data(store: RunStore, key: str, *, problems: Mapping[str, Problem] | None = None,
             executor: Executor | None = None, label: str = "") -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The summary of run `key` and the detail of each of its problems (problem id -> detail).

    With `problems` and `executor`, every candidate is graded on the hidden tests (the executor's
    cache makes a second report cheap); otherwise only the picks' stored grades are known."""
    config = dict(next((c for k, c in store.runs() if k == key), {}))
    records = sorted(store.problems(key), key=lambda r: _natural(r.problem_id))
    details: dict[str, dict[str, Any]] = {}
    for record in records:
        problem = (problems or {}).get(record.problem_id)
        graded = None
        if problem is not None and executor is not None:
            graded = hidden_results([record], {problem.id: problem}, executor, POOLS).get(problem.id, {})
        details[record.problem_id] = problem_detail(record, problem, graded)
    strategies = [t.strategy for t in store.totals(key)]
    summary = {
        "key": key, "label": label or key, "benchmark": config.get("benchmark", ""), "config": config,
        "graded": bool(problems) and executor is not None,
        "problems": [_problem_row(d, strategies) for d in details.values()],
    }
    summary["strategies"] = [_strategy_summary(t, details.values()) for t in store.totals(key)]
    summary["comparisons"] = _comparisons(strategies, details.values())
    return summary, details


def problem_detail(record: ProblemRecord, problem: Problem | None, graded: Graded | None) -> dict[str, Any]:
    """One problem's detail: statement, public tests, candidates by pool, each strategy's pick."""
    tests = public_tests(problem) if problem is not None else ()
    pools = {name: [[_attempt(a, problem, None if graded is None else graded.get(name, {}),
                              last=(k == len(lin.attempts) - 1))
                     for k, a in enumerate(lin.attempts)]
                    for lin in lineages]
             for name, lineages in sorted(record.pools.named().items())}
    picks = {name: _pick(selection, record.pools, problem) for name, selection in record.strategies.items()}
    correct = {name: (None if graded is None else any(a["hidden"] and a["hidden"]["passed"]
                                                      for lin in lins for a in lin))
               for name, lins in pools.items()}
    return {
        "id": record.problem_id, "benchmark": record.benchmark,
        "statement": problem.prompt if problem is not None else None,
        "public_tests": [{"input": show_input(problem, t), "expected": _expected(t)} for t in tests],
        "pools": pools, "correct_in_pool": correct, "strategies": picks,
    }


def _attempt(attempt: Attempt, problem: Problem | None, graded: Mapping[str, ExecResult] | None,
             last: bool) -> dict[str, Any]:
    cand, public = attempt.candidate, attempt.public
    hidden = None if graded is None else graded.get(cand.id)
    out: dict[str, Any] = {
        "id": cand.id, "index": cand.index, "round": cand.round, "program": cand.program,
        "raw": clip(cand.raw, RAW_CHARS), "tokens": cand.completion_tokens, "logprob": cand.mean_logprob,
        "public": None if public is None else {
            "verdict": public.verdict.value, "passed": public.n_passed, "total": len(public.outcomes),
            "outcomes": [_shown_outcome(o) for o in public.outcomes]},
        "hidden": None if hidden is None else hidden_summary(hidden, problem),
    }
    # the feedback the next debug request showed (only attempts that were debugged further have one)
    if not last and public is not None and problem is not None:
        out["feedback"] = feedback(problem, public)
    return out


def pool_of(strategy: str) -> str | None:
    """The stored pool ('greedy' or 'sampled') a strategy picks from; None for one not registered here."""
    try:
        return "greedy" if make_strategy(strategy).pool.greedy else "sampled"
    except ConfigError:
        return None


def _pick(record: SelectionRecord, pools: Pools, problem: Problem | None) -> dict[str, Any]:
    """One strategy's pick as the page shows it, with the name of the pool it picked from."""
    named = pools.named()
    pool = pool_of(record.strategy)
    if pool not in named:  # a strategy registered elsewhere: the pool that holds its pick
        pool = next((name for name, lineages in named.items()
                     if any(a.candidate.id == record.winner and a.candidate.program == record.program
                            for lin in lineages for a in lin.attempts)), None)
    out: dict[str, Any] = {
        "winner": record.winner, "pool": pool, "reason": record.reason, "passed": record.passed,
        "cost": asdict(record.cost), "wall_s": record.wall_s,
        "grade": None if record.grade is None else hidden_summary(record.grade, problem),
    }
    evidence = record.evidence
    if isinstance(evidence, SStarEvidence):
        out |= {"evidence": _with_behaviour(evidence).to_json(), "duels": True}
    elif isinstance(evidence, MajorityEvidence):  # S*'s grouping without the duels: the largest group wins
        grouped = SStarEvidence(kept=evidence.kept, public_rate=1.0, inputs=evidence.inputs,
                                inputs_raw=evidence.inputs_raw,
                                inputs_invalid=evidence.inputs_invalid, inputs_rejected=evidence.inputs_rejected,
                                groups=evidence.groups, winner_group=0 if evidence.groups else None)
        out |= {"evidence": _with_behaviour(grouped).to_json(), "duels": False}
    elif isinstance(evidence, CascadeEvidence):
        out["cascade"] = jsonable(evidence)
    elif evidence:
        out["trace"] = jsonable(evidence)
    return out


def _with_behaviour(evidence: SStarEvidence) -> SStarEvidence:
    """Records stored before the behaviour table was kept have each group's outputs: a member
    behaved as its representative, so the table is rebuilt from those."""
    if evidence.behaviour or not evidence.groups or not evidence.inputs:
        return evidence
    rows = []
    for group in evidence.groups:
        outcomes = tuple(Observed(_verdict_of(text), text) for text in group.outputs)
        rows += [Behaviour(member, outcomes) for member in group.members]
    return replace(evidence, behaviour=tuple(rows))


def _verdict_of(shown: str) -> str:
    head = shown.split(" ", 1)[0]
    return head if head in {v.value for v in Verdict} - {"ok"} else "ok"


def _problem_row(detail: Mapping[str, Any], strategies: Sequence[str]) -> dict[str, Any]:
    """One problem in the run view's list: each strategy's verdict and whether its pool held a correct program."""
    picks = detail["strategies"]
    return {
        "id": detail["id"],
        "passed": {s: picks[s]["passed"] for s in strategies if s in picks},
        "oracle": {s: _pool_correct(detail, picks[s]) for s in strategies if s in picks},
    }


def _pool_correct(detail: Mapping[str, Any], pick: Mapping[str, Any]) -> bool | None:
    pool = pick.get("pool")
    return None if pool is None else detail["correct_in_pool"].get(pool)


def _strategy_summary(totals: StrategyTotals, details: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    name = totals.strategy
    split = {"solved": 0, "no_correct": 0, "picked_wrong": 0, "unknown": 0}
    for d in details:
        pick = d["strategies"].get(name)
        if pick is None:
            continue
        correct = _pool_correct(d, pick)
        key = ("solved" if pick["passed"] else "unknown" if correct is None
               else "picked_wrong" if correct else "no_correct")
        split[key] += 1
    return {
        "name": name, "problems": totals.problems, "passed": totals.passed,
        "accuracy": proportion(totals.passed, totals.problems).to_json(),
        "model_calls": totals.model_calls, "tokens": totals.tokens, "executions": totals.executions,
        "wall_s": totals.wall_s, "oracle": split,
    }


def _comparisons(strategies: Sequence[str], details: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each S* strategy against each other strategy on the problems both finished."""
    details = list(details)
    solved = {s: {d["id"]: d["strategies"][s]["passed"] for d in details if s in d["strategies"]} for s in strategies}
    out = []
    for ours in (s for s in strategies if s.startswith("sstar")):
        for theirs in (s for s in strategies if s != ours):
            p = paired(solved[ours], solved[theirs])
            out.append({"ours": ours, "theirs": theirs, "n": p.n, "both": p.both, "ours_only": p.a_only,
                        "theirs_only": p.b_only, "p": p.p_value, "difference": p.difference.to_json()})
    return out


def pack(detail: Mapping[str, Any]) -> str:
    """A problem's detail as the page embeds it: gzip'd JSON in base64 (the browser inflates it
    with DecompressionStream when the problem is opened)."""
    raw = json.dumps(finite(detail), separators=(",", ":"), allow_nan=False).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def finite(value: Any) -> Any:
    """`value` with NaN and infinities as None: JSON has no such numbers, and the browser's parser refuses them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def _expected(test: Test) -> str | None:
    """A public test's expected result as shown (None for assert tests: the code says it)."""
    if isinstance(test, CallTest):
        return clip(repr(test.expected), OUTPUT_CHARS)
    if isinstance(test, StdioTest) and test.output is not None:
        return clip(test.output, OUTPUT_CHARS)
    return None


def _shown_outcome(o: TestOutcome) -> dict[str, Any]:
    error = o.error
    return {"verdict": o.verdict.value, "output": clip(o.output, OUTPUT_CHARS),
            "error": None if error is None else clip(f"{error.type}: {error.message}", OUTPUT_CHARS)}


def _natural(text: str) -> list:
    """Sort key putting HumanEval/9 before HumanEval/10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
