"""Cutting long text for prompts, records and messages, saying how long it was."""

from __future__ import annotations


def clip(text: str, limit: int, tail: str | None = None) -> str:
    """`text` cut to `limit` characters, followed by `tail` (default: `... [N chars]`, N the full length).

    Prompts are built with this, and stored model answers are keyed by their prompts: a caller's
    `tail` is part of its prompts' text, so it must not change for committed runs to replay."""
    if len(text) <= limit:
        return text
    return text[:limit] + (f"... [{len(text)} chars]" if tail is None else tail)

CUT = "\n... (cut)"  # the tail of programs and outputs cut in selection prompts
