"""Lossless JSON encoding of test values: JSON types plus tuple, set, frozenset, bytes, complex,
non-finite floats, integers of any size and dicts with non-string keys.

Used for problem files, caches, and the pipe between the sandbox and codesieve: the sandbox
encodes a program's return value, and decoding only ever builds these plain types, so a hostile
program cannot smuggle an object with a lying `__eq__` into the comparison. Objects of any other
type are reduced to their `repr` (tag "r"), which compares equal only to the same repr; the
memory address in a default repr (`<generator object f at 0x7f...>`) is dropped, so the same
behaviour encodes the same in every run (cached results, clustering and debug prompts repeat).

Stdlib only: the sandbox worker imports this file by path.
"""

from __future__ import annotations

import base64
import json
import math
import re
from typing import Any

_TAG = "\u00a7"  # a dict {"§": tag, "v": payload} marks an encoded non-JSON value


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")
_BIG_INT_BITS = 12_000  # about 3,600 decimal digits, under Python's 4,300-digit str() limit


class Opaque(str):
    """A value the codec could not represent, kept as its repr."""

    __slots__ = ()

    def __repr__(self) -> str:  # show the original repr, not a quoted string
        return str(self)


def encode(value: Any, _depth: int = 0) -> Any:
    """Return a JSON-serialisable structure that `decode` turns back into `value`."""
    if _depth > 200:
        raise ValueError("value nested too deeply to encode")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if value.bit_length() > _BIG_INT_BITS:  # beyond int<->str conversion limits: hex is exempt
            return {_TAG: "i", "v": hex(value)}
        return int(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return float(value)
        return {_TAG: "f", "v": repr(value)}
    d = _depth + 1
    if isinstance(value, list):
        return _encode_items(value, d)
    if isinstance(value, tuple):
        return {_TAG: "t", "v": _encode_items(value, d)}
    if isinstance(value, (set, frozenset)):
        items = [encode(v, d) for v in value]
        items.sort(key=lambda x: json.dumps(x, sort_keys=True))
        return {_TAG: "s" if isinstance(value, set) else "fs", "v": items}
    if isinstance(value, dict):
        if all(type(k) is str for k in value) and _TAG not in value:
            return {k: encode(v, d) for k, v in value.items()}
        return {_TAG: "d", "v": [[encode(k, d), encode(v, d)] for k, v in value.items()]}
    if isinstance(value, (bytes, bytearray)):
        return {_TAG: "b", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, complex):
        return {_TAG: "c", "v": [encode(value.real, d), encode(value.imag, d)]}
    return {_TAG: "r", "v": _safe_repr(value)}


def _encode_items(values: list | tuple, depth: int) -> list:
    """`[encode(v) for v in values]`. Test sets hold millions of plain numbers and strings, which
    encode to themselves: a sequence of only those is copied at C speed instead (the same result)."""
    plain = _plain(values)
    if plain is None:
        return [encode(v, depth) for v in values]
    return plain


_SELF_TEXT = frozenset({str, bool, type(None)})
_NUMBERS = frozenset({int, float, bool})
_SCALARS = _SELF_TEXT | _NUMBERS


def _plain(values: list | tuple) -> list | None:
    """A copy of `values` if each item is exactly a str, bool, None, or a number `encode` leaves as
    it is (finite; an int within float range, far under the hex threshold); otherwise None.
    Exact types only: a subclass (an IntEnum, a str subclass) goes through `encode` item by item."""
    if type(values) not in (list, tuple):
        return None
    kinds = set(map(type, values))
    if kinds <= _SELF_TEXT:
        return list(values)
    if kinds <= _NUMBERS:
        try:
            return list(values) if all(map(math.isfinite, values)) else None
        except OverflowError:  # an int past float range: encode decides whether it needs hex
            return None
    return None


def drop_addresses(text: str) -> str:
    """`text` without the memory addresses of default reprs: `<map object at 0x7f...>` becomes
    `<map object>`, the same in every run."""
    return _ADDRESS.sub("", text)


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a hostile __repr__ must not break encoding
        text = f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    return drop_addresses(text)[:10_000]


def decode(obj: Any) -> Any:
    """Inverse of `encode`. Builds only plain Python values."""
    if isinstance(obj, list):
        if type(obj) is list and set(map(type, obj)) <= _SCALARS:
            return list(obj)  # plain values decode to themselves: copied at C speed
        return [decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    tag = obj.get(_TAG)
    if tag is None:
        return {k: decode(v) for k, v in obj.items()}
    return _untag(tag, obj.get("v"), decode)


def object_hook(obj: dict) -> Any:
    """`json.loads(text, object_hook=object_hook)` is `decode(json.loads(text))` in one pass: the
    parser calls this on every JSON object with its values already decoded, so the plain values
    (most of a test set) never go through Python code."""
    tag = obj.get(_TAG)
    return obj if tag is None else _untag(tag, obj.get("v"), None)


def _untag(tag: str, payload: Any, inner: Any) -> Any:
    """The value a tagged object stands for; `inner` decodes what the payload holds (None: it is
    decoded already)."""
    if tag in ("t", "s", "fs"):
        items = payload if inner is None else [inner(v) for v in payload]
        if tag == "t":
            return tuple(items)
        hashable = (_hashable(v) for v in items)
        return set(hashable) if tag == "s" else frozenset(hashable)
    if tag == "d":
        pairs = payload if inner is None else [(inner(k), inner(v)) for k, v in payload]
        return {_hashable(k): v for k, v in pairs}
    if tag == "c":
        real, imag = payload if inner is None else (inner(payload[0]), inner(payload[1]))
        return complex(real, imag)
    if tag == "f":
        return float(payload)
    if tag == "i":
        return int(payload, 16)
    if tag == "b":
        return base64.b64decode(payload)
    if tag == "r":
        return Opaque(payload)
    raise ValueError(f"unknown codec tag {tag!r}")


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, set):
        return frozenset(value)
    return value


def canonical(encoded: Any) -> str:
    """The one text of an encoded value (compact, keys sorted): the sender's expected values and the
    child's return values are compared as these texts, so both must write them alike."""
    return json.dumps(encoded, separators=(",", ":"), sort_keys=True)


def dumps(value: Any) -> str:
    """Encode and serialise compactly; stable for equal values (used in cache keys)."""
    return json.dumps(encode(value), separators=(",", ":"), sort_keys=True, allow_nan=False)


def loads(text: str) -> Any:
    return decode(json.loads(text))
