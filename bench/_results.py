"""Writing benchmark results: JSON plus a short Markdown table that names the command used.

Only benchmark scripts call this; results files are never edited by hand.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import shlex
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def command(drop: tuple[str, ...] = ()) -> str:
    """The command line that produced the results, less flags in `drop` (ones that only re-report)."""
    args = [a for a in sys.argv[1:] if a not in drop]
    return " ".join(["python", *map(shlex.quote, [os.path.relpath(sys.argv[0]), *args])])


def write(name: str, data: dict, header: list[str], rows: list[list], notes: str = "") -> Path:
    """Write results/<name>.json and results/<name>.md; returns the JSON path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {**data, "command": command(), "date": _dt.date.today().isoformat(), "machine": machine()}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    lines = [f"# {name}", "", f"Command: `{data['command']}`  ", f"Date: {data['date']}, "
             f"{data['machine']['cores']} cores, Python {data['machine']['python']}", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        lines.append("| " + " | ".join(_fmt(v) for v in row) + " |")
    if notes:
        lines += ["", notes]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    return path


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)
