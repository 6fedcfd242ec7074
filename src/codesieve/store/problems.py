"""A run's stored problems read back typed: each problem's candidate pools and every strategy's record.

The pipeline stores a problem's pools as `jsonable` lists of lineages (one per sample: its
attempts, round 0 first) under "greedy" (self-debug's and zero-shot's one greedy sample) and
"sampled" (the N samples the other strategies pick from). They are read back as the very
`Attempt`s that were written: `Candidate`, `ExecResult` and `TestOutcome` field by field, test
values through `codesieve.execution.codec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from codesieve.errors import StoreError
from codesieve.generate.debug import Lineage
from codesieve.store.records import SelectionRecord, dataclass_from_json, read_selection
from codesieve.types import Attempt

POOL_NAMES = ("greedy", "sampled")


@dataclass(frozen=True)
class Pools:
    """The candidate pools a run generated for one problem (None: that pool was not generated)."""

    greedy: tuple[Lineage, ...] | None = None
    sampled: tuple[Lineage, ...] | None = None

    def named(self) -> dict[str, tuple[Lineage, ...]]:
        """The generated pools by their stored names, in `POOL_NAMES` order."""
        found = {"greedy": self.greedy, "sampled": self.sampled}
        return {name: lineages for name, lineages in found.items() if lineages is not None}


@dataclass(frozen=True)
class ProblemRecord:
    """One problem of one run as stored: its pools and each finished strategy's record, in finishing order."""

    run: str
    problem_id: str
    benchmark: str
    pools: Pools
    strategies: Mapping[str, SelectionRecord]


def read_problem(stored: Mapping[str, Any]) -> ProblemRecord:
    """A problem as `RunStore.records` yields it (the export's JSON form), typed."""
    problem_id = stored["problem_id"]
    unknown = set(stored["pools"]) - set(POOL_NAMES)
    if unknown:
        raise StoreError(f"problem {problem_id} has pools {sorted(unknown)} this codesieve does not know "
                         f"(it reads {', '.join(POOL_NAMES)}): upgrade codesieve to read this store")
    try:
        pools = Pools(**{name: tuple(Lineage(tuple(dataclass_from_json(Attempt, a) for a in lineage))
                                     for lineage in lineages)
                         for name, lineages in stored["pools"].items()})
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the pools of {problem_id} cannot be read ({exc!r})") from exc
    strategies = {name: read_selection(problem_id, name, record) for name, record in stored["strategies"].items()}
    return ProblemRecord(stored["run"], problem_id, stored["benchmark"], pools, strategies)
