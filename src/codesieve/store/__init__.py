"""The run store: candidates, selections and grades of every run, resumable and exportable."""

from codesieve.store.records import to_json
from codesieve.store.schema import SCHEMA_VERSION
from codesieve.store.sqlite import RunStore, SelectionRow, StrategyTotals, run_key

__all__ = [
    "RunStore",
    "SCHEMA_VERSION",
    "SelectionRow",
    "StrategyTotals",
    "run_key",
    "to_json",
]
