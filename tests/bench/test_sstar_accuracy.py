"""bench/sstar_accuracy.py measures what ships: its `sstar` column is the CLI's default run."""

from codesieve.cli import build_parser
from codesieve.cli.run_cmd import run_config
from codesieve.runs import config_identity

from tests.bench_scripts import bench_module


def test_the_shipped_study_runs_the_cli_default():
    bench = bench_module("sstar_accuracy")
    cli = run_config(build_parser().parse_args(["run"]))
    shipped = bench.shipped_config()
    assert config_identity(shipped) == config_identity(cli)
    assert shipped.sample == cli.sample and shipped.select == cli.select  # N, temperature, judge: all of it
    assert "sstar" in shipped.strategies and "sstar" in cli.strategies
    args = bench.parser().parse_args([])
    assert bench.shipped_run(args, "humaneval+").key != bench.committed_run(args, "humaneval+").key


def test_a_larger_models_zero_shot_is_its_own_run_of_the_shipped_configuration():
    bench = bench_module("sstar_accuracy")
    args = bench.parser().parse_args(["--zero-shot-model", "qwen2.5-coder-1.5b"])
    larger, shipped = bench.zero_shot_run(args, "mbpp+"), bench.shipped_run(args, "mbpp+")
    assert larger.config.strategies == ("zero-shot",) and larger.key != shipped.key
    assert config_identity(larger.config) == config_identity(shipped.config)  # only the model differs
