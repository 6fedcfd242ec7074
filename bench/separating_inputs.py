"""Do the inputs that cost no model call separate right candidates from wrong ones? Dev split only.

S*'s wrong picks on HumanEval+ are mostly problems where every kept candidate agreed on every
generated input, right and wrong alike (docs/sstar.md). This counts, on the dev problems and the
candidates of the committed pools (bench/data/pools: 16 samples per problem, each labelled by the
hidden tests), how often the cheap inputs would still leave a passing and a failing candidate in
one group, with no model call:

- kept: the candidates with the best public pass rate, as S* keeps them;
- mixed: problems whose kept candidates include one that passes the hidden tests and one that
  fails them (only there can grouping matter);
- for each input set (the mutants of `sstar-mutants` and `sstar-cheap`, the edge cases of
  `sstar-cheap`, both), the kept candidates are grouped exactly as S* groups them
  (`codesieve.select.cluster.grouped`: inputs no candidate finishes are dropped): `unseparated`
  counts mixed problems where some group still holds a passing and a failing candidate,
  `one_group` those where every kept candidate is in one group, `largest_passes` those whose
  largest group (majority vote's pick) holds only passing candidates.
- the mutant-count series (`--mutants`, default 8,16,24,32,64): the same counts for the first k
  mutants alone (`k mutants`) and for them with the edge cases (`k mutants + edge cases`). The
  first k of a larger count are the k of a run with k (one seeded shuffle), so each count only
  adds inputs; a problem with fewer possible mutants than k gets all of them. The JSON keeps the
  series under each benchmark's `mutant_counts` (keyed by k as a string) and the run's wall time
  in `seconds`.

The model's own inputs are left out: they need the model, and the question is what the cheap
inputs add. Dev problems only: all of HumanEval+, and MBPP+'s dev 100 (the benchmark's fixed-seed
sample, `bench/sstar_accuracy.py`); the pools hold no stdin benchmark, so stdin mutants and edge
cases are not measured here.

    python bench/separating_inputs.py [--limit N] [--mutants 8,16,24,32,64]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import _results
import sstar_accuracy

from codesieve.execution import Executor, Job
from codesieve.select.cluster import grouped
from codesieve.select.edge_cases import edge_cases
from codesieve.select.mutate import added, input_mutants
from codesieve.stages import SelectConfig, best_public
from codesieve.types import Attempt, Problem, Test
from codesieve.verify import read_pool
from codesieve.verify.pool import PoolEntry

NAME = "separating_inputs"
POOLS = Path(__file__).resolve().parent / "data" / "pools"
BENCHMARKS = {"humaneval+": POOLS / "humanevalplus.jsonl.gz", "mbpp+": POOLS / "mbppplus.jsonl.gz"}
SETS = ("mutants", "edge cases", "both")
COUNTS = ("unseparated", "one_group", "largest_passes")
MUTANT_COUNTS = (8, 16, 24, 32, 64)


def series_names(k: int) -> tuple[str, str]:
    """The two input sets of the mutant-count series at `k` mutants."""
    return f"{k} mutants", f"{k} mutants + edge cases"


def input_sets(problem: Problem, programs: Sequence[str],
               mutant_counts: Sequence[int] = ()) -> dict[str, tuple[Test, ...]]:
    """SETS at the run's defaults (32 mutants, seed 0), then per count of `mutant_counts` the first
    k mutants alone and with the edge cases."""
    config = SelectConfig()
    mutants = input_mutants(problem, config.n_mutants, config.seed)
    edges = edge_cases(problem, programs)
    sets = {"mutants": mutants, "edge cases": edges, "both": added(mutants, edges)}
    for k in mutant_counts:
        alone, with_edges = series_names(k)
        sets[alone] = input_mutants(problem, k, config.seed)
        sets[with_edges] = added(sets[alone], edges)
    return sets


def measure(problem: Problem, entries: Sequence[PoolEntry], executor: Executor,
            mutant_counts: Sequence[int] = ()) -> dict | None:
    """One problem's counts per input set; None when its kept candidates are not mixed."""
    public = executor.run([Job.for_problem(problem, e.candidate.program, problem.public_tests, stop_on_fail=False)
                           for e in entries])
    attempts = [Attempt(e.candidate, r) for e, r in zip(entries, public)]
    kept = best_public(attempts)
    passes = [entries[i].passed for i in kept]
    if all(passes) or not any(passes):
        return None
    programs = [attempts[i].candidate.program for i in kept]
    sets = input_sets(problem, programs, mutant_counts)
    union: tuple[Test, ...] = ()
    for tests in sets.values():
        union = added(union, tests)
    probes = executor.run([Job.for_problem(problem, p, union, stop_on_fail=False, probe=True) for p in programs])
    out = {}
    for name, tests in sets.items():
        positions = [union.index(t) for t in tests]
        results = [replace(r, outcomes=tuple(r.outcomes[k] for k in positions if k < len(r.outcomes)))
                   for r in probes]
        grouping = grouped([attempts[i] for i in kept], tests, results)
        mixed_groups = [c for c in grouping.clusters if len({passes[m] for m in c.members}) == 2]
        out[name] = {"inputs": len(tests), "rejected": grouping.rejected, "unseparated": bool(mixed_groups),
                     "one_group": len(grouping.clusters) == 1,
                     "largest_passes": all(passes[m] for m in grouping.clusters[0].members)}
    return out


