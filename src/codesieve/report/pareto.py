"""A frontier search's results, side by side: a JSON record, a Markdown table and the plot.

Losses against the reference are given in absolute Best-of-k points and relative to the
reference's Best-of-k (the Pareto paper's "-8.26%" is relative); Best-of-k carries its 95% interval
over problems."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from codesieve.pareto.frontier import Point, choose, frontier
from codesieve.pareto.search import PAPER_LOSS, RELATIVE_LOSSES, Found
from codesieve.report.files import machine, write_json
from codesieve.report.plot import plot_frontier
from codesieve.stats import loss


def frontier_record(found: Found, command: str, pool: str) -> dict[str, Any]:
    """The search's JSON record: the setting, the chosen configuration against the reference, every point."""
    ev, chosen = found.evaluation, found.chosen
    ref = ev.reference
    front = {p.spec for p in frontier(ev.points)}
    lost = loss(ref.bok, chosen.bok) if chosen else None
    return {
        "pool": pool, "benchmark": ev.benchmark, "problems": ev.problems, "candidates": ev.candidates,
        "k": ev.k, "oracle": ev.oracle, "repeats": ev.repeats, "warmup_s": ev.warmup_s,
        "machine": machine(), "command": command, "notes": found.notes, "reference": ref.spec,
        "criterion": found.criterion,
        # the headline: the reference against the configuration chosen under the criterion
        "full": {"bok": ref.bok, "pps": ref.pps},
        "best": {"spec": chosen.spec, "bok": chosen.bok, "pps": chosen.pps} if chosen else None,
        "ratio": chosen.pps / ref.pps if chosen else None,
        "loss_points": lost.points if lost else None,
        "loss_relative": lost.relative if lost else None,
        # the fastest within each relative loss of RELATIVE_LOSSES, e.g. best_at_paper_loss
        **{f"best_at_{name}": best_at(found, relative) for name, relative in RELATIVE_LOSSES},
        "chosen": _point(chosen, ref, front) if chosen else None,
        "points": [_point(p, ref, front) for p in ev.points],
    }


def best_at(found: Found, max_loss_relative: float) -> dict[str, Any]:
    """The fastest configuration within `max_loss_relative` of the reference's Best-of-k, as the JSON
    record gives it; `measured` says whether its row is a re-measurement ("confirmed") or the grid's."""
    best, measured = _fastest_within(found, max_loss_relative)
    ref = found.evaluation.reference
    return {"spec": best.spec, "bok": best.bok, "pps": best.pps, "speedup": best.pps / ref.pps,
            "loss_relative": loss(ref.bok, best.bok).relative, "measured": measured}


def _fastest_within(found: Found, max_loss_relative: float) -> tuple[Point, str]:
    """Among the re-measured rows when the search re-measured (one grid run's throughput is noisy:
    the search re-measures the fastest few within each of `RELATIVE_LOSSES`), else among the grid's."""
    ev = found.evaluation
    confirmed = [p for p in ev.points if p.spec in found.confirmed]
    best = choose(confirmed or ev.points, ev.reference, max_loss_relative=max_loss_relative)
    assert best is not None  # the reference itself qualifies
    return best, "confirmed" if confirmed else "grid"


def _point(p: Point, ref: Point, front: set[str]) -> dict[str, Any]:
    lost = loss(ref.bok, p.bok)
    return asdict(p) | {"speedup": p.pps / ref.pps, "loss_points": lost.points, "loss_relative": lost.relative,
                        "frontier": p.spec in front}


def _relative(p: Point, ref: Point) -> str:
    relative = loss(ref.bok, p.bok).relative
    return "n/a" if relative != relative else f"{100 * relative:.2f}%"


def _best_at_line(found: Found, relative: float) -> str:
    (best, measured), ev = _fastest_within(found, relative), found.evaluation
    paper = " (the Pareto paper's loss)" if relative == PAPER_LOSS else ""
    where = "re-measured" if measured == "confirmed" else "one grid run"
    return (f"- Fastest within {100 * relative:g}% relative loss{paper}: `{best.spec}`: Best-of-{ev.k} "
            f"{100 * best.bok:.2f}%, {best.pps / ev.reference.pps:.2f}x `{ev.reference.spec}`, "
            f"{_relative(best, ev.reference)} lost ({where})")


