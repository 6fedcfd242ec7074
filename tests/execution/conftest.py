import os

import pytest

from codesieve.execution import ExecutionCache, Executor


@pytest.fixture(scope="session")
def executor():
    """One warm pool for the whole session; no result cache, so every test really executes."""
    with Executor(cache=ExecutionCache(max_memory_items=0)) as ex:
        yield ex


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` in the process tree, read from /proc."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if fields[0] != "Z":
                    parent_of[int(entry)] = int(fields[1])
            except OSError:
                continue
    found, frontier = [], {pid}
    while frontier:
        frontier = {p for p, pp in parent_of.items() if pp in frontier}
        found.extend(frontier)
    return found


def processes_of_uids(uids: range) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as fh:
                    uid = next(int(line.split()[1]) for line in fh if line.startswith("Uid:"))
            except (OSError, StopIteration):
                continue
            if uid in uids:
                found.append(int(entry))
    return found
