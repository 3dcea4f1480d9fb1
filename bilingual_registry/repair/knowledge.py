"""What the repair rules know beyond the record: glossary spellings, controlled values, word lists.

Read straight from glossary/terms.tsv, glossary/vocab.tsv and glossary/words.tsv (the words the
lost-character prior reads: institution head words, prefixes, function words ...) and glossary/bounds.tsv
(what a criterion bounds which way: a life expectancy from below, an ECOG status from above) with a small loader of our own, so a file
that is missing or still being written only means less evidence, never an error.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

import regex

from ..glossary.tables import data_table, split_cell, word_kinds

# The characters that make up a word for the lost-character rules: Latin and Greek letters and digits.
WORD = r"[\p{Latin}\p{Greek}\p{N}]"
_WORD = regex.compile(WORD)


_IS_WORD: dict[str, bool] = {}


def is_word(ch: str) -> bool:
    known = _IS_WORD.get(ch)
    if known is None:
        known = _IS_WORD[ch] = _WORD.match(ch) is not None
    return known


# A character an export could have turned into `?`: anything outside ASCII but Han, ？ and the ideographic
# space, and our two ASCII policy characters (a lost hyphen is restored as `-`, a lost space as ` `).
_LOSABLE = regex.compile(r"[- ]|[^\x00-\x7f？\u3000\p{Han}]")


def could_be_lost(ch: str) -> bool:
    """Whether an export could have turned this character into `?`.

    >>> [could_be_lost(c) for c in "-a ö中？"]
    [True, False, True, True, False, False]
    """
    return _LOSABLE.match(ch) is not None


# A run of word characters, and one read backwards (to where it starts): one class, linear, no time limit.
_RUN = regex.compile(WORD + "*")
_RUN_BEFORE = regex.compile(WORD + "*", regex.REVERSE)


def word_runs(text: str, i: int) -> tuple[int, int]:
    """The span of word characters around position i (which is itself skipped): (start, end). Two matches,
    not a Python call per character.

    >>> word_runs("PD?L1 and", 2), word_runs("?x", 0), word_runs("ab?", 2)
    ((0, 5), (0, 2), (0, 3))
    """
    return _RUN_BEFORE.match(text, 0, i).start(), _RUN.match(text, i + 1).end()


# In ASCII only a hyphen or a space can be lost, and only between two words (neither is a word character):
# each with the word run before it and the one after, found in one pass of `re`.
_ASCII_GAP = re.compile(r"([A-Za-z0-9]*)([- ])(?=([A-Za-z0-9]*))")


def fill_keys(spelling: str):
    """(left word, right word, character) for each character of a spelling that could be lost.

    >>> list(fill_keys("Kaplan-Meier"))
    [('kaplan', 'meier', '-')]
    >>> list(fill_keys("Sjögren"))
    [('sj', 'gren', 'ö')]
    >>> list(fill_keys("(PD-1) x--y z- w"))  # a run stops at a bracket; a gap needs a word on both sides
    [('pd', '1', '-'), ('y', 'z', ' ')]
    """
    if spelling.isascii():  # 2 in 3 of the 5,000 spellings read at start-up: one `re` pass, no loop per character
        return [(left.lower(), right.lower(), ch) for left, ch, right in _ASCII_GAP.findall(spelling) if left and right]
    return fills_at(spelling, (m.start() for m in _LOSABLE.finditer(spelling)))


def fills_at(text: str, positions: Iterable[int]):
    """(left word, right word, character) for each position whose character joins two words, or ends a
    word while being a word character itself (`m²`); words folded for lookup."""
    for i in positions:
        ch = text[i]
        start, end = word_runs(text, i)
        left, right = text[start:i], text[i + 1:end]
        if (left and right) or ((left or right) and is_word(ch)):
            yield left.casefold(), right.casefold(), ch


@dataclass
class Knowledge:
    """Glossary evidence: which character fills a gap between two words, and the controlled values."""

    fills: dict[tuple[str, str], str] = field(default_factory=dict)
    vocab: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (field key, side) -> values
    # glossary/words.tsv: kind (institution, name-end, prefix, suffix, function, particle, before-number) -> words
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    # glossary/bounds.tsv, for a lost ≥ or ≤: (cue, sign, largest number it applies to or None,
    # what must follow the number or None, why)
    bounds: tuple[tuple[str, str, Optional[float], Optional[regex.Pattern], str], ...] = ()

    def __post_init__(self):
        # per field key, each side with a vocabulary: (side, entries, entries as a set for membership)
        controlled: dict[str, list[tuple[str, tuple[str, ...], frozenset[str]]]] = defaultdict(list)
        for (key, side), entries in self.vocab.items():
            controlled[key].append((side, entries, frozenset(entries)))
        self.controlled = {key: tuple(sides) for key, sides in controlled.items()}

    def of(self, kind: str) -> frozenset[str]:
        """The words of one kind in glossary/words.tsv (folded); none when the file is not there."""
        return self.words.get(kind, frozenset())

    @classmethod
    def from_rows(cls, terms: list[dict], vocab: list[dict], words: list[dict] | None = None,
                  bounds: list[dict] | None = None) -> "Knowledge":
        votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for row in terms:
            forbidden = set(split_cell(row.get("forbidden")))
            # the preferred spelling outweighs the variants the glossary also accepts (`meta analysis`)
            spellings = [(row.get("en") or "", 2), (row.get("zh") or "", 2),
                         *((v, 1) for v in split_cell(row.get("en_variants")) + split_cell(row.get("abbreviations")))]
            for s, weight in spellings:
                if s and s not in forbidden:
                    for left, right, ch in fill_keys(s):
                        votes[(left, right)][ch] += weight
        word_rows = words if words is not None else data_table("words.tsv")
        for row in word_rows:  # names spelt whole (`Yat-sen`): evidence like a term's spelling
            if row.get("kind") == "spelling" and row.get("word"):
                for left, right, ch in fill_keys(row["word"]):
                    votes[(left, right)][ch] += 2
        fills = {}
        for key, counter in votes.items():
            if len(counter) == 1:  # one character fills this gap in every spelling: most gaps
                fills[key] = next(iter(counter))
                continue
            (best, n), *rest = counter.most_common(2) + [(None, 0)]
            if n > rest[0][1]:  # a tie between spellings is no evidence
                fills[key] = best
        values: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in vocab:
            key = row.get("field") or ""
            for side, cells in (("zh", [row.get("zh")]), ("en", [row.get("en"), *split_cell(row.get("en_variants"))])):
                for v in cells:
                    if v and v not in values[(key, side)]:
                        values[(key, side)].append(v)
        cues = tuple((row["cue"], row["sign"], float(row["up_to"]) if row.get("up_to") else None,
                      regex.compile(row["followed_by"]) if row.get("followed_by") else None, row.get("source") or "")
                     for row in (bounds if bounds is not None else data_table("bounds.tsv"))
                     if row.get("cue") and row.get("sign") in ("≥", "≤"))
        return cls(fills, {k: tuple(v) for k, v in values.items()}, word_kinds(word_rows), cues)


@lru_cache(maxsize=None)
def default_knowledge() -> Knowledge:
    """The glossary as the repair rules use it (read once per process)."""
    return Knowledge.from_rows(data_table("terms.tsv"), data_table("vocab.tsv"), data_table("words.tsv"),
                               data_table("bounds.tsv"))


# Accented names medical English uses, for a lost accented letter with no other evidence.
ACCENTED = ("Sjögren", "Behçet", "Ménière", "Guillain-Barré", "Barré", "Müller", "Löffler", "Grönblad",
            "Bézier", "Hürthle", "Schönlein", "Friedländer", "Waldenström", "Ångström", "naïve", "café")
