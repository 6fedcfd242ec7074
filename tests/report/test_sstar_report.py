"""The S*-against-baselines report (codesieve.report.sstar and the modules it uses): its counts,
sign test verdicts, intervals and plain explanations."""

from __future__ import annotations

import pytest

from codesieve.report import debugging, decisions, sstar
from codesieve.report.versus import comparison
from codesieve.select.evidence import SStarEvidence

from tests.store.stored import lineage, pool, record

DESIGN = sstar.Design(("zero-shot", "majority-vote", "self-debug"), ("sstar", "sstar-mutants", "sstar-predict"))


def test_comparison_counts_problems_only_one_side_solved():
    done = {f"p{i}" for i in range(10)}
    solvable = {p: p != "p2" for p in done}
    results = {"sstar": {p: True for p in done}, "zero-shot": {p: p in {"p0", "p1"} for p in done}}
    verdict, numbers = comparison(results, done, "sstar", "zero-shot", solvable)
    assert numbers["ours_only"] == 8 and numbers["baseline_only"] == 0 and verdict == "sstar beats it"
    assert numbers["p_value"] == pytest.approx(2 / 2 ** 8, rel=1e-3)
    many = {f"q{i}" for i in range(30)}
    numbers = comparison({"sstar": dict.fromkeys(many, True), "zero-shot": dict.fromkeys(many, False)},
                                many, "sstar", "zero-shot", {})[1]
    assert 0 < numbers["p_value"] == pytest.approx(2 / 2 ** 30, rel=1e-2)  # small, not rounded to zero
    assert comparison(results, done, "zero-shot", "sstar", solvable)[0] == "sstar beats zero-shot"
    results["zero-shot"] = {p: p in {"p0", "p1", "p2"} for p in done}
    results["sstar"] = {p: p in {"p3", "p4"} for p in done}
    verdict, numbers = comparison(results, done, "sstar", "zero-shot", solvable)
    assert verdict == "zero-shot ahead, not significant"
    assert numbers["baseline_only"] == 3 and numbers["baseline_only_no_correct_candidate"] == 1
    results["zero-shot"] = {p: p != "p0" for p in done}
    results["sstar"] = {p: p != "p1" for p in done}
    assert comparison(results, done, "sstar", "zero-shot", solvable)[0] == "tie"


def test_explanation_is_made_from_the_numbers():
    failures = {"no_correct_candidate": 3, "picked_wrong": 2}
    counts = {"by_judge": 4, "judge_split": 4, "judge_right": 0, "judge_wrong": 0}
    versus = {"zero-shot": {"baseline_only": 2, "baseline_only_no_correct_candidate": 1},
              "self-debug": {"baseline_only": 0, "baseline_only_no_correct_candidate": 0}}
    text = decisions.explain("sstar", failures, counts, versus)
    assert "failed 5 problems: on 3 no program" in text and "on 2 one does" in text
    assert "left 4 of its 4 duels 1-1" in text and "never changed a pick" in text
    assert "only `zero-shot` solved, 1 had no correct" in text and "self-debug" not in text
    counts["judge_split"] = 3
    assert "never changed" not in decisions.explain("sstar", failures, counts, versus)
    counts.update(judge_right=2, judge_wrong=1)
    assert "it gave 2 to the correct one and 1 to the wrong one" in decisions.explain("sstar", failures, counts, {})
    assert "judge" not in decisions.explain("sstar", failures, dict.fromkeys(counts, 0), {})
    assert "execution settled" not in decisions.explain("sstar", failures, counts, {})
    counts.update(execution_right=3, execution_right_added_only=0, execution_wrong=1, execution_wrong_added_only=1)
    assert ("3 went to the correct one and 1 to the wrong one (settled on added inputs alone: 0 and 1)"
            in decisions.explain("sstar", failures, counts, {}))


