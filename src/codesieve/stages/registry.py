"""Every stage by name: strategies, checks and judges, in one lazy registry.

Three kinds share one namespace:

- a *strategy* picks one candidate of a problem (`Selector`: S*, the baselines, CodeT, a cascade);
- a *check* prunes or ranks the candidates of many problems at once (`Check`: syntax, lint,
  tests:K, ORMs, full tests), and is a stage of a cascade;
- a *judge* decides one of S*'s duels (`Judge`).

The built-in stages are a table of strings (`codesieve.stages.builtin`): each names its target
as "module:attr", so listing names and help imports no implementation, and `load` imports a
target only when its stage is built. A module outside codesieve registers its own stages with
the decorators; importing it before the run is all it takes:

    @strategy("shortest", arg="how many candidates", evidence=ShortestEvidence)
    class Shortest:
        def __init__(self, k: str): ...      # `shortest:2` calls Shortest("2")

    @check("small", runs=False)
    def small(stage, tools): ...              # returns a Check for one cascade stage

    @judge("coin")
    class Coin: ...                           # called with no argument

`make_strategy("cascade:syntax > lint")` builds a strategy from its spec: the name, then after the
first ':' its argument. An entry's `options` are keyword arguments its target is called with, so
one class serves several names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from codesieve.errors import ConfigError
from codesieve.stages.base import Check, Entry
from codesieve.stages.builtin import BUILTIN

if TYPE_CHECKING:
    from codesieve.stages.base import Judge, Selector
    from codesieve.stages.toolbox import Toolbox

T = TypeVar("T")

_BUILTIN: dict[str, Entry] = {e.name: e for e in BUILTIN}
_PLUGINS: dict[str, Entry] = {}


def _path(target: str | Callable[..., Any]) -> str:
    return target if isinstance(target, str) else f"{target.__module__}:{target.__qualname__}"


def _register(entry: Entry) -> None:
    old = _BUILTIN.get(entry.name) or _PLUGINS.get(entry.name)
    if old is not None and (old.kind, _path(old.target)) != (entry.kind, _path(entry.target)):
        raise ConfigError(f"{entry.kind} name {entry.name!r} is taken by {_path(old.target)}")
    if entry.name not in _BUILTIN:  # a built-in's own module decorating it changes nothing
        _PLUGINS[entry.name] = entry


def _first_line(obj: Any) -> str:
    return ((getattr(obj, "__doc__", None) or "").strip().splitlines() or [""])[0]


def strategy(name: str, *, arg: str = "none", help: str = "", evidence: type | str | None = None
             ) -> Callable[[T], T]:
    """Register a class or factory making a `Selector`; with `arg`, it takes the text after ':'.
    `evidence` is the type of its selections' traces."""

    def decorate(factory: T) -> T:
        _register(Entry(name, "strategy", factory, arg, help or _first_line(factory),  # type: ignore[arg-type]
                        evidence=evidence))
        return factory

    return decorate


def check(name: str, *, arg: str = "none", runs: bool = False, limited: bool = False,
          help: str = "") -> Callable[[T], T]:
    """Register a factory `(stage, tools) -> Check` for cascade stage `name` (see verify.spec)."""

    def decorate(factory: T) -> T:
        entry = Entry(name, "check", factory, arg, help or _first_line(factory), runs, limited)  # type: ignore[arg-type]
        _register(entry)
        return factory

    return decorate


def judge(name: str, *, help: str = "") -> Callable[[T], T]:
    """Register a class or factory making a `Judge`, called with no argument."""

    def decorate(factory: T) -> T:
        _register(Entry(name, "judge", factory, help=help or _first_line(factory)))  # type: ignore[arg-type]
        return factory

    return decorate


def registered(kind: str | None = None) -> dict[str, Entry]:
    """Registered stages by name (of one kind, if given), sorted. Imports no implementation."""
    entries = {**_BUILTIN, **_PLUGINS}
    return {n: e for n, e in sorted(entries.items()) if kind is None or e.kind == kind}


def lookup(name: str, kind: str) -> Entry:
    found = registered(kind).get(name)
    if found is None:
        other = registered().get(name)
        hint = (f"; {name} is a cascade check: write cascade:{name}" if other and other.kind == "check"
                and kind == "strategy" else f"; choose from: {', '.join(registered(kind))}")
        raise ConfigError(f"unknown {kind} {name!r}{hint}")
    return found


def load(entry: Entry) -> Any:
    """The entry's target, imported."""
    return _resolve(entry.target)


def _resolve(target: Any) -> Any:
    if not isinstance(target, str):
        return target
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def make_strategy(spec: str) -> "Selector":
    """The strategy `spec` names: `NAME` or `NAME:ARG`. Errors name the spec and the choices."""
    name, sep, arg = spec.strip().partition(":")
    entry = lookup(name.strip(), "strategy")
    if entry.arg == "none":
        if sep:
            raise ConfigError(f"strategy {name!r} takes no argument (got {spec!r})")
        made = load(entry)(**entry.options)
    else:
        if not arg.strip():
            raise ConfigError(f"strategy {name!r} needs an argument: {entry.arg}")
        made = load(entry)(arg.strip(), **entry.options)
    if not getattr(made, "name", None):
        made.name = spec.strip()
    return made


def split_strategies(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Strategy specs from repeated and comma-separated values, deduplicated, in order, each checked
    by building it, so a bad cascade fails before any work (no spec contains a comma)."""
    specs: list[str] = []
    for value in values:
        for spec in (v.strip() for v in value.split(",")):
            if spec and spec not in specs:
                make_strategy(spec)
                specs.append(spec)
    if not specs:
        raise ConfigError(f"no strategy given; choose from: {', '.join(registered('strategy'))}")
    return tuple(specs)


def make_judge(name: str) -> "Judge":
    """The judge registered as `name`."""
    entry = lookup(name, "judge")
    return load(entry)(**entry.options)


def build_check(stage: Any, tools: "Toolbox") -> "Check":
    """The check for one cascade stage (`codesieve.verify.spec.Stage`), made by the factory
    registered under its name. Errors say which resource is missing."""
    entry = lookup(stage.name, "check")
    if entry.runs and tools.executor is None:
        raise ConfigError(f"stage {stage} runs programs and needs an executor")
    return load(entry)(stage, tools, **entry.options)


def evidence_type(spec: str) -> type | None:
    """The evidence type registered with the strategy `spec` names (`cascade:...`: cascade's),
    None when it has none or is not registered."""
    entry = registered("strategy").get(spec.strip().partition(":")[0].strip())
    return None if entry is None or entry.evidence is None else _resolve(entry.evidence)
