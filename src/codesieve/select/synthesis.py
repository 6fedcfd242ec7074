"""S*'s input synthesis: ask the model for new test inputs once per problem, read them back.

The inputs group the kept candidates by behaviour (and majority vote counts the groups); only
inputs, never expected outputs, are asked for: the candidates' own outputs are compared. The
request's words are in `prompts` (`inputs_style`); the call is shared by every selector of the
problem that groups candidates, and charged to each of them.
"""

from __future__ import annotations

from codesieve.select.inputs import ParsedTests, known_parameters, parse_inputs
from codesieve.select.prompts import inputs_request
from codesieve.stages import Cost, Toolbox
from codesieve.types import Problem, TaskKind


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
