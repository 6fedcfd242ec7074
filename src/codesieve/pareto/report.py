"""Writing an evaluation: a JSON record, a Markdown table and the plot, side by side."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Any

from codesieve.pareto.evaluate import Evaluation
from codesieve.pareto.frontier import Point, frontier
from codesieve.pareto.plot import plot_frontier


def to_json(ev: Evaluation, chosen: Point | None, criterion: str, command: str, pool: str,
            notes: str = "") -> dict[str, Any]:
    ref = ev.reference
    front = {p.spec for p in frontier(ev.points)}
    return {
        "pool": pool, "benchmark": ev.benchmark, "problems": ev.problems, "candidates": ev.candidates,
        "k": ev.k, "oracle": ev.oracle, "repeats": ev.repeats, "warmup_s": ev.warmup_s,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "command": command, "notes": notes, "reference": ref.spec, "criterion": criterion,
        # the headline: the reference against the configuration chosen under the criterion
        "full": {"bok": ref.bok, "pps": ref.pps},
        "best": {"spec": chosen.spec, "bok": chosen.bok, "pps": chosen.pps} if chosen else None,
        "ratio": chosen.pps / ref.pps if chosen else None,
        "loss_points": 100 * (ref.bok - chosen.bok) if chosen else None,
        "chosen": _point(chosen, ref, front) if chosen else None,
        "points": [_point(p, ref, front) for p in ev.points],
    }


def _point(p: Point, ref: Point, front: set[str]) -> dict[str, Any]:
    return asdict(p) | {"speedup": p.pps / ref.pps, "loss_points": 100 * (ref.bok - p.bok),
                        "frontier": p.spec in front}


def to_markdown(ev: Evaluation, chosen: Point | None, criterion: str, command: str, pool: str,
                notes: str = "") -> str:
    ref = ev.reference
    front = frontier(ev.points)
    names = {p.spec for p in front}
    lines = [
        f"# Verification frontier: {pool}",
        "",
        f"Produced by `{command}`.",
        "",
        f"{ev.problems} problems ({ev.benchmark}), {ev.candidates} candidates; Best-of-{ev.k}; "
        f"{100 * ev.oracle:.2f}% of problems have a correct candidate. Throughput is wall-clock on "
        f"{os.cpu_count()} CPUs, median of {ev.repeats} run(s), executor warm (start-up {ev.warmup_s:.2f} s "
        "not charged)." + (f" {notes}" if notes else ""),
        "",
        f"Chosen ({criterion}): " + (f"`{chosen.spec}`: Best-of-{ev.k} {100 * chosen.bok:.2f}%, "
                                     f"{chosen.pps:.1f} programs/s, {chosen.pps / ref.pps:.2f}x `{ref.spec}`, "
                                     f"{100 * (ref.bok - chosen.bok):+.2f} points lost"
                                     if chosen else "nothing qualifies"),
        "",
        f"| # | configuration | Best-of-{ev.k} % | top-1 % | programs/s | speed-up | points lost | frontier |",
        "|---:|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for n, p in enumerate(ev.points, 1):
        lines.append(f"| {n} | `{p.spec}` | {100 * p.bok:.2f} | {100 * p.top1:.2f} | {p.pps:.1f} | "
                     f"{p.pps / ref.pps:.2f}x | {100 * (ref.bok - p.bok):.2f} | {'★' if p.spec in names else ''} |")
    lines += ["", "Stage costs of the frontier configurations:", "",
              "| configuration | stage | seconds | judged | pruned | correct pruned |", "|---|---|---:|---:|---:|---:|"]
    for p in front:
        for s in p.stages:
            lines.append(f"| `{p.spec}` | {s.stage} | {s.seconds:.3f} | {s.judged} | {s.pruned} | {s.pruned_correct} |")
    return "\n".join(lines) + "\n"


def write_report(directory: Path, stem: str, ev: Evaluation, chosen: Point | None, criterion: str, command: str,
                 pool: str, notes: str = "") -> list[Path]:
    """Write STEM.json, STEM.md, STEM.png and STEM.svg into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{stem}.{ext}" for ext in ("json", "md", "png", "svg")]
    paths[0].write_text(json.dumps(to_json(ev, chosen, criterion, command, pool, notes), indent=1) + "\n")
    paths[1].write_text(to_markdown(ev, chosen, criterion, command, pool, notes))
    title = f"{pool}: {ev.problems} problems, {ev.candidates} candidates"
    plot_frontier(ev.points, frontier(ev.points), ev.reference, ev.k, title, paths[2:])
    return paths
