"""The built-in stages, as strings: listing them (the CLI's help, spec checks) imports nothing.

A new built-in strategy, check or judge is one row here plus its module. Help texts are what
`codesieve run --help` and `codesieve pareto --help` show.
"""

from __future__ import annotations

from codesieve.stages.base import Entry

_SELECT = "codesieve.select"
_VERIFY = "codesieve.verify"
_SSTAR_EVIDENCE = f"{_SELECT}.evidence:SStarEvidence"
_BASELINE_EVIDENCE = f"{_SELECT}.baseline_evidence"

BUILTIN: tuple[Entry, ...] = (
    # strategies: Selector(*options) or Selector(arg, *options)
    Entry("sstar", "strategy", f"{_SELECT}.sstar:SStar", evidence=_SSTAR_EVIDENCE,
          help="S*: public-test filter, grouping on generated inputs, duels decided by the configured judge"),
    Entry("sstar-mutants", "strategy", f"{_SELECT}.sstar:SStar", evidence=_SSTAR_EVIDENCE,
          options={"inputs": "model+mutants", "name": "sstar-mutants"},
          help="S* with mutated public inputs added to the generated ones"),
    Entry("sstar-predict", "strategy", f"{_SELECT}.sstar:SStar", evidence=_SSTAR_EVIDENCE,
          options={"inputs": "model+mutants", "judge": "predict", "name": "sstar-predict"},
          help="sstar-mutants whose judge predicts outputs, whatever the configured judge"),
    Entry("sstar-cheap", "strategy", f"{_SELECT}.sstar:SStar", evidence=_SSTAR_EVIDENCE,
          options={"inputs": "model+cheap", "name": "sstar-cheap"},
          help="S* with inputs that cost no model call added: mutated public inputs (stdin ones keep their "
               "layout) and edge cases from the signature and examples"),
    Entry("sstar-generator", "strategy", f"{_SELECT}.sstar:SStar", evidence=_SSTAR_EVIDENCE,
          options={"inputs": "model+cheap+generator", "name": "sstar-generator"},
          help="sstar-cheap, and on stdin tasks the inputs of a generator program the model writes once, "
               "run with several seeds"),
    Entry("zero-shot", "strategy", f"{_SELECT}.baselines:ZeroShot", help="The one greedy sample, as is."),
    Entry("self-debug", "strategy", f"{_SELECT}.baselines:SelfDebug",
          help="The greedy sample after up to R rounds of debugging on public-test feedback."),
    Entry("random", "strategy", f"{_SELECT}.baselines:RandomPick",
          help="A uniformly random sample; the choice is fixed by the seed and the problem id."),
    Entry("public-filter", "strategy", f"{_SELECT}.baselines:PublicFilter",
          evidence=f"{_BASELINE_EVIDENCE}:PublicFilterEvidence",
          help="A random sample among those with the best public pass rate."),
    Entry("majority-vote", "strategy", f"{_SELECT}.baselines:MajorityVote",
          evidence=f"{_BASELINE_EVIDENCE}:MajorityEvidence",
          help="The largest group of public-test survivors that agree on model-written inputs."),
    Entry("mbr-exec", "strategy", f"{_SELECT}.mbr_exec:MbrExec", evidence=f"{_BASELINE_EVIDENCE}:MbrExecEvidence",
          help="MBR-exec: the public-test survivor whose outputs on model-written inputs agree most with the "
               "others', input by input"),
    Entry("codet", "strategy", f"{_SELECT}.codet:CodeT", evidence=f"{_BASELINE_EVIDENCE}:CodeTEvidence",
          help="CodeT: model-written tests with expected outputs, dual agreement"),
    Entry("llm-judge", "strategy", f"{_SELECT}.judge:LLMJudge", evidence=f"{_BASELINE_EVIDENCE}:JudgeEvidence",
          help="LLM-as-judge without execution: the model picks among the distinct programs"),
    Entry("cascade", "strategy", f"{_VERIFY}.strategy:Cascade", evidence=f"{_VERIFY}.strategy:CascadeEvidence",
          arg="checks separated by '>', e.g. 'syntax > lint > orm:logprob > tests:3@2'",
          help="Staged verification (Orlanski et al. 2025) on the run's candidates, on what selection may see."),
    # checks: factory(stage, tools) -> Check (the cascade grammar: codesieve.verify.spec)
    Entry("syntax", "check", f"{_VERIFY}.checks:syntax", help="prune programs that do not compile"),
    Entry("lint", "check", f"{_VERIFY}.checks:lint",
          help="prune programs with fatal pyflakes findings or no entry point"),
    Entry("tests", "check", f"{_VERIFY}.checks:tests", arg="count", runs=True, limited=True,
          help="prune programs failing one of the first K tests"),
    Entry("sample", "check", f"{_VERIFY}.checks:sample", arg="count", runs=True, limited=True,
          help="prune programs failing one of K tests spread over the suite"),
    Entry("public", "check", f"{_VERIFY}.checks:public", runs=True, limited=True,
          help="prune programs failing a public test"),
    Entry("full", "check", f"{_VERIFY}.checks:full", runs=True, limited=True,
          help="prune programs failing a test of the suite"),
    Entry("majority", "check", f"{_VERIFY}.checks:majority", arg="optional count", runs=True,
          help="rank by output agreement with siblings on K test inputs (default 5)"),
    Entry("orm", "check", f"{_VERIFY}.checks:orm", arg="name",
          help="rank by an outcome reward model: logprob, or one in the toolbox's ORMs"),
    # judges: Judge(**options), deciding S*'s duels (SelectConfig.judge, S*'s `judge` option)
    Entry("predict", "judge", f"{_SELECT}.judges.predict:Predict",
          help="predicts the output of each input the two programs disagree on, without seeing them; the "
               "side that gave it wins (no position to prefer; a statement example's output predicted for "
               "another input casts no vote; a printed prediction with fewer lines than an output is compared "
               "with its first lines)"),
    Entry("reason", "judge", f"{_SELECT}.judges.reason:Reason",
          help="analyses, then answers A, B or tie, in both orders; position-bound with Qwen2.5-Coder-0.5B: "
               "the same position in both orders in 47 of 47 dev duels (bench/results/judge_accuracy.md)"),
    Entry("verdict-first", "judge", f"{_SELECT}.judges.verdict_first:VerdictFirst",
          help="the earlier judge: 'Answer: A' or 'Answer: B' first, a point per answer, in both orders; "
               "position-bound: the same position in both orders in 47 of 47 dev duels, 'A' with "
               "Qwen2.5-Coder-0.5B, 'B' with the 1.5B (bench/results/judge_accuracy.md)"),
    Entry("logprob", "judge", f"{_SELECT}.judges.logprob:Logprob",
          help="reads the first token's log-probabilities of A and B, in both orders; needs a server "
               "returning top_logprobs; position-bound: first token 'A' in 94 of 94 dev answers with "
               "Qwen2.5-Coder-0.5B, 92 of 94 with the 1.5B (bench/results/judge_accuracy.md)"),
)
