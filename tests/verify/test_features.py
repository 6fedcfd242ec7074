import math

import numpy as np

from codesieve.types import Candidate
from codesieve.verify.features import FEATURES, featurize

from tests.verify.conftest import ADD, cands


def column(matrix, name):
    return list(matrix[:, FEATURES.index(name)])


def test_agreement_sees_through_renaming_and_docstrings():
    x = featurize(ADD, cands(
        ADD,
        "def add(a, b):\n    return a + b\n",
        'def add(x, y):\n    """Sum."""\n    return x + y\n',
        "def add(a, b):\n    return a - b\n",
    ))
    assert column(x, "same_shape") == [0.5, 0.5, 0.0]
    assert column(x, "same_text") == [0.0, 0.0, 0.0]
    assert x.shape == (3, len(FEATURES)) and np.isfinite(x).all()


def test_static_signals():
    x = featurize(ADD, (
        Candidate("toy/add", 0, "def add(a, b):\n    pass\n", mean_logprob=-0.3, completion_tokens=5),
        Candidate("toy/add", 1, "def add(a, b):\n    return c\n", mean_logprob=math.nan),
        Candidate("toy/add", 2, "def add(a, b)\n"),
    ))
    assert column(x, "stub_body") == [1.0, 0.0, 0.0]
    assert column(x, "fatal_lint") == [0.0, 1.0, 0.0]
    assert column(x, "compiles") == [1.0, 1.0, 0.0]
    assert column(x, "logprob") == [-0.3, 0.0, 0.0] and column(x, "logprob_missing") == [0.0, 1.0, 1.0]


def test_an_empty_group_has_no_rows():
    assert featurize(ADD, ()).shape == (0, len(FEATURES))
