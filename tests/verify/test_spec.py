import pytest

from codesieve.errors import ConfigError
from codesieve.stages import Toolbox, build_check
from codesieve.verify.lint import LintVerifier
from codesieve.verify.orm import LogprobOrm
from codesieve.verify.spec import Stage, parse_cascade
from codesieve.verify.tests import TestsVerifier


def test_parses_stages_arguments_and_top_m():
    spec = parse_cascade(" syntax>lint > tests:1 > orm:logprob > majority > full@3")
    assert spec.stages == (Stage("syntax"), Stage("lint"), Stage("tests", "1"), Stage("orm", "logprob"),
                           Stage("majority"), Stage("full", None, 3))
    assert str(spec) == "syntax > lint > tests:1 > orm:logprob > majority > full@3"
    assert parse_cascade(str(spec)) == spec
    assert parse_cascade("tests:5@2").stages == (Stage("tests", "5", 2),)
    timed = parse_cascade("orm:logprob > tests:10@16/0.1s > full/.5s")
    assert timed.stages[1:] == (Stage("tests", "10", 16, 0.1), Stage("full", None, None, 0.5))
    assert str(timed) == "orm:logprob > tests:10@16/0.1s > full/0.5s" and parse_cascade(str(timed)) == timed


@pytest.mark.parametrize("text, message", [
    ("", "empty stage"),
    ("syntax >> full", "empty stage"),
    ("syntax >", "empty stage"),
    ("fuzz", "unknown verifier 'fuzz'.*known: full, lint"),
    ("tests", "tests needs an argument, e.g. tests:3"),
    ("tests:0", "positive whole number"),
    ("tests:x", "positive whole number"),
    ("syntax:1", "syntax takes no argument"),
    ("orm", "orm needs an argument, e.g. orm:logprob"),
    ("orm:logprob@2", "only full, public, sample, tests take @M"),
    ("full@0", "@0 needs a positive"),
    ("full@", "cannot read"),
    ("Full", "cannot read"),
    ("tests:3/1", "cannot read"),
    ("tests:3/0s", "/0s needs a positive number of seconds"),
    ("tests:3@2/1.s", "/1.s needs a positive number"),
    ("orm:logprob/1s", "only full, public, sample, tests take /Ts"),
])
def test_bad_specs_say_what_to_write(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_cascade(text)


def test_build_names_missing_resources(executor):
    with pytest.raises(ConfigError, match="--orm ARTEFACT"):
        build_check(Stage("orm", "trained"), Toolbox())
    with pytest.raises(ConfigError, match="no ORM named 'judge'.*have: logprob"):
        build_check(Stage("orm", "judge"), Toolbox())
    with pytest.raises(ConfigError, match="needs an executor"):
        build_check(Stage("full"), Toolbox())
    assert isinstance(build_check(Stage("lint"), Toolbox()), LintVerifier)
    assert isinstance(build_check(Stage("orm", "logprob"), Toolbox()), LogprobOrm)
    assert isinstance(build_check(Stage("tests", "2"), Toolbox(executor=executor)), TestsVerifier)
    assert build_check(Stage("tests", "2", None, 0.1), Toolbox(executor=executor)).time_s == 0.1
