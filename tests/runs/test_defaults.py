"""What ships is defined once: `codesieve run`'s option defaults and `codesieve serve`'s requests
give exactly `codesieve.runs.defaults.SHIPPED`."""

from dataclasses import replace

from codesieve.cli import build_parser
from codesieve.cli.run_cmd import run_config
from codesieve.runs import config_identity
from codesieve.runs.defaults import SHIPPED, shipped_config
from codesieve.serve.settings import ServeSettings


def test_the_run_commands_defaults_are_the_shipped_configuration():
    assert run_config(build_parser().parse_args(["run"])) == SHIPPED


def test_changed_options_change_only_themselves():
    config = run_config(build_parser().parse_args(["run", "-n", "8", "--judge", "reason", "--max-tokens", "200"]))
    assert config.sample.n == 8 and config.select.judge == "reason"
    # selection answers are capped by the program answers' budget
    assert (config.select.max_tokens, config.select.judge_tokens, config.select.reason_tokens) == (200, 96, 200)
    assert config == shipped_config(max_tokens=200, sample={"n": 8}, select={"judge": "reason"})


def test_a_served_request_is_keyed_as_the_same_codesieve_run():
    served = ServeSettings(n=SHIPPED.sample.n).run_config()
    assert config_identity(served) == config_identity(SHIPPED)
    assert served == replace(SHIPPED, concurrency=1)
