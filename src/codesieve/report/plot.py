"""The frontier as a picture: Best-of-k against programs per second (log scale)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from codesieve.errors import ConfigError
from codesieve.pareto.frontier import Point


def plot_frontier(points: Sequence[Point], front: Sequence[Point], reference: Point, k: int, title: str,
                  paths: Sequence[Path]) -> None:
    """Draw every point (numbered as in the table), highlight and name the frontier, save to `paths`."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConfigError("plotting needs matplotlib: pip install 'codesieve[plot]'") from exc
    fig, ax = plt.subplots(figsize=(10, 6.5), dpi=120)
    ax.scatter([p.pps for p in points], [100 * p.bok for p in points], s=18, color="#9aa5b1", zorder=2,
               label="configuration")
    numbers = [ax.annotate(str(number), (p.pps, 100 * p.bok), xytext=(3, -9), textcoords="offset points",
                           fontsize=6, color="#52606d") for number, p in enumerate(points, 1)]
    ordered = sorted(front, key=lambda p: p.pps)
    # the best accuracy to be had at throughput >= x: each point's value holds back to the previous point
    ax.step([p.pps for p in ordered], [100 * p.bok for p in ordered], where="pre", color="#d64545", lw=1.2,
            zorder=3)
    ax.scatter([p.pps for p in ordered], [100 * p.bok for p in ordered], s=36, color="#d64545", zorder=4,
               label="Pareto frontier")
    names = [ax.annotate(p.spec, (p.pps, 100 * p.bok), xytext=(6, 6), textcoords="offset points", fontsize=7,
                         color="#912d2d", arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#912d2d"})
             for p in ordered]
    ax.scatter([reference.pps], [100 * reference.bok], marker="s", s=50, facecolors="none", edgecolors="black",
               zorder=5, label=f"reference ({reference.spec})")
    ax.set_xscale("log")
    ax.margins(x=0.15, y=0.08)
    ax.set_xlabel("throughput (candidate programs verified per second, this machine)")
    ax.set_ylabel(f"Best-of-{k} (%)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    spread_labels(fig, names + numbers)  # frontier names first: they keep the places nearest their points
    for path in paths:
        fig.savefig(path)
    plt.close(fig)


def spread_labels(fig, texts: Sequence, tries: int = 40) -> None:
    """Move annotations (offset in points) up or down, in steps of their own height, until none
    overlaps one placed before it: close configurations otherwise print their names on top of
    each other. A label that finds no free place within `tries` steps stays where it was."""
    renderer = fig.canvas.get_renderer()
    to_points = 72.0 / fig.dpi
    placed = []
    for text in texts:
        x, y = text.xyann
        box = text.get_window_extent(renderer)
        step = box.height * to_points + 1
        for n in range(tries + 1):
            dy = step * ((n + 1) // 2) * (1 if n % 2 else -1)  # 0, +1, -1, +2, -2 ... heights
            text.xyann = (x, y + dy)
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
        else:
            text.xyann = (x, y)
            box = text.get_window_extent(renderer)
        placed.append(box)
