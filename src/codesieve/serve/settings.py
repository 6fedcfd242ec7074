"""What a `codesieve serve` process is configured with, and each request's run configuration.

A request's run is configured as `codesieve run` configures one from the same options, so the
`codesieve run ... --replay` line each answer carries re-scores it under the same run key.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from codesieve._paths import DEFAULT_STORE
from codesieve.pipeline import RunConfig
from codesieve.runs import Model, RunFiles
from codesieve.runs.defaults import shipped_config
from codesieve.stages import make_strategy


@dataclass(frozen=True)
class ServeSettings:
    """The model (`Model`: embedded by default, or a name on `base_url`), the default strategy and
    samples per request (a request may ask for others), debug `rounds`, tokens per program answer,
    the seed, and the run store (by default `codesieve run`'s: served runs are runs like any other).
    `concurrency` requests run at once and `queue` more wait; one more gets 429. A request taking
    over `timeout_s` gets 504. With `api_key`, requests must carry it as a bearer token. Bodies over
    `max_body_bytes` get 413."""

    model: Model = field(default_factory=Model)
    strategy: str = "sstar"
    n: int = 8
    rounds: int = 2
    max_tokens: int = 512
    seed: int = 0
    store: Path = DEFAULT_STORE
    concurrency: int = 2
    queue: int = 16
    timeout_s: float = 600.0
    api_key: str | None = None
    max_body_bytes: int = 1_000_000
    workers: int | None = None
    executor: str = "local"

    @property
    def files(self) -> RunFiles:
        return RunFiles.beside(self.store)

    @property
    def problems_dir(self) -> Path:
        """Where each request's problem is written as a problem file (what its run key names)."""
        return self.store.resolve().with_suffix(".problems")

    @property
    def reports_dir(self) -> Path:
        return self.store.resolve().with_suffix(".reports")

    def run_config(self, n: int | None = None, strategy: str | None = None) -> RunConfig:
        """A request's run configuration: `codesieve run`'s for the same options (selection answers
        capped at the program answers' tokens, as it caps them). An unknown strategy is a `ConfigError`."""
        name = make_strategy(strategy or self.strategy).name
        return shipped_config(max_tokens=self.max_tokens, strategies=(name,), rounds=self.rounds, concurrency=1,
                              sample={"n": n or self.n, "seed": self.seed}, select={"seed": self.seed})

    def replay_command(self, problem_file: Path, config: RunConfig) -> str:
        """The `codesieve run` line that re-scores a request's run from the stored model answers."""
        m = self.model
        where = ["--base-url", m.base_url] if m.base_url else []
        words = ["codesieve", "run", "--benchmark", "jsonl", "--data", str(problem_file), "--limit", "0",
                 "--store", str(self.store.resolve()), "--model", m.name, *where, "-n", str(config.sample.n),
                 "--rounds", str(config.rounds), "--max-tokens", str(config.sample.max_tokens),
                 "--seed", str(config.sample.seed), "--strategy", config.strategies[0], "--replay"]
        return shlex.join(words)