def frontier_markdown(found: Found, command: str, pool: str) -> str:
    """The search's Markdown table, with the stage costs of the frontier configurations."""
    ev, chosen = found.evaluation, found.chosen
    ref = ev.reference
    front = frontier(ev.points)
    names = {p.spec for p in front}
    headline = "nothing qualifies"
    if chosen:
        lost = loss(ref.bok, chosen.bok)
        headline = (f"`{chosen.spec}`: Best-of-{ev.k} {100 * chosen.bok:.2f}% (95% interval "
                    f"{100 * chosen.bok_ci[0]:.2f}-{100 * chosen.bok_ci[1]:.2f}), {chosen.pps:.1f} programs/s, "
                    f"{chosen.pps / ref.pps:.2f}x `{ref.spec}`, {lost.points:.2f} points lost "
                    f"({_relative(chosen, ref)} of `{ref.spec}`'s Best-of-{ev.k})")
    lines = [
        f"# Verification frontier: {pool}",
        "",
        f"Produced by `{command}`.",
        "",
        f"{ev.problems} problems ({ev.benchmark}), {ev.candidates} candidates; Best-of-{ev.k}; "
        f"{100 * ev.oracle:.2f}% of problems have a correct candidate. Throughput is wall-clock on "
        f"{os.cpu_count()} CPUs, median of {ev.repeats} run(s), executor warm (start-up {ev.warmup_s:.2f} s "
        "not charged)." + (f" {found.notes}" if found.notes else ""),
        "",
        f"Chosen ({found.criterion}): {headline}",
        "",
        *(_best_at_line(found, relative) for _, relative in RELATIVE_LOSSES),
        "",
        f"Best-of-{ev.k} with its 95% interval over problems; points lost against `{ref.spec}` in absolute "
        f"points and relative to `{ref.spec}`'s Best-of-{ev.k}.",
        "",
        f"| # | configuration | Best-of-{ev.k} % | 95% interval | top-1 % | programs/s | speed-up | points lost "
        "| relative loss | frontier |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for n, p in enumerate(ev.points, 1):
        lines.append(f"| {n} | `{p.spec}` | {100 * p.bok:.2f} | {100 * p.bok_ci[0]:.2f}-{100 * p.bok_ci[1]:.2f} | "
                     f"{100 * p.top1:.2f} | {p.pps:.1f} | {p.pps / ref.pps:.2f}x | {loss(ref.bok, p.bok).points:.2f} | "
                     f"{_relative(p, ref)} | {'★' if p.spec in names else ''} |")
    lines += ["", "Stage costs of the frontier configurations:", "",
              "| configuration | stage | seconds | judged | pruned | correct pruned |", "|---|---|---:|---:|---:|---:|"]
    for p in front:
        for s in p.stages:
            lines.append(f"| `{p.spec}` | {s.stage} | {s.seconds:.3f} | {s.judged} | {s.pruned} | {s.pruned_correct} |")
    return "\n".join(lines) + "\n"


def write_report(directory: Path, stem: str, found: Found, command: str, pool: str) -> list[Path]:
    """Write STEM.json, STEM.md, STEM.png, STEM.svg and STEM.html (the interactive plot) into
    `directory`; return their paths."""
    from codesieve.report.html import write_html

    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{stem}.{ext}" for ext in ("json", "md", "png", "svg", "html")]
    data = frontier_record(found, command, pool)
    write_json(paths[0], data, indent=1)
    paths[1].write_text(frontier_markdown(found, command, pool))
    ev = found.evaluation
    title = f"{pool}: {ev.problems} problems, {ev.candidates} candidates"
    plot_frontier(ev.points, frontier(ev.points), ev.reference, ev.k, title, paths[2:4])
    write_html(paths[4], pareto=[data])
    return paths
