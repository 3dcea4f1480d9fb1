"""Look-alike characters in controlled values: `0thers` is the vocabulary entry `Others`.

A value that is not an entry of its field's vocabulary but matches exactly one entry once look-alike
characters are folded (digit 0 and letter O, digit 1 and letter l, Cyrillic and Greek letters that look
Latin, full-width letters) is that entry. A case-only difference is not a look-alike and stays. A `?` the export put for a lost character is
filled from the one entry that differs from the value only there (`Prospective?registration`).
"""
from __future__ import annotations

import unicodedata
from typing import Optional

from .lost import rule_for
from .text import Fix

_SAME = {
    "0": "o", "O": "o", "1": "l", "I": "l", "|": "l",
    # Cyrillic that looks Latin
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t",
    "Х": "x", "І": "l",
    # Greek that looks Latin
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "l", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "ο": "o", "ν": "v",
}


def _shape(ch: str) -> str:
    ch = unicodedata.normalize("NFKC", ch)
    return _SAME.get(ch, ch.lower())


def _signature(text: str) -> str:
    return "".join(_shape(ch) for ch in text)


_INDEXES: dict[int, tuple[tuple[str, ...], dict[str, list[str]], dict[tuple[str, str], Optional[Fix]]]] = {}
_KNOWN = 4096  # answers kept per vocabulary: records repeat the same few values


def _index(entries: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, list[str]], dict]:
    """Entries by their folded shape, built once per vocabulary: a value is compared with few, not all;
    with the answers given so far, so a value seen before costs one look-up."""
    cached = _INDEXES.get(id(entries))
    if cached is None or cached[0] is not entries:
        index: dict[str, list[str]] = {}
        for e in entries:
            index.setdefault(_signature(e), []).append(e)
        cached = _INDEXES[id(entries)] = (entries, index, {})
    return cached


def _filled(at: int, text: str, entries: tuple[str, ...], field: str) -> Optional[Fix]:
    """The one entry equal to the text but where the text has a `?`: the lost characters, read from the
    vocabulary (a field's entries are the strongest evidence of how its value is spelt)."""
    fits = {e for e in entries if len(e) == len(text) and all(a == b or a == "?" for a, b in zip(text, e))}
    if len(fits) != 1:
        return None
    entry = fits.pop()
    return Fix(at, text, entry, rule_for(entry[text.index("?")]), f"the {field} vocabulary has '{entry}'", 0.95)


def _looks_like(value: str, entry: str) -> bool:
    if len(value) != len(entry) or value == entry:
        return False
    for a, b in zip(value, entry):
        if a == b:
            continue
        if _shape(a) != _shape(b):
            return False
        folded = unicodedata.normalize("NFKC", a)
        if folded != b and folded.lower() == b.lower() and _SAME.get(folded) is None:
            return False  # only the case differs: not a look-alike
    return True


def lookalike(value: str, entries: tuple[str, ...], field: str) -> Optional[Fix]:
    """The vocabulary entry a damaged controlled value stands for.

    >>> lookalike("0thers", ("Others", "Destruction after use"), "fate")[1:4]
    ('0thers', 'Others', 'lookalike')
    >>> lookalike("Вoth", ("Both", "Male"), "gender")[2]  # Cyrillic В
    'Both'
    >>> lookalike("others", ("Others",), "fate") is None  # case only: left alone
    True
    >>> lookalike("Others", ("Others",), "fate") is None
    True
    >>> lookalike("Prospective?registration", ("Prospective registration", "Retrospective registration"), "registration_status")[2:4]
    ('Prospective registration', 'lost-space')
    >>> lookalike("Non?randomized", ("Non-randomized", "Non randomized"), "allocation") is None  # two entries fit
    True
    """
    _, index, known = _index(entries)
    if (value, field) in known:
        return known[(value, field)]
    fix = None
    text = value.strip()
    if text and text not in entries:
        hits = [e for e in index.get(_signature(text), ()) if _looks_like(text, e)]
        if len(set(hits)) == 1:
            fix = Fix(value.index(text), text, hits[0], "lookalike",
                      f"'{hits[0]}' is the {field} vocabulary entry it resembles", 0.95)
        elif not hits and "?" in text:
            fix = _filled(value.index(text), text, entries, field)
    if len(known) >= _KNOWN:
        known.clear()
    known[(value, field)] = fix
    return fix
