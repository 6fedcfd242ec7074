"""S*'s input synthesis: ask the model for new test inputs once per problem, read them back.

The inputs group the kept candidates by behaviour (and majority vote counts the groups); only
inputs, never expected outputs, are asked for: the candidates' own outputs are compared. The
request's words are in `prompts` (`inputs_style`); the call is shared by every selector of the
problem that groups candidates, and charged to each of them.

S* may group on more than the model's inputs (`SOURCES`, its `inputs` option): mutated public
inputs (`mutate`), edge cases (`edge_cases`), and for stdin tasks the inputs of a generator the
model writes (`generator`). Every input, whatever its source, then faces the same check in the
grouping: one on which no candidate runs to completion is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from codesieve.select.edge_cases import edge_cases
from codesieve.select.generator import Generated, generated_inputs
from codesieve.select.inputs import ParsedTests, known_parameters, parse_inputs
from codesieve.select.mutate import added, input_mutants, stdin_mutants
from codesieve.select.prompts import inputs_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Problem, TaskKind, Test


async def generate_inputs(problem: Problem, programs: list[str], tools: Toolbox, cost: Cost
                          ) -> tuple[ParsedTests, str]:
    """New test inputs for grouping candidates, and the model's answer they were read from."""
    params = known_parameters(problem, programs) if problem.kind == TaskKind.FUNCTION else None
    cfg = tools.config
    reasoned = cfg.inputs_style == "reason"

    async def make(own: Cost) -> tuple[ParsedTests, str]:
        request = inputs_request(problem, cfg.n_inputs, cfg.inputs_style,
                                 cfg.reason_tokens if reasoned else cfg.max_tokens, cfg.inputs_temperature, cfg.seed)
        text = (await tools.ask([request], own, inputs=True))[0][0].text
        return parse_inputs(problem, text, params), text

    return await tools.shared((problem.id, "inputs", tuple(params) if params else None), make, cost)


MODEL, MUTANT, EDGE, GENERATED = "model", "mutant", "edge", "generated"  # where an input came from
# S*'s `inputs` option -> the sources added to the model's inputs
SOURCES: dict[str, tuple[str, ...]] = {
    "model": (),
    "model+mutants": (MUTANT,),  # function tasks only, as `sstar-mutants` has always been
    "model+cheap": (MUTANT, EDGE),  # no model call beyond the model's inputs
    "model+cheap+generator": (MUTANT, EDGE, GENERATED),  # stdin tasks: plus one call for a generator
}


@dataclass(frozen=True)
class SourcedInputs:
    """Every input S* groups on, the model's first, then each source's new ones; `sources[i]` names
    where `tests[i]` came from. `made` counts what each added source made before repeats were
    dropped; `generated` is the generator's outcome (empty unless it was asked)."""

    parsed: ParsedTests
    raw: str
    tests: tuple[Test, ...]
    sources: tuple[str, ...]
    made: Mapping[str, int]
    generated: Generated = Generated()

    def recorded(self, kept: Sequence[Test]) -> dict[str, Any]:
        """What S*'s evidence keeps of them (`evidence.SStarEvidence`'s input fields but the shown
        inputs), `kept` being the inputs the grouping kept."""
        rejected = dict.fromkeys((MODEL, MUTANT, EDGE, GENERATED), 0)
        for test, source in zip(self.tests, self.sources):
            rejected[source] += test not in kept  # test values may be unhashable (lists)
        return {"inputs_raw": self.raw, "inputs_invalid": self.parsed.invalid,
                "inputs_mutated": self.made.get(MUTANT, 0), "inputs_edge": self.made.get(EDGE, 0),
                "inputs_generated": self.made.get(GENERATED, 0), "generator_failed": self.generated.failed,
                "generator_raw": self.generated.raw, "rejected_mutated": rejected[MUTANT],
                "rejected_edge": rejected[EDGE], "rejected_generated": rejected[GENERATED]}


def cheap_inputs(problem: Problem, programs: Sequence[str], which: str, n_mutants: int, seed: int
                 ) -> dict[str, tuple[Test, ...]]:
    """The inputs of the sources `SOURCES[which]` names that cost no model call (mutants, edge
    cases), by source, in `SOURCES` order; repeats are dropped only when they are added."""
    made: dict[str, tuple[Test, ...]] = {}
    for source in SOURCES[which]:
        if source == MUTANT:
            made[source] = input_mutants(problem, n_mutants, seed)
            if which != "model+mutants":
                made[source] += stdin_mutants(problem, n_mutants, seed)
        elif source == EDGE:
            made[source] = edge_cases(problem, list(programs))
    return made


async def sourced_inputs(problem: Problem, programs: list[str], which: str, tools: Toolbox, cost: Cost
                         ) -> SourcedInputs:
    """The model's inputs (`generate_inputs`) and those of the sources `SOURCES[which]` names."""
    parsed, raw = await generate_inputs(problem, programs, tools, cost)
    cfg = tools.config
    made = cheap_inputs(problem, programs, which, cfg.n_mutants, cfg.seed)
    generated = Generated()
    if GENERATED in SOURCES[which]:
        generated = await generated_inputs(problem, tools, cost)
        made[GENERATED] = generated.tests
    tests, sources = list(parsed.tests), [MODEL] * len(parsed.tests)
    for source, found in made.items():
        new = added(tests, found)[len(tests):]
        tests += new
        sources += [source] * len(new)
    return SourcedInputs(parsed, raw, tuple(tests), tuple(sources), {s: len(f) for s, f in made.items()}, generated)
