"""The lazy stage registry: names without imports, targets and evidence types on demand, plugins."""

import subprocess
import sys
from dataclasses import dataclass

import pytest

from codesieve.errors import ConfigError
from codesieve.stages import registry
from codesieve.stages.registry import evidence_type, load, lookup, make_judge, make_strategy, registered


def test_listing_names_and_help_imports_no_implementation():
    code = ("import sys\n"
            "from codesieve.stages import registered\n"
            "names = registered()\n"
            "assert all(e.help for e in names.values())\n"
            "print(len(names), ' '.join(m for m in sys.modules if m.startswith(('codesieve.select', "
            "'codesieve.verify', 'codesieve.pipeline', 'codesieve.store'))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, *imported = done.stdout.split()
    assert int(count) > 20 and imported == []


def test_every_built_in_target_and_evidence_type_resolves():
    for entry in registered().values():
        if isinstance(entry.target, str):
            assert callable(load(entry)), entry.name
            assert entry.kind != "strategy" or entry.evidence is None or isinstance(evidence_type(entry.name), type)


def test_evidence_types_are_found_by_spec():
    from codesieve.select.baseline_evidence import MajorityEvidence
    from codesieve.select.evidence import SStarEvidence
    from codesieve.verify.strategy import CascadeEvidence

    assert evidence_type("sstar") is evidence_type("sstar-predict") is SStarEvidence
    assert evidence_type("cascade:syntax > lint") is CascadeEvidence
    assert evidence_type("majority-vote") is MajorityEvidence
    assert evidence_type("zero-shot") is None  # its trace is plain JSON
    assert evidence_type("no-such-strategy") is None


def test_lookup_errors_name_the_choices():
    with pytest.raises(ConfigError, match="unknown judge 'coin'; choose from: .*predict, reason"):
        lookup("coin", "judge")
    with pytest.raises(ConfigError, match="write cascade:lint"):
        make_strategy("lint")
    assert make_judge("verdict-first").name == "verdict-first"


@dataclass(frozen=True)
class CoinEvidence:
    side: str


def test_plugins_register_their_objects_and_cannot_take_a_built_in_name(monkeypatch):
    monkeypatch.setattr(registry, "_PLUGINS", {})

    @registry.strategy("coin", evidence=CoinEvidence)
    class Coin:
        """Heads."""

    @registry.judge("heads")
    class Heads:
        name = "heads"

    assert load(registered("strategy")["coin"]) is Coin and registered()["coin"].help == "Heads."
    assert evidence_type("coin") is CoinEvidence
    assert isinstance(make_judge("heads"), Heads)
    registry.strategy("coin", evidence=CoinEvidence)(Coin)  # the same object again (a module reloaded)
    with pytest.raises(ConfigError, match="'sstar' is taken by codesieve.select.sstar:SStar"):
        registry.strategy("sstar")(Coin)
    with pytest.raises(ConfigError, match="'coin' is taken"):
        registry.check("coin")(lambda stage, tools: None)
