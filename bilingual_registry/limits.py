"""How many items of one kind a record keeps one by one: the rest are kept whole, with a problem saying so.

A flattened list (`target_size` of millions of `;`, an API group of millions of members) would otherwise
cost a field or an `unpaired` entry, hundreds of bytes of memory and output, per byte or two of input.
Real records have at most a few hundred members in a group.
"""
from __future__ import annotations

from .problems import problem, problem_data

MAX_ITEMS = 2_000
# Blocks (labels and values) one record is aligned from; the largest real page has 1,269. Past it the
# blocks are kept as one text in `unpaired`: a line of 200,000 labels would cost a field each.
MAX_BLOCKS = 20_000
# Lines one text is read from: past MAX_BLOCKS, one per LINE_BYTES bytes of it (UTF-8). Real exports have
# a line per 12 bytes or more (the densest of the corpus and of `bireg synth` 12.6); a text of 2- to 4-byte
# lines would cost a block, ~200 bytes while it is read, per line: its memory would outgrow 30 times the input.
LINE_BYTES = 9


def capped_problem(what: str, count: int, field: str | None = None, limit: int = MAX_ITEMS) -> dict:
    """The problem that says a list was cut at MAX_ITEMS (its rest kept in `unpaired` as one text).

    >>> capped_problem("interventions", 5_000_000)["message"]
    'interventions: 5,000,000 items, more than the 2,000 a record keeps one by one; the other 4,998,000 are kept as one text in unpaired'
    """
    return problem_data("too-many-items", field=field, message=(
        f"{what}: {count:,} items, more than the {limit:,} a record keeps one by one; "
        f"the other {count - limit:,} are kept as one text in unpaired"))


def line_cut(text: str) -> int | None:
    """Where a text with more lines than any record of its size must be cut (the offset of the first line
    past MAX_BLOCKS + one per LINE_BYTES bytes), or None when it has no more; `\\n` line ends.

    >>> line_cut("注册号：\\n\\nRegistration number:\\n\\nChiCTR2699000001\\n\\n" * 100_000) is None  # 11 bytes a line
    True
    >>> line_cut("v\\n\\n" * 100_000)   # 300,000 bytes: lines past 20,000 + 33,333 are kept aside
    80000
    """
    lines = text.count("\n")
    if lines < MAX_BLOCKS + len(text) // LINE_BYTES:  # the common case, one scan (bytes >= characters)
        return None
    limit = MAX_BLOCKS + len(text.encode("utf-8", "surrogatepass")) // LINE_BYTES
    if lines < limit:
        return None
    seen, pos, step = 0, 0, 1 << 16
    while seen + (n := text.count("\n", pos, pos + step)) < limit:  # a window at a time, never a copy
        seen, pos = seen + n, pos + step
    for _ in range(limit - seen):
        pos = text.index("\n", pos) + 1
    return pos


def lines_cut_problem(lines: int, kept: int, size: int):
    """The problem a record carries when its text was cut by `line_cut`.

    >>> lines_cut_problem(2_000_001, 353_333, 3_000_000).message
    'the text has 2,000,001 lines in 3,000,000 bytes, more than a record of that size (20,000 and one per 9 bytes): lines from 353,334 on are kept as one text in unpaired'
    """
    return problem("too-many-items", lines=[kept + 1, lines], message=(
        f"the text has {lines:,} lines in {size:,} bytes, more than a record of that size "
        f"({MAX_BLOCKS:,} and one per {LINE_BYTES} bytes): lines from {kept + 1:,} on are kept as one text in unpaired"))
