"""Spellings seen across the records of a batch: the corpus evidence for lost characters.

A `?` that neither the other language, the rest of the record nor the glossary explains may be spelt
out whole in other records (`Yiqi-Huoxue` in a dozen records of the same batch). `Spellings` counts, for
every pair of words joined by a character an export can lose (a hyphen, a dash, a special space, `²`,
an accented letter ...), which character joined them. A plain space is too common to count: it is left
to word knowledge; so are number ranges and dates (`18–70`, `2026-03-23`), which each record writes
its own way. Records are counted as they are read, before their own repair, so a repair is
never evidence for the next one; a batch that wants every record to see the whole corpus reads it
twice (`bireg repairs --corpus-evidence` does).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Optional

from .knowledge import fills_at

# A character that can stand between two words and that a GBK export loses: hyphen-minus is ASCII but
# the lost-hyphen rule restores it; everything else outside ASCII, but not Chinese or its punctuation.
_JOINER = re.compile("[-\u00a0-\u2bff\ufb00-\ufb4f]")
MIN_SEEN = 2  # occurrences before a spelling counts as evidence
MAJORITY = 3  # the commonest joiner must be seen this many times as often as any other


class Spellings:
    """Which character joins each pair of words, counted over the records of a batch.

    >>> s = Spellings()
    >>> s.observe(["Yiqi-Huoxue decoction", "the Yiqi-Huoxue method", "Sjögren syndrome"])
    >>> s.fill("yiqi", "huoxue")
    ('-', 2)
    >>> s.fill("sj", "gren") is None  # seen once: not yet evidence
    True
    """

    def __init__(self) -> None:
        self._joiners: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.records = 0

    def observe(self, values: Iterable[str]) -> None:
        """Count the joined word pairs of one record's values (as aligned, before repair)."""
        self.records += 1
        for value in values:
            if not _JOINER.search(value):
                continue  # most values: one C-level scan, no generators to build
            joins = (m.start() for m in _JOINER.finditer(value))
            # dates and number ranges: each record writes them its own way
            joins = (i for i in joins if not (value[i - 1:i].isdigit() and value[i + 1:i + 2].isdigit()))
            for left, right, ch in fills_at(value, joins):
                self._joiners[(left, right)][ch] += 1

    def fill(self, left: str, right: str) -> Optional[tuple[str, int]]:
        """(joiner, times seen) when the batch clearly spells this pair one way, else None."""
        counts = self._joiners.get((left.casefold(), right.casefold()))
        if not counts:
            return None
        (best, n), *rest = counts.most_common(2) + [(None, 0)]
        if n < MIN_SEEN or n < MAJORITY * rest[0][1]:
            return None
        return best, n
