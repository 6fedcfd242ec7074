"""Verifiers, cascades of them, outcome reward models and candidate pools (docs/verification.md)."""

from codesieve.verify.cascade import CascadeResult, Pruned, Ranking, StageReport, run_cascade
from codesieve.verify.http_orm import HttpOrm
from codesieve.verify.lint import LintVerifier
from codesieve.verify.majority import MajorityVerifier
from codesieve.verify.orm import LogprobOrm, OrmModel, TrainedOrm, load_model, save_model
from codesieve.verify.orm_train import Labelled, cross_fit, train
from codesieve.verify.pool import LabelledPool, PoolEntry, load_problems, read_pool, write_pool
from codesieve.verify.spec import CascadeSpec, Stage, parse_cascade
from codesieve.verify.strategy import Cascade, CascadeEvidence, selection_view
from codesieve.verify.syntax import SyntaxVerifier
from codesieve.verify.tests import TestsVerifier

__all__ = [
    "Cascade", "CascadeEvidence", "CascadeResult", "CascadeSpec", "HttpOrm", "Labelled", "LabelledPool",
    "LintVerifier", "LogprobOrm", "MajorityVerifier", "OrmModel", "PoolEntry", "Pruned", "Ranking", "Stage",
    "StageReport", "SyntaxVerifier", "TestsVerifier", "TrainedOrm", "cross_fit", "load_model", "load_problems",
    "parse_cascade", "read_pool", "run_cascade", "save_model", "selection_view", "train", "write_pool",
]
