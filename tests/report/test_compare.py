"""`codesieve compare`: runs named by store, run key and strategy, paired on their common problems."""

import json

import pytest

from codesieve.cli import main
from codesieve.errors import ConfigError
from codesieve.report.compare import compare, load
from codesieve.stats import sign_test
from codesieve.store import RunStore
from codesieve.store.sqlite import SelectionRow


def save(store, key, solved):
    """solved: strategy -> {problem: passed}"""
    store.open_run(key, {"benchmark": "toy"})
    problems = sorted({p for by in solved.values() for p in by})
    for pid in problems:
        store.save_problem(key, pid, {}, [SelectionRow(pid, s, "toy", by[pid], 1, 10, 1, 0.0, {})
                                          for s, by in solved.items() if pid in by])


@pytest.fixture
def stores(tmp_path):
    a = {f"p{i}": i < 12 for i in range(20)}  # 12 of 20
    b = {f"p{i}": i < 5 or i >= 18 for i in range(20)} | {"p20": True}  # 7 of the same 20, one problem more
    with RunStore(tmp_path / "one.sqlite") as store:
        save(store, "run-a", {"sstar": a, "zero-shot": b})
    with RunStore(tmp_path / "two.sqlite") as store:
        save(store, "run-b", {"sstar": b})
        save(store, "run-c", {"sstar": a, "majority-vote": a})
    return tmp_path


def test_two_strategies_of_one_run_paired_with_the_sign_test(stores, capsys):
    assert main(["compare", f"{stores}/one.sqlite:sstar", ":zero-shot", "--problems",
                 "--json", str(stores / "c.json")]) == 0
    out = capsys.readouterr().out
    data = json.loads((stores / "c.json").read_text())
    assert (data["common_problems"], data["both"], data["a_only"], data["b_only"], data["neither"]) == (20, 5, 7, 2, 6)
    assert data["p_value"] == pytest.approx(sign_test(7, 2)) and data["verdict"] == "A ahead, not significant"
    assert data["a"]["accuracy"]["value"] == 0.6 and data["b"]["accuracy"]["value"] == 0.35  # p20 left out
    assert data["b_loss_points"] == pytest.approx(25.0) and data["b_loss_relative"] == pytest.approx(25 / 60)
    assert data["only_b"] == ["p18", "p19"] and data["b"]["problems"] == 21
    assert "A  " in out and "60.0% [36.1%, 80.9%]" in out and "1 more of B left out" in out
    assert "25.00 points lower (41.67% of A's accuracy)" in out and "only B: p18 p19" in out


def test_runs_in_different_stores_and_a_named_run_key(stores, capsys):
    assert main(["compare", f"{stores}/two.sqlite#run-c:sstar", f"{stores}/one.sqlite:sstar"]) == 0
    assert "tie" in capsys.readouterr().out
    result = compare(load(f"{stores}/one.sqlite:sstar"), load(f"{stores}/two.sqlite#run-b"))
    assert result.b.key == "run-b" and result.b.strategy == "sstar" and result.pairs.a_only == 7


def test_ambiguous_or_missing_runs_say_what_to_name(stores):
    with pytest.raises(ConfigError, match=r"holds 2 runs with 'sstar'; name one as .*two.sqlite#RUN_KEY:sstar"):
        load(f"{stores}/two.sqlite:sstar")
    with pytest.raises(ConfigError, match="several strategies; name one as .*#run-a:STRATEGY"):
        load(f"{stores}/one.sqlite")
    with pytest.raises(ConfigError, match="has no run 'nope'; it has: run-b, run-c"):
        load(f"{stores}/two.sqlite#nope:sstar")
    with pytest.raises(ConfigError, match="has strategy 'codet'"):
        load(f"{stores}/one.sqlite:codet")
    with pytest.raises(ConfigError, match="run store not found"):
        load(f"{stores}/missing.sqlite:sstar")


def test_no_common_problems_is_an_error_not_a_zero(tmp_path, capsys):
    with RunStore(tmp_path / "s.sqlite") as store:
        save(store, "k", {"sstar": {"p1": True}, "zero-shot": {}})
        save(store, "k2", {"zero-shot": {"p2": True}})
    assert main(["compare", f"{tmp_path}/s.sqlite:sstar", f"{tmp_path}/s.sqlite#k2:zero-shot"]) == 2
    assert "no finished problem in common" in capsys.readouterr().err


def test_the_command_list_and_its_help_render():
    from codesieve.cli import build_parser

    text = build_parser().format_help()
    assert "compare" in text and "95%" in text and "pool" in text
