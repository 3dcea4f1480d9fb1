"""Damage left after repair (`?` for a lost character, mojibake), Chinese punctuation in English, stray spaces."""
from __future__ import annotations

import re

from .text import matches, may_hold_url
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
# A `?` between letters, digits or Chinese, a `?` before a digit, or U+FFFD: written to start on `[?\ufffd]`
# (what comes before the `?` looked back at), so re skips to them.
_LOST = re.compile(r"[?\ufffd](?:(?<=[A-Za-z0-9\u3400-\u9fff\uf900-\ufaff]\?)(?=[A-Za-z0-9\u3400-\u9fff\uf900-\ufaff])"
                   r"|(?<![\w?]\?)(?=\d)|(?<=\ufffd))")
# UTF-8 read as cp1252/latin-1 (`Ã©`, `â€™`), or as GBK (`鈥檚`): the marks ftfy looks for.
_MOJIBAKE = re.compile(r"[ÃÂ][\x80-\xbf\u0152-\u2122]|â€|ï¿½|鈥|锛|銆")


# A repair applied below this confidence rests on a general rule of word knowledge (`a lost character
# between two words is most often a hyphen`), not on the record, the glossary or the batch: a guess.
GUESSED_BELOW = 0.9


@field_check("repair-leftover", "error")
def repair_leftover(p, ctx):
    """Damage left in a value after repair (a `?` for a lost character, mojibake), or a lost character only guessed.

    >>> demo("repair-leftover", "PD-1抑制剂", "PD?1 inhibitor")
    ["en: damaged text left after repair: 'PD?1'"]
    >>> demo("repair-leftover", "疗效如何？", "Is it effective? See https://example.org/a?id=3")
    []
    >>> guess = ("en", 12, 21, "asymptomatic?patients", "asymptomatic-patients", "a lost character inside a word run is most often a hyphen", 0.8)
    >>> demo("repair-leftover", "无症状患者", "Adults, all asymptomatic-patients", repairs=(guess,))
    ["en: 'asymptomatic?patients' was repaired to 'asymptomatic-patients' on a guess (a lost character inside a word run is most often a hyphen): check it"]
    >>> sure = ("en", 0, 4, "PD?1", "PD-1", "zh side has 'PD-1'", 0.98)
    >>> demo("repair-leftover", "PD-1抑制剂", "PD-1 inhibitor", repairs=(sure,))
    []
    """
    for side in ("zh", "en"):
        text = getattr(p, side)
        if not _SUSPECT.search(text):
            continue  # no `?`, no replacement character, no mojibake mark: most values
        urls = [m.span() for m in matches(_URL, text)] if may_hold_url(text) else []
        patterns = (_LOST,) * ("?" in text or "\ufffd" in text) + (_MOJIBAKE,) * bool(_MOJIBAKE_MARK.search(text))
        spans = [m.span() for pattern in patterns for m in matches(pattern, text)
                 if not any(a <= m.start() < b for a, b in urls)]
        if spans:
            a, b = _word_around(text, *spans[0])
            shown = text[a:b]
            yield Hit(f"damaged text left after repair: {shown!r}", side,
                      zh_spans=spans if side == "zh" else [], en_spans=spans if side == "en" else [])
    for side, start, end, before, after, evidence, confidence in p.repairs:
        if confidence < GUESSED_BELOW:
            spans = [(start, end)]
            yield Hit(f"{before!r} was repaired to {after!r} on a guess ({evidence}): check it", side,
                      zh_spans=spans if side == "zh" else [], en_spans=spans if side == "en" else [], severity="warning")


_SUSPECT = re.compile(r"[?\ufffdÃÂâï鈥锛銆]")
_MOJIBAKE_MARK = re.compile(r"[ÃÂâï鈥锛銆]")  # what every mojibake mark starts with
_CN_PUNCT = re.compile(r"[，。；：！？（）【】、《》「」『』〔〕…﹏\uff01-\uff5e]")


