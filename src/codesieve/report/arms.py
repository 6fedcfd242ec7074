"""Arms of one experiment run on the same problems (say, three ways of asking for a debug answer),
each compared with a baseline arm: per arm, what debugging did, each strategy's accuracy and
tokens, and per strategy the problems only the arm or only the baseline solved (exact sign test)."""

from __future__ import annotations

from typing import Any, Collection, Mapping, Sequence

from codesieve.report import debugging
from codesieve.report.versus import p_value
from codesieve.stats import proportion
from codesieve.store import RunStore


def debugged_problems(store: RunStore, key: str) -> set[str]:
    """The problems of run `key` where at least one sampled candidate failed a public test."""
    return {record.problem_id for record in store.problems(key)
            if debugging.outcomes(record.pools.sampled or ())["failed_public"]}


def arm_summary(store: RunStore, key: str, done: Collection[str], strategies: Sequence[str]) -> dict[str, Any]:
    """One arm (run `key`) on the problems in `done`: each strategy's accuracy and tokens per problem,
    what debugging did per pool, and which problems each strategy solved."""
    results = store.results(key)
    records = list(store.problems(key, problems=done))
    pools = {pool: debugging.totals(debugging.outcomes(r.pools.named().get(pool, ())) for r in records)
             for pool in debugging.POOLS}
    tokens = {t.strategy: t.tokens / t.problems for t in store.totals(key) if t.problems}
    return {"accuracy": {s: sum(results[s][p] for p in done) / len(done) for s in strategies},
            "tokens_per_problem": {s: tokens.get(s, 0.0) for s in strategies}, "debugging": pools,
            "passed": {s: sorted(p for p in done if results[s][p]) for s in strategies}}


def versus(summaries: Mapping[str, Mapping[str, Any]], baseline: str,
           strategies: Sequence[str]) -> dict[str, dict[str, dict]]:
    """Per arm other than `baseline` and per strategy: problems only it or only the baseline solved."""
    out: dict[str, dict[str, dict]] = {}
    for arm, summary in summaries.items():
        if arm == baseline:
            continue
        out[arm] = {}
        for s in strategies:
            ours, theirs = set(summary["passed"][s]), set(summaries[baseline]["passed"][s])
            out[arm][s] = {"arm_only": len(ours - theirs), f"{baseline}_only": len(theirs - ours),
                           "p_value": p_value(len(ours - theirs), len(theirs - ours))}
    return out


def table(summaries: Mapping[str, Mapping[str, Any]], strategies: Sequence[str],
          n_problems: int) -> tuple[list[str], list[list]]:
    """The results table's header and one row per arm (its `answers_generated_now` last); each
    accuracy with its exact 95% interval over the `n_problems`."""
    rows = []
    for arm, summary in summaries.items():
        pools = summary["debugging"]
        rows.append([arm, pools["sampled"]["failed_public"], pools["sampled"]["fixed"],
                     f"{pools['sampled']['unchanged']}/{pools['sampled']['debug_answers']}",
                     f"{pools['greedy']['fixed']}/{pools['greedy']['failed_public']}",
                     *(f"{proportion(len(summary['passed'][s]), n_problems):.3f}" for s in strategies),
                     summary["answers_generated_now"]])
    header = ["arm", "S* samples failing a public test", "of which debugging fixed",
              "debug answers returning the same program", "self-debug's sample fixed",
              *(f"{s} accuracy" for s in strategies), "answers generated"]
    return header, rows


def sentence(against: Mapping[str, Mapping[str, Mapping[str, Any]]], baseline: str) -> str:
    """`versus`'s counts and p-values in one clause list."""
    return "; ".join(f"{arm} {s} {v['arm_only']} vs {v[f'{baseline}_only']}, p = {v['p_value']:.2g}"
                     for arm, by_strategy in against.items() for s, v in by_strategy.items())
