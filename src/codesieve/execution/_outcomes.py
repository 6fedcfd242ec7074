"""The worker's verdicts: a child's per-test records (and its stdout, or how it died) turned into
the outcome dicts the executor decodes. Imported by path from `_worker.py` (stdlib only).
"""

from __future__ import annotations

import os
import signal

import _child
import codec
import compare

DISPLAY_CHARS = 2000
_BIG_INT_BITS = 13_000  # about 3,900 digits: under the str() limit of 4,300

_STATUS = {"timeout": "timeout", "memory": "memory_exceeded", "output": "output_limit",
           "violation": "sandbox_violation", "error": "runtime_error"}


def from_records(job, tests, idxs, reason, out, err, records, status, leftovers):
    """One outcome per test index: from the child's records, or from how it died (`reason`,
    `status`, stderr) for the first test it left unfinished; the rest are not run."""
    outcomes, dead = [], False
    for i in idxs:
        rec = records.get(i)
        if dead or (rec is None and outcomes and outcomes[-1]["v"] not in ("passed", "ok")):
            outcomes.append({"v": "not_run"})
            continue
        if rec is None:
            outcomes.append(_death(reason, status, err))
            dead = True
            continue
        if rec.get("m") and not job["probe"] and tests[i]["t"] == "call" and type(rec.get("t")) is float:
            # a value the child found equal to the expected one: the common case, quickly
            outcomes.append({"t": round(rec["t"], 6), "v": "passed"})
            continue
        try:
            o = _outcome(job, tests[i], rec, out, reason)
        except Exception as exc:  # a record the program wrote itself, malformed on purpose or not
            o = {"v": "runtime_error", "e": ["HarnessError", f"unreadable result record: {exc!r}"[:300], ""]}
        dead = dead or bool(rec.get("load"))
        outcomes.append(o)
    if leftovers:
        last = max((k for k, o in enumerate(outcomes) if o["v"] != "not_run"), default=0)
        outcomes[last]["v"] = "sandbox_violation"
        outcomes[last]["e"] = ["LeftoverProcesses",
                               f"the program left {leftovers} process(es) running; they were killed", ""]
    return outcomes


def _outcome(job: dict, test: dict, rec: dict, out: bytes, reason: str | None) -> dict:
    """One test's outcome from the child's record (and, for stdio, its stdout)."""
    stdio, probe = job["kind"] == "stdio", job["probe"]
    o = {"t": round(float(rec.get("t", 0.0)), 6)}
    if rec.get("e"):
        o["e"] = [codec.drop_addresses(str(x))[:1500] for x in rec["e"]][:3]
    s = rec.get("s")
    if s != "ok":
        o["v"] = _STATUS.get(s, "runtime_error")
        if stdio:
            _attach_text(o, out)
    elif stdio:
        _attach_text(o, out)
        expected = test.get("out")
        o["v"] = "ok" if probe or expected is None else (
            "passed" if compare.stdio_match(expected, out.decode("utf-8", "replace")) else "wrong_answer")
        if reason == "output":
            o["v"] = "output_limit"
    elif test["t"] == "call":
        if rec.get("m") and not probe:  # the child found its value's encoding equal to the expected one
            o["v"] = "passed"
            return o
        enc = rec["val"]
        value = codec.decode(enc)
        o["o"] = _display(value)
        o["h"] = compare.fingerprint_value(enc)
        if probe:
            o["v"] = "ok"
            o["val"] = enc
        else:
            o["v"] = "passed" if _child.matches(test["exp"], value, job["cmp"]) else "wrong_answer"
    else:
        o["v"] = "passed"
    return o


def _attach_text(o: dict, out: bytes) -> None:
    """Shown output and fingerprint; the verdict compares the raw stdout, addresses and all."""
    text = codec.drop_addresses(out.decode("utf-8", "replace"))
    o["o"] = _short(text)
    o["h"] = compare.fingerprint_text(text)


def _display(value) -> str:
    """The value's repr, cut to DISPLAY_CHARS. Integers past Python's str() digit limit (their
    conversion is quadratic: seconds for a million digits) are shown by size instead."""
    try:
        return _short(repr(value))
    except ValueError:  # such an integer, somewhere inside
        return _short(repr(_sized_ints(value)))


class _Shown(str):
    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _sized_ints(value):
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() <= _BIG_INT_BITS:
            return value
        return _Shown(f"<int of about {int(value.bit_length() * 0.30103) + 1} digits>")
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(_sized_ints(v) for v in value)
    if isinstance(value, dict):
        return {_sized_ints(k): _sized_ints(v) for k, v in value.items()}
    return value


def _short(text: str) -> str:  # codesieve.text.clip, which the stdlib-only worker cannot import
    return text if len(text) <= DISPLAY_CHARS else text[:DISPLAY_CHARS] + f"... [{len(text)} chars]"


def _death(reason: str | None, status: int, err: bytes) -> dict:
    tail = err.decode("utf-8", "replace")[-1500:]
    if reason == "output":
        return {"v": "output_limit", "e": ["OutputLimit", "output exceeded the limit", ""]}
    if reason == "wall":
        return {"v": "timeout", "e": ["Timeout", "wall-clock limit exceeded (sleeping or blocked?)", ""]}
    if reason == "cpu":
        return {"v": "timeout", "e": ["Timeout", "CPU time limit exceeded", ""]}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return {"v": "output_limit", "e": ["OutputLimit", "file size limit exceeded", ""]}
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        hint = " (stack overflow or memory exhausted?)" if sig == signal.SIGSEGV else ""
        return {"v": "runtime_error", "e": ["Signal", f"killed by {name}{hint}", tail]}
    code = os.WEXITSTATUS(status)
    return {"v": "runtime_error", "e": ["Exit", f"the program exited with code {code} before finishing", tail]}
