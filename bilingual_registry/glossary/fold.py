"""Folding text for matching without rewriting it: each view (zh, en, abbr) keeps the way back to the
original offsets. NFKC width folding, OpenCC traditional->simplified, case folding, dash/space unification.
No file is read here and jieba is never imported (review folds and matches on its own).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import Optional

# Patterns run over whole records are plain character classes for `re` (linear, no backtracking,
# several times faster than `regex` here): Han ideographs, and the marks and jamo NFKC may combine.
_HAN_CLASS = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_SPACES = re.compile(f"(?<=[{_HAN_CLASS}]) +| +(?=[{_HAN_CLASS}])")


def composes(ch: str) -> bool:
    """A character NFKC may join to its neighbour: a combining mark (Unicode category M) or a Hangul
    jamo (conjoining, compatibility or half-width)."""
    o = ord(ch)
    return (unicodedata.category(ch)[0] == "M" or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F
            or 0xA960 <= o <= 0xA97F or 0xD7B0 <= o <= 0xD7FF or 0xFFA0 <= o <= 0xFFDC)


@lru_cache(maxsize=1)
def composing_class() -> str:
    """Every character of the BMP that `composes`, as the ranges of a pattern's class (`[...]` without
    the brackets): what another class adds its own characters to."""
    ranges: list[list[int]] = []
    for c in range(0x10000):
        if composes(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@lru_cache(maxsize=1)
def _composing() -> re.Pattern:
    """Every character of the BMP that `composes`, as one class.

    A bitmap class of the BMP keeps `re` fast; texts beyond the BMP take the slow, exact per-character path.
    """
    return re.compile(f"[{composing_class()}]")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad\u2043\ufe63\ufe58\uff0d"
_BLANKS = "\t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'}

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, int]:
    """Character-level OpenCC t2s as a translate table: one to one, so offsets stay exact and it runs in C.

    Built once by converting every CJK ideograph through OpenCC's own t2s dictionaries.
    """
    import opencc

    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # pragma: no cover - OpenCC never merges lines
        return {}
    return {ord(a): ord(b) for a, b in zip(chars, out) if len(b) == 1 and a != b}


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters t2s would change: most texts have none, and then the t2s pass is skipped."""
    return frozenset(chr(c) for c in _t2s_table())


@lru_cache(maxsize=None)
def _table(kind: str) -> tuple[tuple[str, str], ...]:
    """Per-view one-to-one replacements: blanks, quotes, and dashes (to `-`, or to a blank for 'en')."""
    table = {c: " " for c in _BLANKS}
    table.update(_QUOTES)
    table.update({c: " " if kind == "en" else "-" for c in _DASHES})
    if kind == "en":
        table.update({c: " " for c in "-/_"})
    return tuple(table.items())


def _replace(text: str, kind: str) -> str:
    """Apply the view's one-to-one map; a few C-speed replaces beat str.translate on non-ASCII text."""
    for old, new in _table(kind):
        if old in text:
            text = text.replace(old, new)
    if kind == "zh" and not _traditional().isdisjoint(text):
        text = text.translate(_t2s_table())
    return text


class _View:
    """Folded text plus the way back to original offsets.

    `index` maps view positions to original ones when a step changed lengths; `cut_at`/`cut_shift`
    record spans removed afterwards (blanks next to Han in the zh view), as sorted (view_pos, shift) pairs.
    """

    __slots__ = ("text", "index", "cut_at", "cut_shift")

    def __init__(self, text: str, index: Optional[list[int]] = None):
        self.text = text
        self.index = index
        self.cut_at: list[int] = []
        self.cut_shift: list[int] = []

    def orig(self, pos: int) -> int:
        if self.cut_at:
            k = bisect.bisect_right(self.cut_at, pos) - 1
            if k >= 0:
                pos += self.cut_shift[k]
        return self.index[pos] if self.index is not None else pos

    def squeeze(self, pattern: re.Pattern, keep: str) -> None:
        """Replace each match of `pattern` with `keep` ('' or ' '), remembering the shifts."""
        pieces, last, shift = [], 0, 0
        for m in pattern.finditer(self.text):
            pieces += [self.text[last:m.start()], keep]
            # view positions from the end of this piece on sit `shift` further along the old text
            self.cut_at.append(m.start() - shift + len(keep))
            shift += m.end() - m.start() - len(keep)
            self.cut_shift.append(shift)
            last = m.end()
        if pieces:
            pieces.append(self.text[last:])
            self.text = "".join(pieces)


def _per_char(text: str, fn) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = fn(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def _nfkc(text: str) -> tuple[str, Optional[list[int]]]:
    """NFKC width folding, with an offset index only when a character changed length."""
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    normal = unicodedata.normalize("NFKC", text)
    # width folding is one to one; only marks, jamo and compatibility expansions move offsets
    if len(normal) == len(text) and not _ASTRAL.search(text) and not _composing().search(text):
        return normal, None
    return _per_char(text, lambda c: unicodedata.normalize("NFKC", c))


def _casefold(text: str, index: Optional[list[int]]) -> tuple[str, Optional[list[int]]]:
    folded = text.casefold()
    if len(folded) == len(text):
        return folded, index
    folded, idx = _per_char(text, str.casefold)
    return folded, idx if index is None else [index[i] for i in idx]


def _finish(text: str, index: Optional[list[int]], kind: str) -> _View:
    view = _View(_replace(text, kind), index)
    if kind == "zh":  # Chinese writers space Latin words off at will: `PD-1 抑制剂` is `PD-1抑制剂`
        view.squeeze(_HAN_SPACES, "")
    return view


def fold(text: str, kind: str) -> _View:
    """Fold text for matching: 'zh' (t2s, blanks next to Han dropped), 'en' (dashes to blanks) or 'abbr'.

    >>> fold("ＰＤ－１ 抑制劑", "zh").text
    'pd-1抑制剂'
    >>> fold("Progression‑Free Survival", "en").text
    'progression free survival'
    >>> fold("ＰＤ－Ｌ１", "abbr").text
    'PD-L1'
    """
    base = _nfkc(text)
    return _finish(*(base if kind == "abbr" else _casefold(*base)), kind)


def fold_text(text: str, kind: str) -> str:
    """`fold(text, kind).text` without the way back to offsets, for a text only searched in (a third
    cheaper: no view, no index).

    >>> all(fold_text(t, k) == fold(t, k).text for t in ("ＰＤ－１ 抑制劑", "Progression‑Free  Survival", "Cafe\u0301")
    ...     for k in ("zh", "en", "abbr"))
    True
    """
    base = _nfkc(text)[0]
    folded = _replace(base if kind == "abbr" else base.casefold(), kind)
    return _HAN_SPACES.sub("", folded) if kind == "zh" else folded


def _views(text: str) -> dict[str, _View]:
    """All three views of a text, sharing the NFKC and case-folding passes."""
    base = _nfkc(text)
    lower = _casefold(*base)
    return {"zh": _finish(*lower, "zh"), "en": _finish(*lower, "en"), "abbr": _finish(*base, "abbr")}


def _key(text: str, kind: str) -> str:
    key = fold(text, kind).text
    return " ".join(key.split()) if kind != "zh" else key


def _plurals(key: str) -> list[str]:
    """Plural forms of an English key's last word (`cancer` -> `cancers`, `therapy` -> `therapies`)."""
    if not key or not key[-1].isalpha() or not key.isascii():
        return []
    head, _, last = key.rpartition(" ")
    if len(last) < 3:
        return []
    if last.endswith("y") and last[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [(head + " " + f) if head else f for f in forms]

