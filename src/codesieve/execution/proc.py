"""CPU time of other processes, read from /proc (Linux): what a benchmark charges to the workers,
servers and daemons it did not start as its own children, and what a sandbox worker reads of a
child it supervises. The worker imports this file by its bare name, as it does `codec`: it uses
nothing else of codesieve."""

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
