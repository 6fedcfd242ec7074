"""Stages and an executor backend defined outside codesieve: a strategy with its own evidence
type, a cascade check, an S* judge and a backend, one decorated definition each, registered on
import."""

import threading
from dataclasses import dataclass

from codesieve.execution import register_backend
from codesieve.execution.local import LocalBackend
from codesieve.select.judges.base import Judgement
from codesieve.stages import CandidatePool, Score, Selection, check, judge, strategy


@dataclass(frozen=True)
class ShortestEvidence:
    """Why `shortest` picked its program: the program's length, among how many candidates."""

    length: int
    considered: int


@strategy("shortest", arg="how many candidates to consider, e.g. 'shortest:2'", evidence=ShortestEvidence)
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
        considered = len(attempts[: self.k])
        return Selection(self.name, best.candidate, f"shortest of the first {self.k}",
                         ShortestEvidence(len(best.candidate.program), considered))


@check("short", arg="count", help="prune programs longer than K characters")
def short(stage, tools):
    return Short(int(stage.arg))


class Short:
    def __init__(self, limit: int):
        self.limit = limit

    async def check(self, groups):
        return [[Score(len(c.program) <= self.limit, note="" if len(c.program) <= self.limit else "too long")
                 for c in g.candidates] for g in groups]


@judge("doubling", help="the side whose outputs are twice their input wins (the toy problem's truth)")
class Doubling:
    """A judge that knows the toy problem: no model call, the side that doubles on every input wins."""

    name = "doubling"
    by_code = False

    async def judge(self, problem, a, b, shown, tools, cost):
        def doubles(side):
            return all(getattr(d.ran, side).value == 2 * d.ran.test.args[0] for d in shown)

        right_a, right_b = doubles("a"), doubles("b")
        return Judgement((2.0, 0.0) if right_a and not right_b else (0.0, 2.0) if right_b and not right_a
                         else (0.0, 0.0))


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
