from codesieve.llm.fake import FakeBackend
from codesieve.select import evidence as ev
from codesieve.generate.debug import Lineage
from codesieve.report.duels import decisive_duels
from codesieve.select.rejudge import rejudge, tally
from codesieve.stages import SelectConfig, Toolbox, make_strategy
from codesieve.store import Pools, ProblemRecord
from codesieve.store.records import read_selection, selection_record

from tests.select.conftest import DOUBLE, asked, run, truthful_alternatives, truthful_judge


def stored_record(attempts, executor, judge="verdict-first"):
    """A problem as a run stores it and the store reads it back: the sampled pool and S*'s record."""
    tools = Toolbox(judge=FakeBackend(lambda r, i: "Answer: A" if "Which outputs" in asked(r)
                                      else truthful_judge(r, i)), executor=executor,
                    config=SelectConfig.verdict_first())
    sel = run(make_strategy("sstar").select(DOUBLE, attempts, tools))
    stored = read_selection(DOUBLE.id, "sstar", selection_record("sstar", sel, sel.cost, 0.0, False, None))
    pools = Pools(sampled=tuple(Lineage((a,)) for a in attempts))
    return ProblemRecord("k", DOUBLE.id, "t", pools, {"sstar": stored})


def test_split_duels_are_collected_once_and_judged_again(attempts, executor):
    record = stored_record(attempts[:4], executor)
    passing = {DOUBLE.id: {"t/double#0.0", "t/double#1.0"}}
    duels, settled = decisive_duels([record, record], passing, ["sstar", "sstar-mutants"])
    # groups: {x*2, x+x} right; {x+1}, {2} wrong: two split duels reach the judge, counted once
    assert settled == {ev.BY_JUDGE: 2} and len(duels) == 2
    assert all(d.right == "A" and d.a == "t/double#0.0" for d in duels)
    old = [run(rejudge(DOUBLE, d, "verdict-first", Toolbox(judge=FakeBackend(
        lambda r, i: "Answer: A" if "Which outputs" in asked(r) else "?"),
        executor=executor, config=SelectConfig()))) for d in duels]
    assert tally(old).decided == 0  # the stored judge's habit: 1-1
    tools = Toolbox(judge=FakeBackend(truthful_judge, alternatives=truthful_alternatives), executor=executor,
                    config=SelectConfig())
    for variant in ("reason", "logprob", "predict"):
        judged = [run(rejudge(DOUBLE, d, variant, tools)) for d in duels]
        t = tally(judged)
        assert (t.duels, t.decided, t.right, t.wrong) == (2, 2, 2, 0), variant
        assert t.tokens_per_duel > 0 and all(j.record.judge == variant for j in judged)
