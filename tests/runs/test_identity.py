"""Run identity: one function over the configuration's field metadata, and every stored key unchanged."""

from dataclasses import dataclass, field, replace

import pytest

from codesieve.generate.sample import SampleConfig
from codesieve.pipeline import RunConfig
from codesieve.runs import config_identity, run_identity
from codesieve.stages import SelectConfig
from codesieve.store import run_key
from tests.bench_scripts import bench_module

# the keys bench/sstar_accuracy.py's runs are stored under: the main run (the judge is the generator),
# then the reruns with the 1.5B judge, on every benchmark the script knows
SSTAR_ACCURACY_KEYS = {
    "humaneval+": "humaneval+-e73728a6ac02", "mbpp+": "mbpp+-72a2ea5d2a49",
    "codecontests": "codecontests-acf9a96fa4af",
    ("humaneval+", "sstar-predict, 1.5B judge"): "humaneval+-f499c27a9dfa",
    ("humaneval+", "sstar, 1.5B predicting judge"): "humaneval+-b550756a04a5",
    ("humaneval+", "sstar-predict, 1.5B judge, 32 mutants"): "humaneval+-00510b42882a",
    ("mbpp+", "sstar-predict, 1.5B judge"): "mbpp+-679f28f66389",
    ("mbpp+", "sstar, 1.5B predicting judge"): "mbpp+-ab3c60e44c9c",
    ("mbpp+", "sstar-predict, 1.5B judge, 32 mutants"): "mbpp+-8b67a8e7cb94",
    ("codecontests", "sstar-predict, 1.5B judge"): "codecontests-20bbf343fcc4",
    ("codecontests", "sstar, 1.5B predicting judge"): "codecontests-c9e6b34644bb",
    ("codecontests", "sstar-predict, 1.5B judge, 32 mutants"): "codecontests-b3d5219fabdd",
}


def test_the_committed_benchmark_runs_keep_their_keys():
    bench = bench_module("sstar_accuracy")
    args = bench.parser().parse_args([])
    keys = {}
    for benchmark in ("humaneval+", "mbpp+", "codecontests"):
        keys[benchmark] = bench.committed_run(args, benchmark).key
        for which in bench.RERUNS:
            keys[benchmark, which.label] = bench.rerun(args, which, benchmark).key
    assert keys == SSTAR_ACCURACY_KEYS