def test_decisions_count_how_each_pick_was_made():
    traces = {  # as stored before the typed evidence
        "p0": {"kept": ["a"]},
        "p1": {"kept": ["a", "b"], "groups": [{}]},
        "p2": {"kept": ["a", "b", "c"], "groups": [{}, {}, {}], "duels": [
            {"a": "a", "b": "b", "decided_by": "judge", "points": [1.0, 1.0]},
            {"a": "a", "b": "c", "decided_by": "judge", "points": [2.0, 0.0]},
            {"a": "b", "b": "c", "decided_by": "judge", "points": [2.0, 0.0]},
            {"a": "c", "b": "b", "decided_by": "execution", "points": [0.0, 2.0]}]},
        "p3": {"kept": ["a", "b"], "groups": [{}, {}], "duels": [{"decided_by": "no_difference", "points": [1, 1]}]},
    }
    evidence = {p: SStarEvidence.from_json(trace) for p, trace in traces.items()} | {"p4": None}  # p4: no S* record
    correct = {"p2": {"a", "b"}}  # the judge picked a over c (right), then b over c (right)
    counts = decisions.decisions(evidence, {"p0", "p1", "p2", "p3", "p4"}, correct)
    assert counts == {"one_kept": 1, "one_group": 1, "tournament": 2, "duels": 5, "by_execution": 1,
                      "by_judge": 3, "no_difference": 1, "judge_split": 1, "judge_right": 2, "judge_wrong": 0,
                      "execution_right": 1, "execution_right_added_only": 0, "execution_wrong": 0,
                      "execution_wrong_added_only": 0}  # b's execution win over c
    counts = decisions.decisions(evidence, {"p2"}, {"p2": {"c"}})
    assert counts["judge_right"] == 0 and counts["judge_wrong"] == 2
    assert counts["execution_right"] == 0 and counts["execution_wrong"] == 1
    assert decisions.decisions(evidence, {"p0"}, {})["one_kept"] == 1
    assert decisions.decisions(evidence, {"p0"}, {})["tournament"] == 0


def test_finished_problems_are_read_once_and_graded_with_the_real_executor(tmp_path):
    from codesieve.execution import Executor
    from codesieve.store import RunStore
    from codesieve.store.sqlite import SelectionRow
    from codesieve.types import CallTest, Problem, TaskKind

    problem = Problem("t/double", "double x", TaskKind.FUNCTION, entry_point="double",
                      hidden_tests=(CallTest((2,), 4), CallTest((0,), 0)))
    programs = ["def double(x):\n    return x + 2\n", "def double(x):\n    return 2 * x\n"]
    evidence = SStarEvidence(kept=("t/double#0.0", "t/double#1.0"), public_rate=1.0, decided_by="one_group")

    def save(store, pid):
        sampled = pool(*(lineage("t/double", i, (p, None)) for i, p in enumerate(programs)))  # ids t/double#i.0
        store.save_problem("k", pid, {"sampled": sampled},
                           [SelectionRow(pid, s, "toy", True, 0, 0, 0, 0.0, record(s, True, evidence))
                            for s in DESIGN.ours])

    finished = sstar.Finished()
    with RunStore(tmp_path / "s.sqlite") as store, Executor(workers=1) as executor:
        store.open_run("k", {})
        save(store, "t/double")
        finished.update(store, "k", {"t/double": problem}, executor, DESIGN.ours)
        assert finished.correct == {"t/double": {"t/double#1.0"}}
        save(store, "t/other")  # not a problem it knows: no candidate graded, an empty set
        finished.update(store, "k", {"t/double": problem}, executor, DESIGN.ours)
    assert finished.correct == {"t/double": {"t/double#1.0"}, "t/other": set()}
    assert set(finished.evidence["sstar"]) == {"t/double", "t/other"}
    assert finished.evidence["sstar-predict"]["t/other"] == evidence


def test_debug_outcomes_count_fixes_and_unchanged_answers():
    lineages = [lineage("p", 0, ("a", "passed")),  # passed in round 0: not debugged
                lineage("p", 1, ("b", "wrong_answer"), ("b", "wrong_answer"), ("c", "passed")),  # fixed
                lineage("p", 2, *[("d", "runtime_error")] * 3),  # repeated twice
                lineage("p", 3, ("e", None))]  # no public tests
    assert debugging.outcomes(lineages) == {"candidates": 4, "failed_public": 2, "fixed": 1,
                                                       "debug_answers": 4, "unchanged": 3}
    text = debugging.explain({"sampled": debugging.outcomes(lineages),
                                             "greedy": debugging.outcomes(lineages[2:3])})
    assert "made 1 of the 2 sampled candidates" in text and "0 of the 1 greedy ones" in text
    assert "5 of the 6 debug answers returned the program unchanged" in text


def test_cost_per_problem_is_a_mean_over_finished_problems():
    from codesieve.store import StrategyTotals

    totals = [StrategyTotals("sstar", 4, 3, 40, 44_000, 80, 9.0), StrategyTotals("codet", 2, 1, 2, 10, 4, 1.0),
              StrategyTotals("zero-shot", 0, 0, 0, 0, 0, 0.0)]
    assert sstar.cost_per_problem(totals, DESIGN.strategies) == {
        "sstar": {"model_calls": 10.0, "tokens": 11_000.0, "executions": 20.0}}  # not a benchmark strategy: left out


