"""S*'s differences from its authors' code, measured on a stored dev run with no model call.

S*'s authors released their implementation (SkyThought, `skythought/test-time-scaling`:
`evaluate_multiprocess.py` drives a run, `live_code_bench_program.py`'s
`CodeGeneratorWithSelfDebug` samples, debugs and selects; the final runs are
`scripts/final_tool_assisted_cached/*.sh`: `--selection generated_tests_tool_assisted`,
`--num_round 3`, `--temperature 0.7`, `--n 16`). docs/sstar.md lists where codesieve's S* differs
("Differences neither matched nor measured yet"). This script settles, on one stored run's records
(default: bench/sstar_accuracy.py's shipped run on dev), what those records can settle, and
counts what they cannot (one problem's analysis: bench/sstar_authors_analysis.py; the pure rules:
bench/sstar_replay.py):

- **No sample passes every public test.** The authors' `selection_function` then takes the first
  sample with the best public pass rate (its `>` keeps the first); S* runs on every sample with
  that rate. A problem without public tests counts here too: the authors' pass rate is then 0
  for every sample (`get_public_tests_feedback`), so they take the first; S*'s is 1. Compared on
  those problems: S*'s stored pick, the first best-rate sample (best revisions, as S* sees them)
  and the authors' whole rule (the first sample by its *last* revision's rate, that revision).
- **Revision kept.** The authors read each sample's last revision (`zipped_history[n][-1]`); S*
  its best (highest public pass rate, latest on ties). Since debugging stops once a sample passes
  every public test, the two differ only for samples that never pass; the kept set can change only
  where no sample passes. Counted: samples whose best and last revisions differ, problems whose
  kept set changes, and S* run on the last revisions where that is settled without a new duel
  (one candidate kept, one group, or every candidate that could win grades alike; the groups are
  rebuilt on the run's own inputs, read back from the stored model answer, and executed again).
- **Grouping.** The authors group per generated input (`find_concensus_groups`: candidates with
  equal output values), drop the groups whose output is an error ("Error: ..."), and on each input
  let the groups play a round robin in which every member of one meets every member of the other
  (`find_maximum_score_tool_assisted_bt`, `tool_assisted_single_match`: 1 point for a consistent
  win over both orders, 0.5 each for a tie in both orders, else 0); the group with the unique best
  score on an input gives each of its members 1, and the sample with the most is picked (the first
  on ties). If no input gives anyone a point, every pair of kept samples is judged by code alone
  (`find_maximum_score_bt`). Here each kept candidate's outputs on every input are read from the
  stored behaviour table (outputs as shown, cut at 120 characters; a problem whose table does not
  give back the stored groups is left unsettled), and each member pair's verdict is taken to be the
  stored duel between their groups' representatives (halved to 1/0.5/0; a pair whose groups did not
  duel is unknown). Counted as well: problems where the authors' groups would have nothing to judge
  while S* had groups (candidates told apart only by failing), and problems where a candidate that
  passes the hidden tests and one that fails them stay together under each grouping.
- **Duel scores.** S*'s 2/1/0 is twice the authors' 1/0.5/0, outcome for outcome, and
  `pairwise.pick_winner` compares points only by order and equality, so halving cannot change a
  pick (checked on every record). What can: weighting each duel by the product of the two groups'
  sizes, as member pairs do (every member pair given the representatives' verdict); and the
  authors showing errors to the judge instead of letting execution decide (each duel won by
  execution is then unknown).
- **Sampling temperature.** S*'s pick at 1.0 needs a new run; what the stored answers settle is
  the first stage: the run's 8 round-0 samples at its temperature (0.7 shipped) against the first
  8 samples of the committed candidate pools (bench/data/pools, temperature 1.0, otherwise the
  same request: top_p 0.95, 512 tokens, sample i seeded i), both graded here on the hidden tests:
  problems with a correct sample among the 8 (S*'s ceiling before debugging), correct samples
  and distinct programs per problem. HumanEval+ and MBPP+ only (no CodeContests pool).
- **Debug feedback** (every public test with its input, expected and actual output or the
  exception's message, passing tests included, against S*'s pass count and up to 3 failing tests
  with tracebacks) needs new model answers: counted here are the debug requests whose feedback
  would differ, and what a dev run costs at this run's pace.

Settling without the judge: where a rule's outcome hangs on a verdict nobody asked for, every
verdict is tried (A wins, B wins, tie, neither; at most 5 unknown at once) and the outcome counts
only if every candidate the rule could then pick grades alike on the hidden tests; otherwise it is
`unsettled`. Problems solved under two rules are compared with the exact sign test on the problems
only one solved. Every number is dev (docs/sstar.md, Dev and test protocol). The run store is
copied first and only the copy is read; candidates are graded again on the hidden tests (sandbox,
cache runs/sstar_authors.exec.sqlite).

    nice -n 19 .venv/bin/python bench/sstar_authors.py    # needs runs/sstar_accuracy.sqlite
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

import _results
from sstar_accuracy import benchmark_problems, committed_run, parser as sstar_parser, shipped_run
from sstar_authors_analysis import COMPARISONS, STRATEGY, analyse
from sstar_replay import compare, hours, samples_compared

from codesieve.execution import ExecutionCache, Executor, Job
from codesieve.report.oracle import hidden_results
from codesieve.stages import SelectConfig
from codesieve.store import ProblemRecord, RunStore
from codesieve.types import Problem
from codesieve.verify import read_pool
from codesieve.verify.pool import PoolEntry

NAME = "sstar_authors"
POOLS = Path(__file__).resolve().parent / "data" / "pools"
POOL_FILES = {"humaneval+": "humanevalplus.jsonl.gz", "mbpp+": "mbppplus.jsonl.gz"}  # sampled at temperature 1.0


# ---------------------------------------------------------------------------------------------
# The run


def copy_store(path: Path, into: Path) -> Path:
    """A consistent copy of the run store (its WAL included), so the running benchmark's file is only read."""
    target = into / path.name
    source, dest = sqlite3.connect(f"file:{path}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()
    return target


def pace(store_copy: Path, key: str) -> float | None:
    """Seconds per finished problem of run `key`: from its first finished problem to its last, over
    the problems finished since (a resumed run's pause counts too, so this may overstate)."""
    with sqlite3.connect(store_copy) as db:
        times = sorted(t for (t,) in db.execute(
            "SELECT MAX(created) FROM selections WHERE run_key = ? GROUP BY problem_id", (key,)))
    return (times[-1] - times[0]) / (len(times) - 1) if len(times) >= 3 else None


def tokens_per_problem(records: Sequence[ProblemRecord]) -> dict[str, float]:
    """Completion tokens per problem of S*'s work: the round-0 samples, the debug answers, the rest."""
    if not records:
        return {}
    sampled = debug = whole = 0
    for r in records:
        for lineage in r.pools.sampled or ():
            for a in lineage.attempts:
                if a.candidate.round == 0:
                    sampled += a.candidate.completion_tokens
                else:
                    debug += a.candidate.completion_tokens
        whole += r.strategies[STRATEGY].cost.completion_tokens
    n = len(records)
    return {"samples": sampled / n, "debug": debug / n, "all": whole / n,
            "selection": max(0.0, whole - sampled - debug) / n}


def pool_samples(benchmark: str) -> dict[str, list[PoolEntry]] | None:
    """The committed pool's entries per problem (temperature 1.0), None when there is no pool."""
    name = POOL_FILES.get(benchmark)
    return read_pool(POOLS / name).by_problem() if name and (POOLS / name).is_file() else None


def temperatures(records: Sequence[ProblemRecord], problems: Mapping[str, Problem],
                 grades: Mapping[str, Mapping[str, bool]], pool: Mapping[str, list[PoolEntry]],
                 executor: Executor) -> dict:
    """Each problem's round-0 samples (graded) against as many of the pool's first samples,
    graded here the same way (each distinct program once, on the hidden tests)."""
    pairs, relabelled = {}, 0
    for record in records:
        entries = sorted(pool.get(record.problem_id, ()), key=lambda e: e.candidate.index)
        firsts = [lin.attempts[0].candidate for lin in record.pools.sampled]
        if len(entries) < len(firsts):
            continue
        problem = problems[record.problem_id]
        other = [e.candidate.program for e in entries[:len(firsts)]]
        distinct = sorted(set(other))
        graded = dict(zip(distinct, (r.passed for r in executor.run(
            [Job.for_problem(problem, prog, problem.hidden_tests) for prog in distinct]))))
        relabelled += sum(graded[e.candidate.program] != e.passed for e in entries[:len(firsts)])
        pairs[record.problem_id] = ([(c.program, grades[record.problem_id][c.id]) for c in firsts],
                                    [(prog, graded[prog]) for prog in other])
    return {**samples_compared(pairs), "pool_labels_differ": relabelled}


def measure(records: Sequence[ProblemRecord], problems: Mapping[str, Problem], select: SelectConfig,
            executor: Executor, pool: Mapping[str, list[PoolEntry]] | None = None) -> dict:
    graded = hidden_results(records, problems, executor)
    grades = {p: {c: r.passed for c, r in by_pool.get("sampled", {}).items()} for p, by_pool in graded.items()}
    facts = [analyse(record, problems[record.problem_id], grades.get(record.problem_id, {}), select, executor)
             for record in records]
    found = summarise(facts)
    if pool is not None:
        found["temperature"] = temperatures(records, problems, grades, pool, executor)
    return found


def summarise(facts: Sequence[dict]) -> dict:
    """The per-problem facts added up: comparisons with S*'s stored pick, and the counts."""
    ours = {f["problem"]: f["sstar"] for f in facts}
    counts: Counter = Counter()
    for f in facts:
        counts.update({k: int(v) for k, v in f["counts"].items()})
    out: dict = {"n_problems": len(facts), "sstar": sum(ours.values()),
                 "regraded_differently": sum(f["sstar"] != f["stored_passed"] for f in facts),
                 "kept_differs_from_record": sum(not f["kept_matches"] for f in facts),
                 "counts": dict(sorted(counts.items())), "comparisons": {}}
    for pair in COMPARISONS:
        alternative = {f["problem"]: f["outcomes"][pair] for f in facts if pair in f["outcomes"]}
        entry = compare(ours, alternative)
        entry["changed"] = sorted(p for p, v in alternative.items() if v is not None and v != ours[p])
        entry["unsettled_problems"] = sorted(p for p, v in alternative.items() if v is None)
        out["comparisons"][" / ".join(pair)] = entry
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default="humaneval+,mbpp+,codecontests")
    p.add_argument("--store", type=Path, default=Path("runs") / "sstar_accuracy.sqlite")
    p.add_argument("--run", choices=("shipped", "committed"), default="shipped",
                   help="bench/sstar_accuracy.py's shipped run (default) or its committed variants run")
    p.add_argument("--cache", type=Path, default=Path("runs") / f"{NAME}.exec.sqlite",
                   help="this script's own execution cache")
    p.add_argument("--workers", type=int, default=1)
    args = p.parse_args()
    start = time.monotonic()
    data: dict = {"split": "dev", "run": args.run, "benchmarks": {}}
    paces: dict[str, float | None] = {}
    tokens: dict[str, float] = {}
    token_split: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            Executor(args.workers, cache=ExecutionCache(args.cache)) as executor:
        copy = copy_store(args.store, Path(tmp))
        sstar_args = sstar_parser().parse_args(["--store", str(copy)])
        targets = {}
        with RunStore(copy) as store:
            for benchmark in args.benchmarks.split(","):
                run = (shipped_run if args.run == "shipped" else committed_run)(sstar_args, benchmark)
                problems = {pr.id: pr for pr in benchmark_problems(sstar_args, benchmark, executor)}
                targets[benchmark] = len(problems)
                records = [r for r in store.problems(run.key) if r.problem_id in problems
                           and STRATEGY in r.strategies and r.pools.sampled]
                paces[benchmark] = pace(copy, run.key)
                token_split[benchmark] = tokens_per_problem(records)
                tokens[benchmark] = token_split[benchmark].get("all", 0.0)
                if not records:
                    continue
                found = measure(records, problems, run.config.select, executor, pool_samples(benchmark))
                found.update(key=run.key, target=len(problems), seconds_per_problem=paces[benchmark],
                             tokens_per_problem=token_split[benchmark], temperature_run=run.config.sample.temperature)
                data["benchmarks"][benchmark] = found
                print(benchmark, json.dumps({k: v for k, v in found.items() if k != "comparisons"}), flush=True)
    data["dev_run_hours"] = hours(paces, variants_tokens() or tokens, targets)
    measured = [t for t in token_split.values() if t.get("all")]
    if data["dev_run_hours"] and measured:  # a debug-feedback rerun reuses the round-0 samples
        share = sum(t["samples"] for t in measured) / sum(t["all"] for t in measured)
        data["samples_token_share"] = round(share, 3)
        data["debug_rerun_hours"] = data["dev_run_hours"] * (1 - share)
    data["targets"] = targets
    data["seconds"] = round(time.monotonic() - start)
    write(data)


