"""The built-in checks, the stages of a cascade (grammar: `codesieve.verify.spec`).

Each is one factory `(stage, tools) -> Check`, named in `codesieve.stages.builtin`; a check
defined elsewhere registers itself with `codesieve.stages.check`. In an offline pool evaluation (`pareto`, `orm`)
`tests:K`, `sample:K`, `full` and `majority` read the problem's hidden tests, as the Pareto paper's
verifiers do; inside `codesieve run` a cascade is given only the tests selection may see
(`codesieve.verify.strategy`).
"""

from __future__ import annotations

from codesieve.errors import ConfigError
from codesieve.stages import Check, Toolbox
from codesieve.verify.lint import LintVerifier
from codesieve.verify.majority import MajorityVerifier
from codesieve.verify.orm import LogprobOrm
from codesieve.verify.spec import Stage
from codesieve.verify.syntax import SyntaxVerifier
from codesieve.verify.tests import TestsVerifier, all_hidden, all_public, first_hidden, spread_hidden

DEFAULT_MAJORITY_INPUTS = 5


def syntax(stage: Stage, tools: Toolbox) -> Check:
    """prune programs that do not compile"""
    return SyntaxVerifier()


def lint(stage: Stage, tools: Toolbox) -> Check:
    """prune programs with fatal pyflakes findings or no entry point"""
    return LintVerifier()


def tests(stage: Stage, tools: Toolbox) -> Check:
    """prune programs failing one of the first K tests"""
    return TestsVerifier(tools.executor, first_hidden(int(stage.arg or 0)), time_s=stage.time_s)


def sample(stage: Stage, tools: Toolbox) -> Check:
    """prune programs failing one of K tests spread over the suite"""
    return TestsVerifier(tools.executor, spread_hidden(int(stage.arg or 0)), time_s=stage.time_s)


def public(stage: Stage, tools: Toolbox) -> Check:
    """prune programs failing a public test"""
    return TestsVerifier(tools.executor, all_public, time_s=stage.time_s)


def full(stage: Stage, tools: Toolbox) -> Check:
    """prune programs failing a test of the suite"""
    return TestsVerifier(tools.executor, all_hidden, time_s=stage.time_s)


def majority(stage: Stage, tools: Toolbox) -> Check:
    """rank by output agreement with siblings on K test inputs (default 5)"""
    return MajorityVerifier(tools.executor, int(stage.arg or DEFAULT_MAJORITY_INPUTS))


def orm(stage: Stage, tools: Toolbox) -> Check:
    """rank by an outcome reward model: logprob, or one in the toolbox's ORMs"""
    if stage.arg == "logprob":
        return tools.orms.get("logprob", LogprobOrm())
    if stage.arg not in tools.orms:
        hint = {"trained": "pass a trained artefact (--orm ARTEFACT; make one with `codesieve orm train`)",
                "http": "pass the scorer's address (--orm-url URL)"}.get(stage.arg or "", "")
        known = ", ".join(sorted({"logprob", *tools.orms}))
        raise ConfigError(f"no ORM named {stage.arg!r} is available (have: {known})" + (f"; {hint}" if hint else ""))
    return tools.orms[stage.arg]
