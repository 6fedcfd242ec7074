"""The run store: candidates, selections and grades of every run, resumable and exportable."""

from codesieve.store.problems import Pools, ProblemRecord
from codesieve.store.records import (RECORD_VERSION, SelectionRecord, jsonable, read_selection,
                                     selection_record)
from codesieve.store.schema import SCHEMA_VERSION
from codesieve.store.sqlite import RunStore, SelectionRow, StrategyTotals, run_key

__all__ = [
    "Pools",
    "ProblemRecord",
    "RECORD_VERSION",
    "RunStore",
    "SCHEMA_VERSION",
    "SelectionRecord",
    "SelectionRow",
    "StrategyTotals",
    "jsonable",
    "read_selection",
    "run_key",
    "selection_record",
]
