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
    for number, p in enumerate(points, 1):
        ax.annotate(str(number), (p.pps, 100 * p.bok), xytext=(3, -9), textcoords="offset points",
                    fontsize=6, color="#52606d")
    ordered = sorted(front, key=lambda p: p.pps)
    # the best accuracy to be had at throughput >= x: each point's value holds back to the previous point
    ax.step([p.pps for p in ordered], [100 * p.bok for p in ordered], where="pre", color="#d64545", lw=1.2,
            zorder=3)
    ax.scatter([p.pps for p in ordered], [100 * p.bok for p in ordered], s=36, color="#d64545", zorder=4,
               label="Pareto frontier")
    for n, p in enumerate(ordered):  # alternate above and below so neighbouring names do not collide
        ax.annotate(p.spec, (p.pps, 100 * p.bok), xytext=(6, 6 if n % 2 == 0 else -14), textcoords="offset points",
                    fontsize=7, color="#912d2d")
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
    for path in paths:
        fig.savefig(path)
    plt.close(fig)
