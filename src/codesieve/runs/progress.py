"""The line a run's log gets as each problem finishes, written and read in one place:
`codesieve run` prints it, scripts (bench/first_run.py) read when each problem was solved from it.

    "  41.9s  HumanEval/0 (1/5): sstar passed | solved so far: sstar 1"
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PROBLEM_LINE = re.compile(r"^\s*[\d.]+s\s+(?P<problem>\S+) \((?P<done>\d+)/(?P<total>\d+)\)[^:]*: (?P<outcome>.*?) \|")


def problem_line(elapsed_s: float, problem_id: str, done: int, total: int, outcome: Mapping[str, bool | None],
                 solved: Mapping[str, int], stored: bool) -> str:
    """`outcome`: per strategy, passed, failed or (None) not run; `solved`: per strategy, so far;
    `stored`: the problem's results came from the store."""
    shown = ", ".join(f"{n} {'passed' if ok else 'failed' if ok is not None else 'not run'}"
                      for n, ok in outcome.items())
    so_far = " ".join(f"{n} {count}" for n, count in solved.items())
    return (f"{elapsed_s:6.1f}s  {problem_id} ({done}/{total}){' (from the store)' if stored else ''}: {shown} "
            f"| solved so far: {so_far}")
