"""Where codesieve keeps what it computes once and reuses: assembled models, expected outputs."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`$CODESIEVE_CACHE`, else ~/.cache/codesieve."""
    root = os.environ.get("CODESIEVE_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "codesieve"


# The run store a run writes when given none; its completion store and execution cache sit beside it
# (`codesieve.runs.RunFiles`). Defined here, not in `codesieve.runs`, so `codesieve --help` needs no model code.
DEFAULT_STORE = Path("runs") / "codesieve.sqlite"