def variants_tokens() -> dict[str, float]:
    """S*'s tokens per problem per benchmark in the committed variants study (all three benchmarks
    finished): the scale for a benchmark this run has not reached yet."""
    path = _results.RESULTS / "sstar_variants.json"
    try:
        found = json.loads(path.read_text())
        return {b: e["cost_per_problem"][STRATEGY]["tokens"] for b, e in found.items() if "cost_per_problem" in e}
    except (OSError, KeyError, ValueError):
        return {}


def table_rows(benchmarks: Mapping[str, dict]) -> list[list]:
    rows = []
    for benchmark, found in benchmarks.items():
        for pair in COMPARISONS:
            c = found["comparisons"][" / ".join(pair)]
            if not c["problems"]:
                continue
            rows.append([benchmark, pair[0], pair[1], c["problems"], c["sstar"], c["settled"],
                         f"{c['alternative']} (S* {c['sstar_on_settled']})", c["won"], c["lost"], c["p"]])
    return rows


def write(data: dict) -> None:
    notes = [f"Split: dev. Run: bench/sstar_accuracy.py's {data['run']} run, read from a copy of its store "
             "(partial where `n_problems` is below `target`; a benchmark the run has not reached is left out)."]
    for b, found in data["benchmarks"].items():
        k = found["counts"]
        notes.append(
            f"{b}: {found['n_problems']} of {found['target']} problems; S* solved {found['sstar']} "
            f"(regraded: {found['regraded_differently']} differ from the stored grade). "
            f"No sample passes every public test on {k.get('no_pass', 0)}, no public tests on "
            f"{k.get('no_public_tests', 0)} (the authors' rate is then 0: they too take the first sample). "
            "Samples whose best and last revisions "
            f"differ: {k.get('best_not_last', 0)} of {k.get('samples', 0)} ({k.get('best_not_last_lower', 0)} with "
            f"a lower last rate); kept set changed on {k.get('kept_changed', 0)} problems "
            f"({k.get('kept_changed_with_a_pass', 0)} where a sample passes). "
            f"Two or more kept: {k.get('two_kept', 0)} (behaviour table gives back the stored groups on "
            f"{k.get('table_replays', 0)}); S* had several groups on {k.get('groups_ours', 0)}, the authors' "
            f"grouping some input with two groups on {k.get('groups_authors', 0)}, S*'s groups told apart only by "
            f"failures on {k.get('only_failures_split', 0)}; kept candidates failing some input (dropped there by "
            f"the authors) {k.get('dropped_somewhere', 0)} of {k.get('candidates', 0)}. Mixed problems (kept "
            f"candidates pass and fail the hidden tests) {k.get('mixed', 0)}: a passing and a failing candidate "
            f"not told apart by S*'s grouping on {k.get('mixed_together_ours', 0)}, by the authors' on "
            f"{k.get('mixed_together_authors', 0)}. Tournaments {k.get('tournaments', 0)} (replayed from the "
            f"duels: {k.get('tournament_replays', 0)}; picks changed by halving the points: "
            f"{k.get('halved_changes', 0)}); duels won by execution {k.get('execution_won', 0)}, drawn for want of "
            f"a separating input {k.get('no_difference_duels', 0)}. Debug requests "
            f"{k.get('requests', 0)}: with more than 3 failing public tests {k.get('more_than_shown', 0)} "
            f"({k.get('hidden_failures', 0)} failing tests not shown), with a passing public test "
            f"{k.get('with_passing', 0)}. Pace {found['seconds_per_problem'] or 0:.0f} s per problem; completion "
            f"tokens per problem {json.dumps({t: round(v) for t, v in found['tokens_per_problem'].items()})}.")
    temps = {b: f for b, f in data["benchmarks"].items() if f.get("temperature", {}).get("problems")}
    if temps:
        notes.append("Sampling temperature, the first stage only (no selection): the run's round-0 samples against "
                     "the first as many samples of the committed pool at temperature 1.0, same request otherwise, "
                     "both graded here on the hidden tests (pool labels this grading differs from: "
                     + ", ".join(f"{b} {f['temperature']['pool_labels_differ']}" for b, f in temps.items())
                     + ").\n\n"
                     "| benchmark | problems | a correct sample: run / 1.0 | only the run / only 1.0 | p | "
                     "correct samples per problem: run / 1.0 | distinct programs: run / 1.0 |\n"
                     "|---|---|---|---|---|---|---|\n"
                     + "\n".join(f"| {b} (run at {f['temperature_run']}) | {t['problems']} | {t['any_correct']} / "
                                 f"{t['any_correct_other']} | {t['only']} / {t['only_other']} | {t['p']:g} | "
                                 f"{t['correct']} / {t['correct_other']} | {t['distinct']} / {t['distinct_other']} |"
                                 for b, f in temps.items() for t in [f["temperature"]]))
    if data.get("dev_run_hours"):
        notes.append(f"A dev run ({sum(data['targets'].values())} problems) at this pace (a benchmark not reached yet "
                     "scaled by S*'s tokens per problem in bench/results/sstar_variants.json): about "
                     f"{data['dev_run_hours']:.1f} hours; one that reuses the round-0 samples (their share of S*'s "
                     f"completion tokens: {data.get('samples_token_share', 0):.0%}) about "
                     f"{data.get('debug_rerun_hours', 0):.1f} hours.")
    notes.append("`settled`: problems where every pick the alternative could make grades alike (`alternative` "
                 "solved of those, S*'s stored pick in brackets); won / lost: settled problems only the "
                 "alternative / only S* solved; p: exact two-sided sign test.")
    _results.write(NAME, data, ["benchmark", "difference", "alternative", "problems", "S* solved", "settled",
                                "alternative solved", "won", "lost", "p"], table_rows(data["benchmarks"]),
                   "\n\n".join(notes))


if __name__ == "__main__":
    main()