def counted(mixed: dict[str, dict], name: str) -> dict:
    """The counts of one input set over the mixed problems."""
    entry: dict = {count: sum(m[name][count] for m in mixed.values()) for count in COUNTS}
    entry["mean_inputs"] = sum(m[name]["inputs"] for m in mixed.values()) / max(len(mixed), 1)
    entry["rejected"] = sum(m[name]["rejected"] for m in mixed.values())
    entry["unseparated_problems"] = sorted(pid for pid, m in mixed.items() if m[name]["unseparated"])
    return entry


def benchmark_entry(benchmark: str, executor: Executor, limit: int | None,
                    mutant_counts: Sequence[int] = ()) -> dict:
    problems = sstar_accuracy.benchmark_problems(sstar_accuracy.parser().parse_args([]), benchmark, executor)
    by_problem = read_pool(BENCHMARKS[benchmark]).by_problem()
    missing = [p.id for p in problems if p.id not in by_problem]
    if missing:
        raise SystemExit(f"{benchmark}: the pool lacks dev problems {missing[:3]}...")
    problems = problems[:limit] if limit else problems
    measured = {p.id: measure(p, by_problem[p.id], executor, mutant_counts) for p in problems}
    mixed = {pid: m for pid, m in measured.items() if m is not None}
    entry: dict = {"split": "dev", "problems": len(problems), "mixed": len(mixed)}
    for name in SETS:
        entry[name] = counted(mixed, name)
    entry["mutant_counts"] = {str(k): {name: counted(mixed, name) for name in series_names(k)}
                              for k in mutant_counts}
    return entry


def table_rows(benchmarks: dict) -> list[list]:
    """SETS first, then the mutant-count series, per benchmark."""
    rows = []
    for b, e in benchmarks.items():
        sets = [(name, e[name]) for name in SETS]
        series = sorted(e.get("mutant_counts", {}).items(), key=lambda kv: int(kv[0]))  # JSON keys are strings
        sets += [(name, counts) for _, by_name in series for name, counts in by_name.items()]
        rows += [[b, e["split"], e["problems"], e["mixed"], name, f"{c['mean_inputs']:.1f}", c["rejected"],
                  c["unseparated"], c["one_group"], c["largest_passes"]] for name, c in sets]
    return rows


def parse_counts(text: str) -> tuple[int, ...]:
    counts = tuple(sorted({int(k) for k in text.split(",") if k.strip()}))
    if any(k <= 0 for k in counts):
        raise argparse.ArgumentTypeError("mutant counts must be positive")
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, default=None, help="only the first N dev problems of each benchmark")
    p.add_argument("--mutants", type=parse_counts, default=MUTANT_COUNTS, metavar="K,K,...",
                   help="mutant counts of the series, each alone and with the edge cases (default 8,16,24,32,64; "
                        "'' for none)")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    start = time.monotonic()
    with Executor(workers=args.workers) as executor:
        data = {"benchmarks": {b: benchmark_entry(b, executor, args.limit, args.mutants) for b in BENCHMARKS},
                "n_mutants": SelectConfig().n_mutants, "mutant_counts": list(args.mutants)}
    data["seconds"] = round(time.monotonic() - start)
    rows = table_rows(data["benchmarks"])
    notes = ("`mixed`: problems whose kept candidates (best public pass rate) include one that passes the hidden "
             "tests and one that fails them. Per input set, over the mixed problems: inputs per problem, inputs "
             "dropped because no kept candidate finished them, problems where a group still holds a passing and a "
             "failing candidate (`unseparated`; on the public inputs alone every mixed problem is), problems with "
             "one group, and problems whose largest group holds only passing candidates. `mutants` and `both` use "
             "the run's default n_mutants (32); `k mutants` are the first k of one seeded shuffle (a problem with "
             "fewer possible mutants gets all of them), alone and with the edge cases. No model call; the "
             "model's own inputs are not included.")
    _results.write(NAME, data, ["benchmark", "split", "problems", "mixed", "input set", "inputs per problem",
                                "rejected", "unseparated", "one group", "largest group passes"], rows, notes)


if __name__ == "__main__":
    main()
