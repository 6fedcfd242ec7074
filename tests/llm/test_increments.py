"""Model answers saved in increments beside a long run's results, and restored on another machine."""

from codesieve.llm import ChatRequest, Completion, CompletionStore, Message, request_key
from codesieve.llm.store import sync_increments


def test_saved_model_answers_are_restored_and_saved_in_increments(tmp_path):
    saved = tmp_path / "saved"
    ask = [ChatRequest(messages=(Message("user", q),)) for q in ("one", "two")]
    with CompletionStore(tmp_path / "old.sqlite") as old:
        old.put(request_key("m", ask[0]), "m", ask[0], [Completion("a", "stop")])
    assert sync_increments(tmp_path / "old.sqlite", saved, save=True) == (saved / "000.jsonl.gz", 1)
    assert sync_increments(tmp_path / "old.sqlite", saved, save=True) == (None, 0)  # nothing new: no file
    assert [p.name for p in saved.iterdir()] == ["000.jsonl.gz"]
    with CompletionStore(tmp_path / "old.sqlite") as old:
        old.put(request_key("m", ask[1]), "m", ask[1], [Completion("b", "stop")])
    sync_increments(tmp_path / "old.sqlite", saved, save=True)
    assert sorted(p.name for p in saved.iterdir()) == ["000.jsonl.gz", "001.jsonl.gz"]
    assert sync_increments(tmp_path / "fresh.sqlite", saved) == (None, 0)  # another machine: import only
    with CompletionStore(tmp_path / "fresh.sqlite") as fresh:
        assert fresh.count_samples() == 2 and fresh.get(request_key("m", ask[1]), [0])[0].text == "b"
