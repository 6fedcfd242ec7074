"""Two runs, or two strategies of one run, compared on the problems both finished: each accuracy
with its exact 95% interval, the problems only one solved with the exact sign test on them, the
difference with its bootstrap interval, and B's loss against A in points and relative to A.

A run is named `STORE[#RUN_KEY][:STRATEGY]`: a run store file, the run in it (needed only when the
store holds several with the strategy), and the strategy (needed only when the run has several).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codesieve.errors import ConfigError
from codesieve.report.versus import verdict
from codesieve.stats import Estimate, Loss, Paired, loss, paired, proportion
from codesieve.store import RunStore


@dataclass(frozen=True)
class Side:
    """One side of a comparison: where its results came from and problem -> solved."""

    store: Path
    key: str
    strategy: str
    solved: dict[str, bool]

    @property
    def name(self) -> str:
        return f"{self.store}#{self.key}:{self.strategy}"


@dataclass(frozen=True)
class RunComparison:
    """Two runs (or strategies) paired on the problems both finished."""

    a: Side
    b: Side
    accuracy_a: Estimate  # on the common problems
    accuracy_b: Estimate
    pairs: Paired
    b_loss: Loss  # B against A: positive when B solved fewer
    verdict: str

    def to_json(self) -> dict[str, Any]:
        common = {p for p in self.a.solved if p in self.b.solved}
        return {
            "a": {"run": self.a.name, "accuracy": self.accuracy_a.to_json(), "problems": len(self.a.solved)},
            "b": {"run": self.b.name, "accuracy": self.accuracy_b.to_json(), "problems": len(self.b.solved)},
            "common_problems": self.pairs.n, "both": self.pairs.both, "a_only": self.pairs.a_only,
            "b_only": self.pairs.b_only, "neither": self.pairs.neither, "p_value": self.pairs.p_value,
            "difference": self.pairs.difference.to_json(),
            "b_loss_points": self.b_loss.points, "b_loss_relative": self.b_loss.relative, "verdict": self.verdict,
            "only_a": sorted(p for p in common if self.a.solved[p] and not self.b.solved[p]),
            "only_b": sorted(p for p in common if self.b.solved[p] and not self.a.solved[p]),
        }

    def lines(self, problems: bool = False) -> list[str]:
        """The comparison in plain sentences; with `problems`, the ids only one side solved."""
        p, a, b = self.pairs, self.a, self.b
        width = max(len(a.name), len(b.name))
        out = [f"A  {a.name:<{width}}  {self.accuracy_a}",
               f"B  {b.name:<{width}}  {self.accuracy_b}",
               f"accuracy on the {p.n} problems both finished, with its exact 95% interval"
               + "".join(f"; {len(s.solved) - p.n} more of {label} left out" for label, s in (("A", a), ("B", b))
                         if len(s.solved) > p.n) + ".",
               f"both solved {p.both}, only A {p.a_only}, only B {p.b_only}, neither {p.neither}",
               f"sign test on the {p.a_only + p.b_only} problems only one solved (two-sided, exact): "
               f"p = {p.p_value:.3g}: {self.verdict}",
               f"A - B: {100 * p.difference.value:+.2f} points, 95% interval {100 * p.difference.low:+.2f} to "
               f"{100 * p.difference.high:+.2f} (bootstrap over problems)",
               f"B against A: {_signed(self.b_loss)}"]
        if problems:
            data = self.to_json()
            out += [f"only A: {' '.join(data['only_a']) or '-'}", f"only B: {' '.join(data['only_b']) or '-'}"]
        return out


def _signed(lost: Loss) -> str:
    relative = "" if lost.relative != lost.relative else f" ({100 * abs(lost.relative):.2f}% of A's accuracy)"
    if lost.points == 0:
        return "no difference"
    return f"{abs(lost.points):.2f} points {'lower' if lost.points > 0 else 'higher'}{relative}"


def parse_run_name(name: str, default: Side | None = None) -> tuple[Path, str | None, str | None]:
    """`STORE[#RUN_KEY][:STRATEGY]` -> its parts; a name starting with `:` or `#` takes the store
    (and with `:`, the run) of `default`."""
    if name.startswith((":", "#")) and default is not None:
        if name.startswith(":"):
            return default.store, default.key, name[1:] or None
        key, _, strategy = name[1:].partition(":")
        return default.store, key or None, strategy or None
    path, _, strategy = name.rpartition(":") if ":" in name else (name, "", "")
    path, _, key = path.partition("#")
    return Path(path), key or None, strategy or None


def load(name: str, default: Side | None = None) -> Side:
    """The run named `name`, read from its store; a clear error names what to add when it is ambiguous."""
    path, key, strategy = parse_run_name(name, default)
    if not path.is_file():
        raise ConfigError(f"run store not found: {path} (name a run as STORE[#RUN_KEY][:STRATEGY])")
    with RunStore(path) as store:
        runs = {k: store.results(k) for k, _ in store.runs()}
    if key is not None and key not in runs:
        raise ConfigError(f"{path} has no run {key!r}; it has: {', '.join(runs) or 'none'}")
    matching = [k for k in ([key] if key else runs) if not strategy or strategy in runs[k]]
    matching = [k for k in matching if runs[k]]
    if not matching:
        raise ConfigError(f"no finished run in {path}" + (f" has strategy {strategy!r}" if strategy else "")
                          + "; its runs and strategies: " + _listing(runs))
    if len(matching) > 1:
        raise ConfigError(f"{path} holds {len(matching)} runs" + (f" with {strategy!r}" if strategy else "")
                          + f"; name one as {path}#RUN_KEY" + (f":{strategy}" if strategy else "")
                          + ": " + _listing({k: runs[k] for k in matching}))
    key = matching[0]
    if strategy is None:
        if len(runs[key]) != 1:
            raise ConfigError(f"run {key} has several strategies; name one as {path}#{key}:STRATEGY "
                              f"({', '.join(runs[key])})")
        strategy = next(iter(runs[key]))
    return Side(path, key, strategy, dict(runs[key][strategy]))


def _listing(runs: dict[str, dict[str, dict[str, bool]]]) -> str:
    return "; ".join(f"{k} ({', '.join(f'{s}: {len(r)} problems' for s, r in by.items()) or 'nothing finished'})"
                     for k, by in runs.items()) or "none"


def compare(a: Side, b: Side) -> RunComparison:
    """A and B on the problems both finished."""
    pairs = paired(a.solved, b.solved)
    if pairs.n == 0:
        raise ConfigError(f"{a.name} and {b.name} have no finished problem in common")
    accuracy_a = proportion(pairs.both + pairs.a_only, pairs.n)
    accuracy_b = proportion(pairs.both + pairs.b_only, pairs.n)
    said = verdict("A", "B", pairs.a_only, pairs.b_only, pairs.p_value).replace("A beats it", "A beats B")
    return RunComparison(a, b, accuracy_a, accuracy_b, pairs, loss(accuracy_a.value, accuracy_b.value), said)
