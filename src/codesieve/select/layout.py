"""The layout of a stdin input, read from an example: which numbers count what follows them.

A competitive-programming input is whitespace-separated tokens whose counts agree with the lines
after them ("3\\n1 2 3"). Changed blindly, an input breaks that agreement and every candidate fails
to read it alike. `Layout` finds the counts an example holds, so that mutants and edge cases can
make a counted part shorter, longer or reordered with its count kept consistent.

A count is recognised by value alone: an integer (2 or more) equal to
- the number of tokens of the next line, and of each line after it with that many (`ROW`);
- the number of lines that follow, when those lines look alike: as many tokens, of the same kinds
  (`BLOCK`: one line per item, as test cases of one line each);
- the length of the single word on the next line (`WORD`);
- both the lines that follow and the tokens of each (`GRID`: a square, n lines of n).
Tokens on counted lines are data, never counts. A coincidence can
pass for a count; the edited input is then one more input, and grouping drops any input on which
no candidate runs to completion.
"""

from __future__ import annotations

from dataclasses import dataclass

from codesieve.problems.calls import MAX_INPUT_CHARS

ROW, BLOCK, WORD, GRID = "row", "block", "word", "grid"

Lines = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Count:
    """A token at (`line`, `position`) that counts the tokens (`ROW`), lines (`BLOCK`), both
    (`GRID`) or characters (`WORD`) of the lines in `span`."""

    line: int
    position: int
    kind: str
    span: tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """An input's tokens by line, its counts, and the integers that count nothing (`free`: (line, position))."""

    lines: Lines
    counts: tuple[Count, ...]
    free: tuple[tuple[int, int], ...]


def is_int(token: str) -> bool:
    return token.lstrip("-").isdigit() and token.count("-") <= 1


def read_layout(text: str) -> Layout:
    lines: Lines = tuple(tuple(line.split()) for line in text.strip("\n").split("\n"))
    counts: list[Count] = []
    free: list[tuple[int, int]] = []
    claimed: set[int] = set()
    for i, tokens in enumerate(lines):
        for j, token in enumerate(tokens):
            if not is_int(token):
                continue
            found = None if i in claimed else _count(lines, i, j, int(token), claimed)
            if found is None:
                free.append((i, j))
            else:
                counts.append(found)
                claimed.update(found.span)
    return Layout(lines, tuple(counts), tuple(free))


def _count(lines: Lines, i: int, j: int, value: int, claimed: set[int]) -> Count | None:
    """The count at (i, j), None for a free number."""
    after = [k for k in range(i + 1, len(lines)) if k not in claimed]
    if value < 2 or not after or after[0] != i + 1:
        return None
    nxt = lines[i + 1]
    if len(nxt) == 1 and not is_int(nxt[0]) and len(nxt[0]) == value:
        return Count(i, j, WORD, (i + 1,))
    row = len(nxt) == value
    block = (i + value < len(lines) and all(k not in claimed for k in range(i + 1, i + value + 1))
             and len({_shape(lines[k]) for k in range(i + 1, i + value + 1)}) == 1)
    if block:
        return Count(i, j, GRID if row else BLOCK, tuple(range(i + 1, i + value + 1)))
    if row:
        span = [i + 1]
        while span[-1] + 1 < len(lines) and len(lines[span[-1] + 1]) == value and span[-1] + 1 not in claimed:
            span.append(span[-1] + 1)
        return Count(i, j, ROW, tuple(span))
    return None


def _shape(tokens: tuple[str, ...]) -> tuple[bool, ...]:
    return tuple(is_int(t) for t in tokens)


def render(lines: Lines) -> str | None:
    """The input text (tokens joined by one space, a newline after each line), None when too long."""
    text = "".join(" ".join(tokens) + "\n" for tokens in lines)
    return text if len(text) <= MAX_INPUT_CHARS else None


def set_token(lines: Lines, line: int, position: int, token: str) -> Lines:
    row = lines[line]
    return lines[:line] + (row[:position] + (token,) + row[position + 1:],) + lines[line + 1:]


def resized(lines: Lines, count: Count, n: int) -> Lines:
    """`lines` with `count`'s counted part made `n` long (cut, or its items repeated in turn) and
    the count set to `n`. Only lines from `count.line` on change: resize later counts first."""
    out = list(set_token(lines, count.line, count.position, str(n)))
    if count.kind == ROW:
        for k in count.span:
            out[k] = _cycled(out[k], n)
    elif count.kind == WORD:
        word = out[count.span[0]][0]
        out[count.span[0]] = ("".join(_cycled(tuple(word), n)),)
    else:
        first, last = count.span[0], count.span[-1]
        block = _cycled(tuple(out[first:last + 1]), n)
        out[first:last + 1] = [_cycled(row, n) for row in block] if count.kind == GRID else block
    return tuple(out)


def reordered(lines: Lines, count: Count, order: str) -> Lines:
    """`lines` with `count`'s items reversed (`order="reversed"`) or sorted (numbers by value)."""
    def arrange(items: tuple) -> tuple:
        return items[::-1] if order == "reversed" else tuple(sorted(items, key=_order))

    out = list(lines)
    if count.kind == ROW:
        for k in count.span:
            out[k] = arrange(out[k])
    elif count.kind == WORD:
        out[count.span[0]] = ("".join(arrange(tuple(out[count.span[0]][0]))),)
    else:
        first, last = count.span[0], count.span[-1]
        out[first:last + 1] = arrange(tuple(out[first:last + 1]))
    return tuple(out)


def _order(item: str | tuple[str, ...]) -> tuple:
    """Sort key of a token (numbers by value, before words) or of a line of tokens."""
    if isinstance(item, tuple):
        return tuple(_order(t) for t in item)
    return (0, int(item), "") if is_int(item) else (1, 0, item)


def _cycled(items: tuple, n: int) -> tuple:
    return tuple(items[k % len(items)] for k in range(n)) if items else items
