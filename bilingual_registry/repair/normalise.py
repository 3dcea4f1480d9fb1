"""Normalisation that changes no meaning, recorded like any repair.

Full-width letters and digits in English text, stray HTML entities, the Unicode line and paragraph
separators, and zero-width characters. Chinese punctuation and traditional characters are left as
they are: they are the text, not damage.
"""
from __future__ import annotations

import html
import re
import unicodedata

from ..patterns import has_han
from .text import Fix

# Character classes and bounded runs: linear, so the standard library's `re`, with no time limit to pay for.
_FULLWIDTH = re.compile(r"[\uff01-\uff1e\uff20-\uff5e]+")  # not ？ (U+FF1F): a Chinese question mark stays
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
_ENTITY = re.compile(r"&(?:amp;)*(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_SEPARATORS = re.compile(r"[\u2028\u2029]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]+")
# Cheap checks first, with no timeout to pay: most values a rule is run on have nothing for it.
_ANY_FULLWIDTH = re.compile(r"[\uff01-\uff1e\uff20-\uff5e]")
_ANY_INVISIBLE = re.compile(r"[\u2028\u2029\u200b\u200c\u200d\u2060\ufeff]")


def fullwidth(value: str, side: str) -> list[Fix]:
    """Full-width ASCII in English text, folded to ASCII.

    >>> [f[1:3] for f in fullwidth("ＰＤ－１ inhibitor", "en")]
    [('ＰＤ－１', 'PD-1')]
    >>> fullwidth("患者（≥18岁）；ＰＤ－１", "zh")
    []
    """
    if side != "en" or not _ANY_FULLWIDTH.search(value):
        return []
    pattern = _FULLWIDTH_ALNUM if has_han(value) else _FULLWIDTH
    return [Fix(m.start(), m.group(0), unicodedata.normalize("NFKC", m.group(0)), "fullwidth-ascii",
                "full-width letters, digits or signs in English text", 0.99)
            for m in pattern.finditer(value)]


def entities(value: str) -> list[Fix]:
    """Stray HTML entities left by a copy of the page: `&nbsp;` is a space, `&amp;` is `&`.

    >>> [f[1:3] for f in entities("a&nbsp;b &amp; c&#8805;18 d&amp;amp;lt;")]
    [('&nbsp;', ' '), ('&amp;', '&'), ('&#8805;', '≥'), ('&amp;amp;lt;', '<')]
    >>> entities("R&D; AT&T")
    []
    """
    if "&" not in value or ";" not in value:
        return []
    fixes = []
    for m in _ENTITY.finditer(value):
        text = m.group(0)
        while "&" in text and html.unescape(text) != text:  # escaped more than once: `&amp;nbsp;`
            text = html.unescape(text)
        if text == m.group(0):
            continue
        if text == "\u00a0":
            edge = m.start() == 0 or m.end() == len(value)
            text = "" if edge else " "
        fixes.append(Fix(m.start(), m.group(0), text, "html-entity", f"{m.group(0)} is an HTML entity", 0.95))
    return fixes


def invisibles(value: str) -> list[Fix]:
    """Line/paragraph separators become line breaks; zero-width characters go.

    >>> [f[1:4] for f in invisibles("a\\u2028b\\u200bc")]
    [('\\u2028', '\\n', 'line-separator'), ('\\u200b', '', 'zero-width')]
    """
    if not _ANY_INVISIBLE.search(value):
        return []
    fixes = [Fix(m.start(), m.group(0), "\n", "line-separator", "U+2028/U+2029 is a line break", 0.99)
             for m in _SEPARATORS.finditer(value)]
    fixes += [Fix(m.start(), m.group(0), "", "zero-width", "zero-width characters carry nothing", 0.99)
              for m in _ZERO_WIDTH.finditer(value)]
    return sorted(fixes)