def test_results_have_the_shape_the_issue_asks_for(tmp_path):
    """write_results on a tiny run store, graded with the real executor: JSON per benchmark with
    n_problems and each strategy's accuracy, and the Markdown's tables."""
    import json

    from codesieve.execution import Executor
    from codesieve.store import RunStore
    from codesieve.store.sqlite import SelectionRow
    from codesieve.types import CallTest, Problem, TaskKind

    problems = {pid: Problem(pid, "double x", TaskKind.FUNCTION, entry_point="double",
                             hidden_tests=(CallTest((2,), 4), CallTest((0,), 0))) for pid in ("t/0", "t/1")}
    right, wrong = "def double(x):\n    return 2 * x\n", "def double(x):\n    return x + 2\n"
    with RunStore(tmp_path / "s.sqlite") as store, Executor(workers=1) as executor:
        store.open_run("k", {})
        for pid in problems:
            sampled = pool(lineage(pid, 0, (right, "passed")),
                           lineage(pid, 1, (wrong, "wrong_answer"), (wrong, "wrong_answer")))
            solved = {"zero-shot": pid == "t/0", "sstar": True}  # S* alone solves t/1
            store.save_problem("k", pid, {"sampled": sampled}, [
                SelectionRow(pid, s, "toy", solved.get(s, pid == "t/0"), 2, 1000, 3, 0.0, record(s))
                for s in DESIGN.strategies])
        store.open_run("k2", {})  # a benchmark not started yet
        sstar.write(tmp_path / "results", "sstar_accuracy", store, {"toy": "k", "later": "k2"}, {"toy": 3, "later": 5},
                    {"toy": problems, "later": {}}, executor, DESIGN, ["Model: m  "], "About the strategies.", {})
    data = json.loads((tmp_path / "results" / "sstar_accuracy.json").read_text())
    toy = data["toy"]
    assert toy["n_problems"] == 2 and toy["sstar"] == 1.0 and toy["zero-shot"] == 0.5 and toy["oracle"] == 1.0
    assert all(isinstance(toy[s], float) for s in DESIGN.strategies)
    assert toy["sstar_vs"]["zero-shot"]["ours_only"] == 1 and toy["sstar_vs"]["zero-shot"]["baseline_only"] == 0
    assert toy["debugging"]["sampled"] == {"candidates": 4, "failed_public": 2, "fixed": 0, "debug_answers": 2,
                                           "unchanged": 2}
    assert toy["debugging"]["greedy"]["candidates"] == 0  # this toy store has no greedy pool
    assert toy["cost_per_problem"]["sstar"] == {"model_calls": 2.0, "tokens": 1000.0, "executions": 3.0}
    markdown = (tmp_path / "results" / "sstar_accuracy.md").read_text()
    assert "| toy | 2/3 | 0.500 [0.013, 0.987] |" in markdown and "the run continues" in markdown
    assert toy["ci95"]["zero-shot"] == pytest.approx({"low": 0.01257911, "high": 0.98742088})
    assert "# sstar_accuracy\n\nModel: m  \n" in markdown and "\nAbout the strategies.\n" in markdown
    assert "| toy | S*'s N samples | 4 | 2 | 0 | 2 | 2 |" in markdown
    assert "| toy | sstar | zero-shot | 1 | 0 |" in markdown and "Why S* does not do better" in markdown
    assert data["later"]["n_problems"] == 0 and "| later | 0/5 | 0.000 [0.000, 1.000] |" in markdown
    assert "- later:" not in markdown  # no verdicts on a benchmark with nothing finished


