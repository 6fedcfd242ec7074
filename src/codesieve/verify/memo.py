"""Reading a program once per cascade run, however many stages read it.

`syntax`, `lint` and `orm:trained` all parse the same programs; inside `reading_once()` each
decorated function remembers its result per program text. The memory lives only as long as that
block, so a new cascade run starts cold and measured throughput never includes an earlier run's
work.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_MEMO: ContextVar[dict | None] = ContextVar("codesieve_verify_memo", default=None)


def per_run(fn: Callable[P, R]) -> Callable[P, R]:
    """Remember `fn(program, ...)` for the rest of the enclosing `reading_once()` block, if any.
    Arguments must be hashable; results are shared, so treat them as read-only."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _MEMO.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (fn.__qualname__, args, tuple(kwargs.items()))
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper


@contextmanager
def reading_once() -> Iterator[None]:
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)
