import pytest

from codesieve.errors import ConfigError
from codesieve.verify.lint import LintVerifier
from codesieve.verify.orm import LogprobOrm
from codesieve.verify.spec import Stage, Toolbox, build_verifier, parse_cascade
from codesieve.verify.tests import TestsVerifier


def test_parses_stages_arguments_and_top_m():
    spec = parse_cascade(" syntax>lint > tests:1 > orm:logprob > majority > full@3")
    assert spec.stages == (Stage("syntax"), Stage("lint"), Stage("tests", "1"), Stage("orm", "logprob"),
                           Stage("majority"), Stage("full", None, 3))
    assert str(spec) == "syntax > lint > tests:1 > orm:logprob > majority > full@3"
    assert parse_cascade(str(spec)) == spec
    assert parse_cascade("tests:5@2").stages == (Stage("tests", "5", 2),)


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
    ("orm:logprob@2", "only tests, sample, public, full take @M"),
    ("full@0", "@0 needs a positive"),
    ("full@", "cannot read"),
    ("Full", "cannot read"),
])
def test_bad_specs_say_what_to_write(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_cascade(text)


def test_build_names_missing_resources(executor):
    with pytest.raises(ConfigError, match="--orm ARTEFACT"):
        build_verifier(Stage("orm", "trained"), Toolbox())
    with pytest.raises(ConfigError, match="no ORM named 'judge'.*have: logprob"):
        build_verifier(Stage("orm", "judge"), Toolbox())
    with pytest.raises(ConfigError, match="needs an executor"):
        build_verifier(Stage("full"), Toolbox())
    assert isinstance(build_verifier(Stage("lint"), Toolbox()), LintVerifier)
    assert isinstance(build_verifier(Stage("orm", "logprob"), Toolbox()), LogprobOrm)
    assert isinstance(build_verifier(Stage("tests", "2"), Toolbox(executor)), TestsVerifier)
