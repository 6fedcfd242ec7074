"""CPU time of other processes, read from /proc (Linux): what a benchmark charges to the workers,
servers and daemons it did not start as its own children."""

from __future__ import annotations

import os

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(*pids: int) -> float:
    """User + system CPU seconds these processes have used so far, not counting their children's;
    a process already gone counts 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / TICK
