"""Cascade specs: `syntax > lint > tests:1 > orm:logprob > full@3`, parsed and built.

Grammar: stages separated by `>`; a stage is `NAME[:ARG][@M][/Ts]`. NAME is a check registered
in `codesieve.stages.registry`; the built-in ones (`codesieve.verify.checks`):

    syntax          prune programs that do not compile
    lint            prune programs with fatal pyflakes findings or no entry point
    tests:K         prune programs failing one of the first K hidden tests (in a run: public tests)
    sample:K        prune programs failing one of K hidden tests spread over the suite
    public          prune programs failing a public test
    full            prune programs failing a hidden test
    majority[:K]    rank by output agreement with siblings on K hidden-test inputs (default 5)
    orm:NAME        rank by an outcome reward model: logprob, or one in the toolbox's ORMs
    STAGE@M         for tests:K, sample:K, public and full: check the current ranking's candidates one
                    at a time, best first, stopping at the first that passes or after M
    STAGE/Ts        for the same stages: at most T CPU seconds per test (never more than the problem's
                    own limit), e.g. tests:10@16/0.1s. A stuck program then costs T, not the full
                    limit; a correct but slower one is pruned, which the Best-of-k of the spec shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codesieve.errors import ConfigError
from codesieve.stages import registered

_STAGE = re.compile(r"^(?P<name>[a-z][a-z0-9_-]*)(?::(?P<arg>[A-Za-z0-9_.-]+))?(?:@(?P<top>\w+))?"
                    r"(?:/(?P<time>[^/]*)s)?$")


@dataclass(frozen=True)
class Stage:
    name: str
    arg: str | None = None
    top: int | None = None
    time_s: float | None = None  # CPU seconds per test, at most

    def __str__(self) -> str:
        return (self.name + (f":{self.arg}" if self.arg else "") + (f"@{self.top}" if self.top else "")
                + (f"/{self.time_s:g}s" if self.time_s else ""))


@dataclass(frozen=True)
class CascadeSpec:
    stages: tuple[Stage, ...]

    def __str__(self) -> str:
        return " > ".join(map(str, self.stages))


def parse_cascade(text: str) -> CascadeSpec:
    parts = [p.strip() for p in text.split(">")]
    if not text.strip() or any(not p for p in parts):
        raise ConfigError(f"empty stage in cascade {text!r}; write stages separated by '>', "
                          "e.g. 'syntax > tests:1 > orm:logprob > full@3'")
    return CascadeSpec(tuple(_stage(p, text) for p in parts))


def _stage(part: str, text: str) -> Stage:
    m = _STAGE.match(part)
    where = f"stage {part!r} of cascade {text!r}"
    if not m:
        raise ConfigError(f"cannot read {where}; a stage is NAME[:ARG][@M][/Ts], e.g. tests:3, full@2 "
                          "or tests:10@16/0.1s")
    name, arg, top, time_s = m["name"], m["arg"], m["top"], m["time"]
    checks = registered("check")
    if name not in checks:
        raise ConfigError(f"unknown verifier {name!r} in {where}; known: {', '.join(checks)}")
    kind = checks[name].arg
    limited = [n for n, c in checks.items() if c.limited]
    if kind == "none" and arg is not None:
        raise ConfigError(f"{where}: {name} takes no argument")
    if kind in ("count", "name") and arg is None:
        example = "tests:3" if kind == "count" else "orm:logprob"
        raise ConfigError(f"{where}: {name} needs an argument, e.g. {example}")
    if "count" in kind and arg is not None and not _positive(arg):
        raise ConfigError(f"{where}: {name}:{arg} needs a positive whole number")
    if top is not None:
        if name not in limited:
            raise ConfigError(f"{where}: only {', '.join(limited)} take @M")
        if not _positive(top):
            raise ConfigError(f"{where}: @{top} needs a positive whole number")
    if time_s is not None:
        if name not in limited:
            raise ConfigError(f"{where}: only {', '.join(limited)} take /Ts")
        if not _seconds(time_s):
            raise ConfigError(f"{where}: /{time_s}s needs a positive number of seconds, e.g. /0.1s")
    return Stage(name, arg, int(top) if top is not None else None, float(time_s) if time_s is not None else None)


def _positive(text: str) -> bool:
    return text.isdigit() and int(text) > 0


def _seconds(text: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?|\.\d+", text) is not None and float(text) > 0