def test_runs_stored_before_later_options_keep_their_identity():
    """Stored model answers and runs are found by these keys: the form must not change."""
    select = {"judge_tokens": 96, "max_groups": 4, "max_judged": 4, "max_tokens": 256, "n_duel_inputs": 3,
              "n_inputs": 5, "n_mutants": 8, "seed": 0}
    # the settings of every run stored before the judges (and before debugging stopped at a repeat)
    stored = RunConfig(select=SelectConfig.verdict_first(), stop_repeated=False)
    assert config_identity(stored) == {"max_tokens": 512, "n": 8, "rounds": 2, "seed": 0, "select": select,
                                       "temperature": 0.7, "top_p": 0.95}
    # the judges' group is left out at any reasoning budget: the runs before them never reasoned
    assert config_identity(replace(stored, select=SelectConfig.verdict_first(reason_tokens=64))) == \
        config_identity(stored)
    # the judges are new: runs stored with them (3 to 5 December: S* on the model's inputs, every
    # prediction voting) keep their keys; what ships since (cheap inputs, copies discarded) gets new ones
    judged = config_identity(SelectConfig(inputs="model", discard_copies=False))
    assert judged == {**select, "n_mutants": 32, "judge": "predict", "reason_tokens": 384, "logprob_threshold": 0.5,
                      "top_logprobs": 20, "inputs_style": "plain", "inputs_temperature": 0.0}
    assert config_identity(RunConfig())["select"] == {**judged, "inputs": "model+cheap", "discard_copies": True}
    # one member off its earlier value keys the whole group
    assert set(config_identity(SelectConfig.verdict_first(judge="reason"))) == set(judged)
    # duels asked as the generated inputs are (the behaviour before the option) keep their keys
    reasoned = SelectConfig(inputs_style="reason", inputs_temperature=0.7)  # the default of 2 to 3 December
    assert config_identity(reasoned)["duel_inputs_style"] == "plain"
    assert "duel_inputs_style" not in config_identity(replace(reasoned, duel_inputs_style="reason"))
    assert SelectConfig.verdict_first().duel_inputs() == ("plain", 0.0)
    assert config_identity(RunConfig())["stop_repeated"] is True  # new runs stop at a repeat: new keys
    assert "stop_repeated" not in config_identity(RunConfig(debug_temperature=0.7))  # sampled rounds never stop
    assert "stop_repeated" not in config_identity(RunConfig(rounds=1))  # a single round has nothing to stop
    assert config_identity(RunConfig(sample=SampleConfig(logprobs=False)))["logprobs"] is False
    changed = RunConfig(sample=SampleConfig(n=3, temperature=0.5, top_p=0.9, max_tokens=100, seed=4), rounds=1,
                        debug_temperature=0.7, debug_prompt="quoted", select=SelectConfig.verdict_first())
    assert config_identity(changed) == {"debug_prompt": "quoted", "debug_temperature": 0.7, "max_tokens": 100, "n": 3,
                                        "rounds": 1, "seed": 4, "select": select, "temperature": 0.5, "top_p": 0.9}
    identity = run_identity(stored, benchmark="humaneval", model="m", judge="m")
    assert identity == {"benchmark": "humaneval", "data": "", "model": "m", "judge": "m", **config_identity(stored)}
    assert run_key(identity) == run_key(dict(reversed(identity.items())))
    assert run_identity(stored, benchmark="b", model="m", judge="j", inputs="m")["inputs_model"] == "m"


def test_strategies_and_concurrency_are_not_keyed():
    assert config_identity(RunConfig(strategies=("zero-shot", "codet"), concurrency=1)) == config_identity(RunConfig())


@dataclass(frozen=True)
class LaterSelect(SelectConfig):
    """SelectConfig with an option added after today's runs: 3 duels per pair, where there was one."""

    duels_per_pair: int = field(default=1, metadata={"added": 1})


@dataclass(frozen=True)
class LaterRun(RunConfig):
    """RunConfig with two options added together after today's runs, and SelectConfig's new one."""

    select: SelectConfig = field(default_factory=LaterSelect)
    repair_style: str = field(default="none", metadata={"added": "none", "group": "repair"})
    repair_tokens: int = field(default=128, metadata={"added": 128, "group": "repair"})


@pytest.mark.parametrize("config", [
    RunConfig(), RunConfig(select=SelectConfig.verdict_first(), stop_repeated=False), RunConfig(rounds=1),
    RunConfig(sample=SampleConfig(n=3, logprobs=False), debug_temperature=0.7, debug_prompt="quoted",
              select=SelectConfig(inputs_style="reason", inputs_temperature=0.7, judge="reason")),
])
def test_an_option_added_with_a_default_leaves_old_keys_unchanged(config):
    options = {f: getattr(config, f) for f in ("strategies", "sample", "rounds", "concurrency", "debug_temperature",
                                              "debug_prompt", "stop_repeated")}
    later = LaterRun(**options, select=LaterSelect(**vars(config.select)))
    assert config_identity(later) == config_identity(config)
    key = run_key(run_identity(config, benchmark="b", model="m", judge="m"))
    assert run_key(run_identity(later, benchmark="b", model="m", judge="m")) == key
    # set away from their earlier values, the new options are keyed: such runs get keys of their own
    assert config_identity(replace(later, select=replace(later.select, duels_per_pair=3)))["select"][
        "duels_per_pair"] == 3
    both = config_identity(replace(later, repair_tokens=64))  # one of the group moved: both are keyed
    assert (both["repair_style"], both["repair_tokens"]) == ("none", 64)
