"""The one JSON Lines reader and writer (`codesieve.jsonl`)."""

from __future__ import annotations

import pytest

from codesieve.errors import ProblemError, StoreError
from codesieve.jsonl import read_objects, write_objects

ROWS = [{"id": "a", "value": [1, 2]}, {"id": "b", "text": "é"}]


@pytest.mark.parametrize("compress", [False, True])
def test_written_objects_read_back_with_their_line_numbers(tmp_path, compress):
    path = write_objects(tmp_path / "sub" / "rows.jsonl", ROWS, compress=compress)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == compress
    assert list(read_objects(path)) == [(1, ROWS[0]), (2, ROWS[1])]
    assert [p.name for p in path.parent.iterdir()] == ["rows.jsonl"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    path = write_objects(tmp_path / "rows.jsonl", ROWS)
    with pytest.raises(ValueError):  # NaN is not JSON
        write_objects(path, [{"x": 1}, {"x": float("nan")}], allow_nan=False)
    assert list(read_objects(path)) == [(1, ROWS[0]), (2, ROWS[1])]
    assert [p.name for p in tmp_path.iterdir()] == ["rows.jsonl"]


def test_a_file_that_cannot_be_written_is_the_callers_error(tmp_path):
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(StoreError, match="cannot write .*blocked/rows.jsonl"):
        write_objects(tmp_path / "blocked" / "rows.jsonl", ROWS, error=StoreError)
    with pytest.raises(ProblemError, match="line 1: expected a JSON object"):
        list(read_objects(write_objects(tmp_path / "list.jsonl", [[1]]), error=ProblemError))  # type: ignore[list-item]