def test_a_rerun_on_the_same_samples_is_a_column_compared_problem_by_problem(tmp_path):
    """A rerun (another judge on the same samples) is reported beside the main run's strategies, with
    its sign tests, cost and decisions; benchmarks it did not run on show it as missing."""
    import json

    from codesieve.execution import Executor
    from codesieve.store import RunStore
    from codesieve.store.sqlite import SelectionRow
    from codesieve.types import CallTest, Problem, TaskKind

    design = sstar.Design(("majority-vote",), ("sstar",), (sstar.Rerun("sstar, judge J", "sstar"),))
    problems = {pid: Problem(pid, "double x", TaskKind.FUNCTION, entry_point="double",
                             hidden_tests=(CallTest((2,), 4),)) for pid in ("t/0", "t/1", "t/2")}
    duel = SStarEvidence.from_json({"duels": [{"a": "x", "b": "y", "decided_by": "judge", "points": [2.0, 0.0]}],
                                    "groups": [{}, {}], "kept": ["x", "y"]})
    with RunStore(tmp_path / "s.sqlite") as store, Executor(workers=1) as executor:
        for key, sstar_solves in (("k", {"t/0"}), ("r", {"t/0", "t/1", "t/2"}), ("c", set())):
            store.open_run(key, {})
            for pid in problems:
                rows = [SelectionRow(pid, "sstar", "toy", pid in sstar_solves, 3, 900, 4, 0.0,
                                     record("sstar", pid in sstar_solves, duel if key == "r" else None))]
                if key != "r":
                    rows.append(SelectionRow(pid, "majority-vote", "toy", pid == "t/0", 2, 500, 2, 0.0,
                                             record("majority-vote", pid == "t/0")))
                store.save_problem(key, pid, {}, rows)
        sstar.write(tmp_path, "out", store, {"toy": "k", "other": "c"}, {"toy": 3, "other": 3},
                    {"toy": problems, "other": problems}, executor, design, [], "", {},
                    rerun_keys={"toy": {"sstar, judge J": "r"}})
    toy, other = json.loads((tmp_path / "out.json").read_text()).values()
    assert toy["sstar, judge J"] == 1.0 and toy["sstar"] == pytest.approx(1 / 3)
    assert toy["sstar, judge J_vs"]["majority-vote"]["ours_only"] == 2
    assert toy["sstar, judge J_vs"]["sstar"]["ours_only"] == 2  # against the main run's variant too
    assert toy["cost_per_problem"]["sstar, judge J"]["tokens"] == 900.0
    assert toy["sstar, judge J_decisions"]["by_judge"] == 3
    assert "sstar, judge J" not in other and "sstar, judge J_vs" not in other
    markdown = (tmp_path / "out.md").read_text()
    assert "| toy | 3/3 | 0.333 [0.008, 0.906] | 0.333 [0.008, 0.906] | 1.000 [0.292, 1.000] |" in markdown
    assert "| other | 3/3 | 0.333 [0.008, 0.906] | 0.000 [0.000, 0.708] | - |" in markdown
    assert "| toy | sstar, judge J | sstar | 2 | 0 |" in markdown


def test_a_larger_models_zero_shot_is_a_baseline_column_once_it_has_results(tmp_path):
    """`Design.others`: a baseline from another run (a larger model's zero-shot) is shown beside the
    main run's baselines and every variant of ours is compared with it; with no result yet it is
    left out rather than emptying the table."""
    import json

    from codesieve.execution import Executor
    from codesieve.store import RunStore
    from codesieve.store.sqlite import SelectionRow
    from codesieve.types import CallTest, Problem, TaskKind

    larger = sstar.Rerun("zero-shot@1.5b", "zero-shot")
    design = sstar.Design(("majority-vote",), ("sstar",), others=(larger,))
    assert design.strategies == ("majority-vote", "zero-shot@1.5b", "sstar")
    problems = {pid: Problem(pid, "double x", TaskKind.FUNCTION, entry_point="double",
                             hidden_tests=(CallTest((2,), 4),)) for pid in ("t/0", "t/1")}
    with RunStore(tmp_path / "s.sqlite") as store, Executor(workers=1) as executor:
        for key in ("k", "z", "empty"):
            store.open_run(key, {})
        for pid in problems:
            store.save_problem("k", pid, {}, [
                SelectionRow(pid, "sstar", "toy", True, 3, 900, 4, 0.0, record("sstar", True)),
                SelectionRow(pid, "majority-vote", "toy", pid == "t/0", 2, 500, 2, 0.0,
                             record("majority-vote", pid == "t/0"))])
            store.save_problem("z", pid, {}, [SelectionRow(pid, "zero-shot", "toy", False, 1, 300, 1, 0.0,
                                                           record("zero-shot", False))])
        sstar.write(tmp_path, "out", store, {"toy": "k", "later": "k"}, {"toy": 2, "later": 2},
                    {"toy": problems, "later": problems}, executor, design, [], "", {},
                    rerun_keys={"toy": {"zero-shot@1.5b": "z"}, "later": {"zero-shot@1.5b": "empty"}})
    toy, later = json.loads((tmp_path / "out.json").read_text()).values()
    assert toy["zero-shot@1.5b"] == 0.0 and toy["sstar_vs"]["zero-shot@1.5b"]["ours_only"] == 2
    assert "zero-shot@1.5b_vs" not in toy  # a baseline, not a variant of ours
    assert later["n_problems"] == 2 and "zero-shot@1.5b" not in later
