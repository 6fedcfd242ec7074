"""Writing results: where they came from (command, machine), JSON written atomically, Markdown tables."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import sys
from pathlib import Path
from typing import Any, Sequence


def machine() -> dict[str, Any]:
    """What the results were measured on."""
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def command_line(argv: Sequence[str] | None = None, drop: Sequence[str] = ()) -> str:
    """The command that produced the results (default: this process's), less the flags in `drop`
    (ones that only re-report), script path relative to the working directory."""
    argv = list(sys.argv if argv is None else argv)
    args = [a for a in argv[1:] if a not in drop]
    return " ".join(["python", *map(shlex.quote, [os.path.relpath(argv[0]), *args])])


def write_json(path: Path, data: Any, indent: int = 2, sort_keys: bool = False) -> None:
    """Write `data` as JSON, atomically: a report rewritten while its run goes on is never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=indent, sort_keys=sort_keys) + "\n")
    os.replace(tmp, path)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """A Markdown table's lines; cells are shown with `str`."""
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *["| " + " | ".join(str(v) for v in row) + " |" for row in rows]]


def write_results(directory: Path, name: str, data: dict, header: Sequence[str], rows: Sequence[Sequence[Any]],
                  notes: str = "", command: str | None = None) -> Path:
    """A benchmark's results: `name`.json (`data` with the command, date and machine added) and a
    short `name`.md table that names the command. Floats are shown to 4 significant digits."""
    data = {**data, "command": command or command_line(), "date": dt.date.today().isoformat(), "machine": machine()}
    path = directory / f"{name}.json"
    write_json(path, data, sort_keys=True)
    lines = [f"# {name}", "", f"Command: `{data['command']}`  ",
             f"Date: {data['date']}, {data['machine']['cores']} cores, Python {data['machine']['python']}", "",
             *markdown_table(header, [[_cell(v) for v in row] for row in rows])]
    if notes:
        lines += ["", notes]
    (directory / f"{name}.md").write_text("\n".join(lines) + "\n")
    return path


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)