@field_check("chinese-punctuation", "warning")
def chinese_punctuation(p, ctx):
    """Chinese (full-width) punctuation in the English text: `，` `。` `（` `、` and full-width letters.

    >>> demo("chinese-punctuation", "PD-L1和KRAS CDx检测", "PD-L1、KRAS CDx")
    ["en: Chinese punctuation in the English: '、'"]
    >>> demo("chinese-punctuation", "“假性进展”", 'the misdiagnosis of "pseudoprogression" and “flare”')
    []
    """
    if p.en.isascii() or not p.en.strip() or p.en.strip() == p.zh.strip():
        return  # full-width punctuation is never ASCII
    found = list(matches(_CN_PUNCT, p.en))
    if found:
        shown = " ".join(dict.fromkeys(m.group() for m in found))
        yield Hit(f"Chinese punctuation in the English: {shown!r}", "en", en_spans=[m.span() for m in found])


# Each kind of stray space, its name an empty group closing its branch (`lastgroup`): a doubled blank, a blank before
# punctuation or a full stop, `,x` without its space, `word(Part`. Written to start on one character class (the
# blank, comma or bracket, then looking back at what comes before it), so re skips to those characters instead of
# trying every branch at every one: a fifth of the time on a long English value.
_SPACING = re.compile(r"[ \t,;(](?:(?<=\S[ \t])[ \t]+(?=\S)(?P<double>)|(?<=\w[ \t])[ \t]*(?=[,;:!?])(?P<before>)"
                      r"|(?<=\w ) *(?=\.(?:\s|$))(?P<before_dot>)|(?:(?<=[A-Za-z)\]][,;])|(?<=[A-Za-z)\]] [,;]))(?=[A-Za-z])(?P<after>)"
                      r"|(?<=[a-z]{3}\()(?=[A-Z][a-z])(?P<paren>))")
_SPACING_QUICK = re.compile(r"[,;(](?:(?<=[,;])[A-Za-z]|(?<=[a-z]\()[A-Z])")  # `,x` or `a(B`: starts on a class
_SPACING_WHAT = {"double": "a doubled space", "before": "a space before punctuation", "before_dot": "a space before a full stop",
                 "after": "no space after punctuation", "paren": "no space before a bracket"}


@field_check("spacing", "warning")
def spacing(p, ctx):
    """Doubled or stray spaces in the English: `two  spaces`, `College ,Huazhong`, `Mutant,Locally`, `group(Part A)`.

    >>> demo("spacing", "同济医学院，华中科技大学", "Tongji Medical College ,Huazhong University")
    ["en: a space before punctuation and no space after punctuation at 'College ,Huazhong'"]
    >>> demo("spacing", "剂量1,000 mg", "Dose 1,000 mg, e.g. twice daily (Part A); see www.example.org/a,b")
    []
    """
    en = p.en
    if not ("  " in en or "\t" in en or " ," in en or " ;" in en or " :" in en or " ." in en or " !" in en or " ?" in en
            or _SPACING_QUICK.search(en)):
        return  # plain string tests first: most values have no stray space
    urls = [m.span() for m in matches(_URL, p.en)] if may_hold_url(p.en) else []
    spots: list[list] = []  # touching matches are one spot: `College ,Huazhong` is one stray space
    for m in matches(_SPACING, p.en):
        if any(a <= m.start() < b for a, b in urls):
            continue
        if spots and spots[-1][1] == m.start():
            spots[-1][1] = m.end()
            spots[-1][2].append(m.lastgroup)
        else:
            spots.append([m.start(), m.end(), [m.lastgroup]])
    for a, b, kinds in spots:
        ws, we = _word_around(p.en, a, b)
        what = " and ".join(_SPACING_WHAT[k] for k in kinds)
        yield Hit(f"{what} at {p.en[ws:we]!r}", "en", en_spans=[(a, b)])


def _word_around(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of the words around [a, b): what a reviewer needs to find the spot."""
    s = a
    while s > 0 and text[s - 1] in " \t":
        s -= 1
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    e = b
    while e < len(text) and not text[e].isspace():
        e += 1
    return s, e
