"""The HTML report: one self-contained file (inline CSS, JS and SVG) that opens from disk, offline.

Jinja2 renders what is fixed (every run's strategy table, comparisons and oracle split; the
Pareto plots as SVG with their tables); the page's script adds what is interactive (the problem
list and its filters, a problem's view built from its embedded detail when opened, the plots'
hover). See `html_data` for what is shown and how it is read from a run store.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any, Mapping, Sequence

import jinja2
from markupsafe import Markup

from codesieve.errors import ConfigError
from codesieve.report.html_data import RunReport, finite, pack, store_reports

PLOT_W, PLOT_H, MARGIN = 720, 420, (24, 24, 48, 64)  # margins: top, right, bottom, left


def render(runs: Sequence[RunReport] = (), pareto: Sequence[Mapping[str, Any]] = (), title: str = "") -> str:
    """The report's HTML text: `runs` side by side, then the Pareto evaluations (`report.pareto.frontier_record`)."""
    if not runs and not pareto:
        raise ConfigError("nothing to report: give at least one run or Pareto evaluation")
    env = jinja2.Environment(loader=jinja2.PackageLoader("codesieve.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=_pct, num=_num, pval=_pval)
    summaries = [r.summary for r in runs]
    data = {"runs": summaries, "pareto": [_pareto_view(p) for p in pareto]}
    details = {str(i): {pid: pack(d) for pid, d in r.details.items()} for i, r in enumerate(runs)}
    return env.get_template("report.html.j2").render(
        title=title or _title(summaries, pareto), runs=summaries, pareto=data["pareto"],
        strategies=_strategy_union(summaries), version=version("codesieve"),
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        data_json=_script_json(data), details_json=_script_json(details),
        css=Markup(_asset("report.css")), js=Markup(_asset("report.js")))


def write_html(path: str | Path, runs: Sequence[RunReport] = (), pareto: Sequence[Mapping[str, Any]] = (),
               title: str = "") -> Path:
    """Write `render(...)` to `path`; return it."""
    path = Path(path)
    text = render(runs, pareto, title)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the report to {path}: {exc}") from exc
    return path


def report_store(out: str | Path, store: str | Path, prefix: str = "", **options: Any) -> Path:
    """Write the report of the runs of `store` keyed `prefix` (see `html_data.store_reports` for the
    options: grading, problems and executor in hand, progress); return its path."""
    return write_html(out, store_reports(Path(store), prefix, **options))


def _pareto_view(ev: Mapping[str, Any]) -> dict[str, Any]:
    """An evaluation with each point placed on the plot: throughput on a log axis, Best-of-k linear."""
    ev = finite(ev)
    points = ev["points"]
    pps = [p["pps"] for p in points if p["pps"] > 0]
    lo, hi = math.floor(math.log10(min(pps, default=1))), math.ceil(math.log10(max(pps, default=10)))
    hi = max(hi, lo + 1)
    boks = [100 * p["bok"] for p in points]
    y_lo = max(0.0, math.floor(min(boks, default=0) / 10) * 10)
    y_hi = min(100.0, math.ceil(max(boks, default=100) / 10) * 10) if boks else 100.0
    y_hi = max(y_hi, y_lo + 10)
    top, right, bottom, left = MARGIN
    width, height = PLOT_W - left - right, PLOT_H - top - bottom

    def x(v: float) -> float:
        return round(left + width * (math.log10(max(v, 10 ** lo)) - lo) / (hi - lo), 1)

    def y(v: float) -> float:
        return round(top + height * (1 - (100 * v - y_lo) / (y_hi - y_lo)), 1)

    placed = [dict(p, x=x(p["pps"]), y=y(p["bok"]), n=n) for n, p in enumerate(points, 1)]
    front = sorted((p for p in placed if p.get("frontier")), key=lambda p: p["x"])
    chosen = (ev.get("chosen") or {}).get("spec")
    return dict(ev, points=placed, chosen_spec=chosen, frontier_path=" ".join(f"{p['x']},{p['y']}" for p in front),
                x_ticks=[{"x": x(10 ** e), "label": _si(10 ** e)} for e in range(lo, hi + 1)],
                y_ticks=[{"y": y(v / 100), "label": f"{v:g}"} for v in range(int(y_lo), int(y_hi) + 1, 10)],
                box={"left": left, "top": top, "right": PLOT_W - right, "bottom": PLOT_H - bottom,
                     "width": PLOT_W, "height": PLOT_H})


def _strategy_union(summaries: Sequence[Mapping[str, Any]]) -> list[str]:
    names: list[str] = []
    for s in summaries:
        names += [t["name"] for t in s["strategies"] if t["name"] not in names]
    return names


def _title(summaries: Sequence[Mapping[str, Any]], pareto: Sequence[Mapping[str, Any]]) -> str:
    parts = [s["label"] for s in summaries] + [f"Pareto {p.get('pool', '')}".strip() for p in pareto]
    return "codesieve report: " + ", ".join(parts)


def _script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: no '<' can close it early."""
    return Markup(json.dumps(finite(value), separators=(",", ":"), allow_nan=False).replace("<", "\\u003c"))


def _asset(name: str) -> str:
    return resources.files("codesieve.report").joinpath("templates", name).read_text(encoding="utf-8")


def _si(value: float) -> str:
    for size, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def _pct(value: float, digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}%"


def _num(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _pval(value: float) -> str:
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"
