"""Every stage that narrows or ranks candidates, by name: one decorated definition registers one.

Two kinds share one namespace:

- a *strategy* picks one candidate of a problem (`Selector`: S*, the baselines, CodeT, a cascade);
- a *check* prunes or ranks the candidates of many problems at once (`Verifier`: syntax, lint,
  tests:K, ORMs, full tests), and is a stage of a cascade.

    @strategy("public-filter")
    class PublicFilter: ...                   # called with no argument

    @strategy("cascade", arg="a cascade, e.g. 'syntax > lint > tests:3@2'")
    class Cascade:
        def __init__(self, spec: str): ...   # `cascade:syntax > lint` calls Cascade("syntax > lint")

    @check("tests", arg="count", runs=True, limited=True)
    def tests(stage, tools): ...              # returns a Verifier for one cascade stage

`make_strategy("cascade:syntax > lint")` builds a strategy from its spec: the name, then after the
first ':' its argument. A module outside codesieve registers its own the same way; importing it
before the run is all it takes. The built-in definitions are imported on first lookup.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from codesieve.errors import ConfigError

if TYPE_CHECKING:
    from codesieve.select.base import Selector

T = TypeVar("T")

# The modules defining the built-in strategies and checks, imported on the first lookup (and not
# at `import codesieve.select`, so that a check does not import S*, nor S* the ORM's numpy).
BUILTIN = ("codesieve.select.baselines", "codesieve.select.codet", "codesieve.select.judge",
           "codesieve.select.sstar", "codesieve.verify.checks", "codesieve.verify.strategy")
ARG_KINDS = ("none", "count", "optional count", "name", "text")


@dataclass(frozen=True)
class Registered:
    """One registered stage. `arg` says what its argument is ('none': it takes none); a check's
    `runs` says it executes programs (needs an executor), `limited` that it takes @M and /Ts."""

    name: str
    kind: str  # "strategy" or "check"
    factory: Callable[..., Any]
    arg: str = "none"
    help: str = ""
    runs: bool = False
    limited: bool = False


_REGISTRY: dict[str, Registered] = {}
_loaded = False


def _register(entry: Registered) -> None:
    if entry.arg not in ARG_KINDS and entry.kind == "check":
        raise ValueError(f"check {entry.name!r}: arg must be one of {ARG_KINDS}")
    old = _REGISTRY.get(entry.name)
    if old is not None and (old.kind, old.factory.__qualname__, old.factory.__module__) != (
            entry.kind, entry.factory.__qualname__, entry.factory.__module__):
        raise ConfigError(f"{entry.kind} name {entry.name!r} is taken by {old.factory.__module__}."
                          f"{old.factory.__qualname__}")
    _REGISTRY[entry.name] = entry


def strategy(name: str, *, arg: str = "none", help: str = "") -> Callable[[T], T]:
    """Register a class or factory making a `Selector`; with `arg`, it takes the text after ':'."""

    def decorate(factory: T) -> T:
        doc = help or ((getattr(factory, "__doc__", None) or "").strip().splitlines() or [""])[0]
        _register(Registered(name, "strategy", factory, arg, doc))  # type: ignore[arg-type]
        return factory

    return decorate


def check(name: str, *, arg: str = "none", runs: bool = False, limited: bool = False,
          help: str = "") -> Callable[[T], T]:
    """Register a factory `(stage, tools) -> Verifier` for cascade stage `name` (see verify.spec)."""

    def decorate(factory: T) -> T:
        doc = help or ((getattr(factory, "__doc__", None) or "").strip().splitlines() or [""])[0]
        _register(Registered(name, "check", factory, arg, doc, runs, limited))  # type: ignore[arg-type]
        return factory

    return decorate


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN:
            importlib.import_module(module)


def registered(kind: str | None = None) -> dict[str, Registered]:
    """Registered stages by name (of one kind, if given), sorted."""
    _load_builtins()
    return {n: e for n, e in sorted(_REGISTRY.items()) if kind is None or e.kind == kind}


def lookup(name: str, kind: str) -> Registered:
    found = registered(kind).get(name)
    if found is None:
        other = _REGISTRY.get(name)
        hint = (f"; {name} is a cascade check: write cascade:{name}" if other and other.kind == "check"
                else f"; choose from: {', '.join(registered(kind))}")
        raise ConfigError(f"unknown {kind} {name!r}{hint}")
    return found


def make_strategy(spec: str) -> "Selector":
    """The strategy `spec` names: `NAME` or `NAME:ARG`. Errors name the spec and the choices."""
    name, sep, arg = spec.strip().partition(":")
    entry = lookup(name.strip(), "strategy")
    if entry.arg == "none":
        if sep:
            raise ConfigError(f"strategy {name!r} takes no argument (got {spec!r})")
        made = entry.factory()
    else:
        if not arg.strip():
            raise ConfigError(f"strategy {name!r} needs an argument: {entry.arg}")
        made = entry.factory(arg.strip())
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
