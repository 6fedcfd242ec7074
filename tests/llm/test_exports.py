"""The public surface of codesieve.llm: sorted, complete, importable."""

from __future__ import annotations

import codesieve.llm as llm


def test_all_is_sorted_and_importable():
    assert llm.__all__ == sorted(llm.__all__, key=lambda name: (not name.isupper(), name))
    for name in llm.__all__:
        assert getattr(llm, name) is not None
