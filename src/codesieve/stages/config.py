"""The selectors' knobs: one frozen `SelectConfig` per run, part of the run's identity."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from codesieve.errors import ConfigError
from codesieve.stages.registry import lookup

INPUT_STYLES = ("reason", "plain")  # the input-synthesis prompts (`codesieve.select.prompts`)


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
    `reason_tokens` bounds every answer that reasons before it answers."""

    n_inputs: int = 5  # new test inputs asked for, for grouping candidates
    n_duel_inputs: int = 3  # distinguishing inputs asked for per comparison
    n_mutants: int = 32  # sstar-mutants: mutated public inputs added to the generated ones (docs/sstar.md)
    max_groups: int = 4  # S*: only the largest groups meet, round robin: M*(M-1)/2 comparisons
    max_judged: int = 4  # llm-judge: distinct programs shown at most
    max_tokens: int = 256  # per call asking for test inputs (plain style)
    judge_tokens: int = 96  # per verdict-first verdict, and per predicted output
    seed: int = 0
    judge: str = "predict"  # measured best with Qwen2.5-Coder 0.5B and 1.5B (bench/results/judge_accuracy.md)
    reason_tokens: int = 384  # per answer that reasons first: judge verdicts, reasoned inputs
    logprob_threshold: float = 0.5  # logprob judge: the mean margin (nats) that decides a duel
    top_logprobs: int = 20  # logprob judge: alternatives asked for at the answer token
    inputs_style: str = "plain"
    inputs_temperature: float = 0.0
    duel_inputs_style: str = "plain"

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
                      **options})

    def identity(self) -> dict[str, Any]:
        """The options that change results. Options added later are left out at the values that
        reproduce the runs stored before them, so those runs keep their keys."""
        out = asdict(self)
        if self.duel_inputs() == (self.inputs_style, self.inputs_temperature):
            del out["duel_inputs_style"]  # duels asked as the generated inputs were, as before the option
        if self.judge == "verdict-first" and self.inputs_style == "plain" and self.inputs_temperature == 0.0:
            for added in ("judge", "reason_tokens", "logprob_threshold", "top_logprobs", "inputs_style",
                          "inputs_temperature"):
                del out[added]
        return out
