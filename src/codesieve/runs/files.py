"""Where a run's work goes: three SQLite files, placed from the run store's path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codesieve._paths import DEFAULT_STORE


@dataclass(frozen=True)
class RunFiles:
    """The run store (every problem's pools, selections and grades), the completion store (every
    model answer, so a run resumes and replays without asking the model again) and the execution
    cache (results of sandboxed programs). `beside(store)` places them side by side:
    `x.sqlite`, `x.completions.sqlite`, `x.exec.sqlite`; a run that shares another's completions
    replaces that one path."""

    store: Path
    completions: Path
    exec_cache: Path

    @classmethod
    def beside(cls, store: str | Path = DEFAULT_STORE) -> "RunFiles":
        stem = Path(store).with_suffix("")
        return cls(Path(store), Path(f"{stem}.completions.sqlite"), Path(f"{stem}.exec.sqlite"))
