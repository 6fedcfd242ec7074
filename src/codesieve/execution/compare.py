"""Output comparison, shared by grading, debugging and selection.

- stdio: whitespace-normalised tokens; two tokens that both read as non-integer numbers match
  within 1e-6 absolute or relative (the usual judge tolerance for real-valued answers).
- function results: equality, else numbers (and flat sequences of numbers) within `atol` plus
  `rtol` relative tolerance, as EvalPlus does; floats always get at least 1e-6 absolute.

`fingerprint` names an output for clustering candidates by behaviour: floats are rounded to 9
significant digits so that 0.1+0.2 and 0.3 fall in one cluster.

Stdlib only: the sandbox worker imports this file by path.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

STDIO_TOLERANCE = 1e-6
FLOAT_MIN_ATOL = 1e-6


def stdio_match(expected: str, actual: str) -> bool:
    exp, out = expected.split(), actual.split()
    if exp == out:
        return True
    if len(exp) != len(out):
        return False
    return all(a == b or _close_tokens(a, b) for a, b in zip(exp, out))


def _close_tokens(a: str, b: str) -> bool:
    try:
        fa, fb = float(a), float(b)
    except ValueError:
        return False
    if _is_int_token(a) and _is_int_token(b):
        return False  # distinct integers never match by tolerance
    if math.isnan(fa) or math.isnan(fb):
        return False
    return math.isclose(fa, fb, rel_tol=STDIO_TOLERANCE, abs_tol=STDIO_TOLERANCE)


def _is_int_token(token: str) -> bool:
    return token.lstrip("+-").isdigit()


def values_match(expected: Any, actual: Any, atol: float = 0.0, rtol: float = 1e-7,
                 sequences_as_lists: bool = False) -> bool:
    if sequences_as_lists:
        expected, actual = _lists(expected), _lists(actual)
    try:
        if type(expected) is type(actual) and expected == actual:
            return True
        if expected == actual and not isinstance(expected, (str, bytes)):
            return True  # 1 == 1.0 == True, as Python (and EvalPlus) accept
    except Exception:
        return False
    if _is_number(expected) and _is_number(actual):
        return _close(expected, actual, atol, rtol)
    if isinstance(expected, (list, tuple)) and type(expected) is type(actual):
        if len(expected) == len(actual) and all(map(_is_number, expected)) and all(map(_is_number, actual)):
            return all(_close(e, a, atol, rtol) for e, a in zip(expected, actual))
    return False


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(e: float, a: float, atol: float, rtol: float) -> bool:
    if isinstance(e, float) or isinstance(a, float):
        atol = max(atol, FLOAT_MIN_ATOL)
    if math.isnan(e) and math.isnan(a):
        return True
    try:
        return abs(a - e) <= atol + rtol * abs(e)
    except OverflowError:
        return False


def _lists(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def fingerprint_value(encoded: Any) -> str:
    """Hash of a codec-encoded value with floats rounded, for behavioural clustering."""
    return _digest(json.dumps(_round_floats(encoded), sort_keys=True, separators=(",", ":")))


def fingerprint_text(text: str) -> str:
    return _digest(" ".join(text.split()))


def _round_floats(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(f"{obj:.9g}")
    if isinstance(obj, list):
        return [_round_floats(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _round_floats(v) for k, v in obj.items()}
    return obj


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
