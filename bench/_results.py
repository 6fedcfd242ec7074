"""Where benchmark results go (bench/results/), for the scripts that write the short JSON + Markdown
table of `codesieve.report.files.write_results`. Results files are never edited by hand."""

from __future__ import annotations

from pathlib import Path

from codesieve.report.files import write_results

RESULTS = Path(__file__).resolve().parent / "results"


def write(name: str, data: dict, header: list[str], rows: list[list], notes: str = "") -> Path:
    """Write results/<name>.json and results/<name>.md; returns the JSON path."""
    return write_results(RESULTS, name, data, header, rows, notes)
