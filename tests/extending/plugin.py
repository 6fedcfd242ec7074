"""A strategy and an executor backend defined outside codesieve: one decorated class each,
registered on import."""

import threading

from codesieve.execution import register_backend
from codesieve.execution.local import LocalBackend
from codesieve.stages import CandidatePool, Selection, strategy


@strategy("shortest", arg="how many candidates to consider, e.g. 'shortest:2'")
class Shortest:
    """The shortest program among the first K sampled candidates."""

    pool = CandidatePool.SAMPLED

    def __init__(self, k: str):
        self.k = int(k)
        self.name = f"shortest:{self.k}"

    async def select(self, problem, attempts, tools):
        if not attempts:
            return Selection(self.name, None, "no candidates")
        best = min(attempts[: self.k], key=lambda a: (len(a.candidate.program), a.candidate.index))
        return Selection(self.name, best.candidate, f"shortest of the first {self.k}", {"length": len(best.candidate.program)})


@register_backend("counting")
class CountingBackend(LocalBackend):
    """An executor backend defined outside codesieve: today's local pool, counting the tasks it runs
    under a label (`counting:LABEL`)."""

    def __init__(self, label: str | None, workers: int | None):
        super().__init__(workers)
        self.label = label
        self.tasks = 0
        self._count_lock = threading.Lock()
        made.append(self)

    def run(self, tasks, on_done):
        with self._count_lock:
            self.tasks += len(tasks)
        super().run(tasks, on_done)


made: list[CountingBackend] = []
