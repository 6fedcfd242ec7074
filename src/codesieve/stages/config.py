"""The selectors' knobs: one frozen `SelectConfig` per run, part of the run's identity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codesieve.errors import ConfigError
from codesieve.stages.registry import lookup

INPUT_STYLES = ("reason", "plain")  # the input-synthesis prompts (`codesieve.select.prompts`)


def _any_value(config: "SelectConfig") -> bool:
    """An option's `added` predicate where any value reproduces the runs stored before it (they never used it)."""
    return True


@dataclass(frozen=True)
class SelectConfig:
    """Knobs of the selectors. Defaults keep prompts short for small local models.

    `judge` names S*'s judge, a registered one (`codesieve.select.judges`): predict (the default),
    reason, logprob or verdict-first. `inputs_style` is the input-synthesis
    prompt (`codesieve.select.prompts`): plain (the default: 5 calls asked for directly, greedy, as
    in the runs the benchmark measured) or reason (think first, then a complete set: the authors'
    form, which they sample at `inputs_temperature` 0.7; with the 0.5B it ran to its 384-token
    cap, docs/first-run.md). `duel_inputs_style` is the prompt of a duel's request for separating
    inputs: plain (the default, greedy) or reason (at `inputs_temperature`).
    `reason_tokens` bounds every answer that reasons before it answers. `inputs` names what `sstar`
    groups and duels on; `discard_copies` keeps a predicted example output from voting.

    Every option is part of the run's key (`codesieve.runs.identity`); those added after runs were
    stored say, in their metadata, the value that reproduces those runs, at which they are left out
    so the runs keep their keys. The judges came with the input styles, as one group: the runs
    stored before them judged verdict-first on greedy plain inputs."""

    n_inputs: int = 5  # new test inputs asked for, for grouping candidates
    n_duel_inputs: int = 3  # distinguishing inputs asked for per comparison
    n_mutants: int = 32  # sstar-mutants: mutated public inputs added to the generated ones (docs/sstar.md)
    max_groups: int = 4  # S*: only the largest groups meet, round robin: M*(M-1)/2 comparisons
    max_judged: int = 4  # llm-judge: distinct programs shown at most
    max_tokens: int = 256  # per call asking for test inputs (plain style)
    judge_tokens: int = 96  # per verdict-first verdict, and per predicted output
    seed: int = 0
    # measured best with Qwen2.5-Coder 0.5B and 1.5B (bench/results/judge_accuracy.md)
    judge: str = field(default="predict", metadata={"added": "verdict-first", "group": "judges"})
    # per answer that reasons first: judge verdicts, reasoned inputs (unused by the runs before the judges)
    reason_tokens: int = field(default=384, metadata={"added": _any_value, "group": "judges"})
    # logprob judge: the mean margin (nats) that decides a duel
    logprob_threshold: float = field(default=0.5, metadata={"added": _any_value, "group": "judges"})
    # logprob judge: alternatives asked for at the answer token
    top_logprobs: int = field(default=20, metadata={"added": _any_value, "group": "judges"})
    inputs_style: str = field(default="plain", metadata={"added": "plain", "group": "judges"})
    inputs_temperature: float = field(default=0.0, metadata={"added": 0.0, "group": "judges"})
    # before the option, duels asked for inputs as the generated inputs were asked for
    duel_inputs_style: str = field(default="plain", metadata={
        "added": lambda c: c.duel_inputs() == (c.inputs_style, c.inputs_temperature)})
    # what `sstar` groups and duels on (`codesieve.select.synthesis.SOURCES`; the S* variants named for
    # their inputs keep theirs): the model's inputs plus those that cost no model call, which split more
    # dev candidates apart (bench/results/separating_inputs.md); the runs before the option used the model's
    inputs: str = field(default="model+cheap", metadata={"added": "model"})
    # the predicting judge: a prediction that is a statement example's output for another input casts no vote
    discard_copies: bool = field(default=True, metadata={"added": False})

    def __post_init__(self) -> None:
        for style in (self.inputs_style, self.duel_inputs_style):
            if style not in INPUT_STYLES:
                raise ConfigError(f"unknown input prompt style {style!r}; choose from: {', '.join(INPUT_STYLES)}")
        lookup(self.judge, "judge")

    def duel_inputs(self) -> tuple[str, float]:
        """The style and temperature of a duel's request for separating inputs."""
        style = self.duel_inputs_style
        return style, self.inputs_temperature if style == "reason" else 0.0

    @classmethod
    def verdict_first(cls, **options: Any) -> "SelectConfig":
        """The settings of the runs committed before the reasoning judge (greedy plain inputs, 8 mutants)."""
        return cls(**{"judge": "verdict-first", "inputs_style": "plain", "inputs_temperature": 0.0, "n_mutants": 8,
                      "inputs": "model", "discard_copies": False, **options})
