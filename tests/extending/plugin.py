"""A strategy defined outside codesieve: one decorated class, registered on import."""

from codesieve.select import CandidatePool, Selection, strategy


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
