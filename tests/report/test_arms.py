"""codesieve.report.arms on a hand-made run store: which problems an experiment picks, what it
reports per arm, and each arm against the baseline (what bench/debug_variants.py writes)."""

from __future__ import annotations

import json

from codesieve.report import arms
from codesieve.report.files import write_results
from codesieve.store import RunStore
from codesieve.store.sqlite import SelectionRow

from tests.store.stored import lineage, pool

STRATEGIES = ("self-debug", "sstar")


def save(store, key, solved_by_sstar, fixed):
    store.open_run(key, {})
    debugged = lineage("t/debugged", 1, ("b", "wrong_answer"), ("c", "passed") if fixed else ("b", "wrong_answer"))
    store.save_problem(key, "t/debugged",
                       {"sampled": pool(lineage("t/debugged", 0, ("a", "passed")), debugged),
                        "greedy": pool(lineage("t/debugged", 0, ("g", "wrong_answer"), ("g", "wrong_answer")))},
                       [SelectionRow("t/debugged", s, "toy", s == "sstar" and solved_by_sstar, 1, 100, 1, 0.0, {})
                        for s in STRATEGIES])
    store.save_problem(key, "t/easy", {"sampled": pool(lineage("t/easy", 0, ("a", "passed")))},
                       [SelectionRow("t/easy", s, "toy", True, 1, 100, 1, 0.0, {}) for s in STRATEGIES])


def test_picks_debugged_problems_and_reports_each_arm(tmp_path):
    with RunStore(tmp_path / "s.sqlite") as store:
        save(store, "greedy", solved_by_sstar=False, fixed=False)
        save(store, "sampled", solved_by_sstar=True, fixed=True)
        assert arms.debugged_problems(store, "greedy") == {"t/debugged"}
        done = {"t/debugged", "t/easy"}
        summaries = {"greedy": arms.arm_summary(store, "greedy", done, STRATEGIES),
                     "sampled 0.7": arms.arm_summary(store, "sampled", done, STRATEGIES),
                     "quoted": arms.arm_summary(store, "greedy", done, STRATEGIES)}
    assert summaries["greedy"]["accuracy"] == {"self-debug": 0.5, "sstar": 0.5}
    assert summaries["sampled 0.7"]["debugging"]["sampled"] == {"candidates": 3, "failed_public": 1, "fixed": 1,
                                                                "debug_answers": 1, "unchanged": 0}
    assert summaries["greedy"]["debugging"]["greedy"]["unchanged"] == 1
    for summary, generated in zip(summaries.values(), (0, 5, 4)):
        summary["answers_generated_now"] = generated
    against = arms.versus(summaries, "greedy", STRATEGIES)
    write_results(tmp_path / "results", "debug_variants", {"arms": summaries, "versus_greedy": against},
                  *arms.table(summaries, STRATEGIES, 2), "each arm vs greedy: " + arms.sentence(against, "greedy"))
    data = json.loads((tmp_path / "results" / "debug_variants.json").read_text())
    assert data["versus_greedy"]["sampled 0.7"]["sstar"] == {"arm_only": 1, "greedy_only": 0, "p_value": 1.0}
    assert data["versus_greedy"]["quoted"]["sstar"] == {"arm_only": 0, "greedy_only": 0, "p_value": 1.0}
    markdown = (tmp_path / "results" / "debug_variants.md").read_text()
    assert "| greedy | 1 | 0 | 1/1 | 0/1 | 0.500 [0.013, 0.987] | 0.500 [0.013, 0.987] | 0 |" in markdown
    assert "| sampled 0.7 | 1 | 1 | 0/1 | 0/1 | 0.500 [0.013, 0.987] | 1.000 [0.158, 1.000] | 5 |" in markdown
    assert "| quoted | 1 | 0 | 1/1 | 0/1 | 0.500 [0.013, 0.987] | 0.500 [0.013, 0.987] | 4 |" in markdown
    assert "sampled 0.7 sstar 1 vs 0, p = 1" in markdown and "quoted sstar 0 vs 0" in markdown
