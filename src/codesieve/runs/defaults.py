"""The run `codesieve run` ships, defined once: the CLI's defaults, `codesieve serve`'s requests and
the benchmarks' `sstar` column all read it here, so what is measured is what ships.

Selection answers are capped by the program answers' token budget (`max_tokens`): a run asked for
short programs gets no longer answers anywhere else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from codesieve.generate.sample import SampleConfig
from codesieve.pipeline import RunConfig
from codesieve.stages import SelectConfig

# N=8, as S*'s authors while developing and the dev benchmark's runs (their final runs used 16,
# twice the sampling time on two cores; docs/sstar.md); two problems' samples fill the embedded
# server's 16 slots
SHIPPED = RunConfig(sample=SampleConfig(n=8), concurrency=2)


def shipped_config(*, max_tokens: int = SHIPPED.sample.max_tokens, select: dict[str, Any] | None = None,
                   sample: dict[str, Any] | None = None, **run: Any) -> RunConfig:
    """`SHIPPED` with the options given changed: `sample` and `select` hold `SampleConfig` and
    `SelectConfig` fields, the rest `RunConfig` fields. Selection answers get at most `max_tokens`."""
    chosen = {**(select or {})}
    for name in ("max_tokens", "judge_tokens", "reason_tokens"):
        chosen.setdefault(name, min(max_tokens, getattr(SelectConfig, name)))
    return replace(SHIPPED, sample=replace(SHIPPED.sample, max_tokens=max_tokens, **(sample or {})),
                   select=replace(SHIPPED.select, **chosen), **run)
