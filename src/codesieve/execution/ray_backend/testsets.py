"""The driver's record of which actor holds which test set.

A problem's tests (HumanEval+: up to megabytes) are the same for all its programs, so they travel
once per actor, with the first chunk that needs them, and the queue prefers giving an actor tasks
whose tests it already holds, then tests no actor holds (so a second actor does not fetch them too).
Actors drop sets past their memory bound and say so; the driver then forgets it sent them.
Not thread-safe; the backend calls it holding its lock.
"""

from __future__ import annotations

from typing import Hashable, Iterable

from codesieve.execution.interface import Task


class TestSets:
    """Which test sets each actor was sent, and how many live actors hold each set."""

    __test__ = False  # not a pytest class, whatever its name

    def __init__(self) -> None:
        self._held: dict[Hashable, set[str]] = {}  # actor -> keys of the test sets sent to it
        self._holders: dict[str, int] = {}  # test set -> how many live actors hold it
        self.sent = 0  # test sets sent
        self.bytes_sent = 0

    def rank(self, actor: Hashable, key: str) -> int:
        """0: `actor` holds the set; 1: no actor does; 2: another actor does (lower is sent sooner)."""
        return 0 if key in self._held.get(actor, ()) else 1 if not self._holders.get(key) else 2

    def to_send(self, actor: Hashable, tasks: Iterable[Task]) -> dict[str, str]:
        """The test sets of `tasks` that `actor` lacks, by key, counted as sent to it."""
        held = self._held.setdefault(actor, set())
        tests: dict[str, str] = {}
        for task in tasks:
            if task.tests_key not in held:
                held.add(task.tests_key)
                self._holders[task.tests_key] = self._holders.get(task.tests_key, 0) + 1
                tests[task.tests_key] = task.tests
                self.sent += 1
                self.bytes_sent += len(task.tests)
        return tests

    def forget(self, actor: Hashable, key: str) -> None:
        """`actor` let the set `key` go: it is sent again with its next task that needs it."""
        held = self._held.get(actor, set())
        if key in held:
            held.discard(key)
            self._holders[key] -= 1

    def drop(self, actor: Hashable) -> None:
        """`actor` is gone, and every set it held with it."""
        for key in self._held.pop(actor, set()):
            self._holders[key] -= 1
