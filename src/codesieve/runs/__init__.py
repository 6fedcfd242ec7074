"""A run of the pipeline as one object: its configuration, key, files, resuming and replaying
(`Run`), and `run(...)`, the one-call form `codesieve.run` exports."""

from codesieve.runs.defaults import SHIPPED, shipped_config
from codesieve.runs.files import RunFiles
from codesieve.runs.identity import config_identity, run_identity
from codesieve.runs.models import Model
from codesieve.runs.progress import PROBLEM_LINE, problem_line
from codesieve.runs.run import Agreement, Run, RunResult, check_replayable, replay_agreement, run

__all__ = [
    "PROBLEM_LINE",
    "SHIPPED",
    "Agreement",
    "Model",
    "Run",
    "RunFiles",
    "RunResult",
    "check_replayable",
    "config_identity",
    "problem_line",
    "replay_agreement",
    "run",
    "run_identity",
    "shipped_config",
]
