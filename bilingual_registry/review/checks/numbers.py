"""Numbers, ranges, percentages, units, dates and comparison signs that differ between the sides.

Chinese numerals count when a measure word follows them (`三个疗程` is 3, `一线` is no number), read
by cn2an; English number words, ordinals, month names and Roman numerals likewise only ever vouch for
a number the other side writes in digits, never make a mismatch of their own.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Optional

import re

from .text import matches
from .contacts import addresses, contact_spans
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_SIGN = r"(?:[≥≤><≧≦⩾⩽＞＜]=?|[<>]=|＞＝|＜＝)"
# `\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?` with the first digit taken out of both branches: a pattern that
# starts on a character class lets re skip to the digits (a branch is tried at every character)
_DIGITS = re.compile(r"\d(?:\d{0,2}(?:,\d{3})+(?!\d)|\d*(?:\.\d+)?)")
_SIGN_AT_END = re.compile(rf"{_SIGN}$")
_SIGN_CHARS = "≥≤><≧≦⩾⩽＞＜=＝"
_SIGN_LAST = frozenset(_SIGN_CHARS)  # the characters a sign ends on: most numbers have none before them
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SIGNS = {"≧": "≥", "⩾": "≥", ">=": "≥", "＞＝": "≥", "≥=": "≥", "≦": "≤", "⩽": "≤", "<=": "≤", "＜＝": "≤", "≤=": "≤",
          "＞": ">", "＜": "<"}
# English words that say the sign: `at least 18` is ≥18, `over 18` is >18.
_EN_SIGN_WORDS = re.compile(
    r"(?P<w>at least|no less than|not less than|greater than or equal to|more than or equal to|equal to or greater than"
    r"|at most|no more than|not more than|less than or equal to|up to|more than|greater than|over|above|older than"
    r"|exceeding|less than|fewer than|under|below|younger than)\s+(?P<n>\d+(?:\.\d+)?)", re.I)
_EN_SIGN_AFTER = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?:\w+\s+)?(?P<w>or (?:more|older|above|greater|over|higher)|and (?:above|over|older)"
                               r"|or (?:less|younger|below|fewer|lower)|and (?:below|under|younger))\b", re.I)
_WORD_SIGN = {"at least": "≥", "no less than": "≥", "not less than": "≥", "greater than or equal to": "≥",
              "more than or equal to": "≥", "equal to or greater than": "≥", "at most": "≤", "no more than": "≤",
              "not more than": "≤", "less than or equal to": "≤", "up to": "≤", "more than": ">", "greater than": ">",
              "over": ">", "above": ">", "older than": ">", "exceeding": ">", "less than": "<", "fewer than": "<",
              "under": "<", "below": "<", "younger than": "<"}
_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?=个|名|例|次|周|天|日|年|月|岁|组|项|倍|期|疗程|小时|分钟|剂|片|粒|支|毫|克|升|秒|种|类|条|位|级|度|座|楼|层|号)")
_EN_WORDS = {w: str(n) for n, ws in enumerate((
    "zero", "one|once|single|first", "two|twice|second|both|double", "three|thrice|third|triple", "four|fourth", "five|fifth",
    "six|sixth", "seven|seventh", "eight|eighth", "nine|ninth", "ten|tenth", "eleven|eleventh", "twelve|twelfth"))
    for w in ws.split("|")}
_EN_WORDS.update({w: str(n) for n, w in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                                   "august", "september", "october", "november", "december"), 1)})
_EN_WORDS.update({"twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "hundred": "100",
                  "dozen": "12", "half": "0.5"})
_EN_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")\b")
# A number as the glance sees it, as written: its sign, its digits with their decimals and percent, and the
# letter of the code they end (`GV20`, `HER-2`: group 2 or 3); superscripts are digits (`10⁹`). Written to
# start on one character class, branching after it, so re skips to the signs and digits.
_D, _S = rf"[\d{_SUPERSCRIPTS}]", f"[{_SIGN_CHARS}]"
_GLANCE = re.compile(rf"([{_SIGN_CHARS}\d{_SUPERSCRIPTS}](?:(?<={_S}){_S}*\s{{0,2}}{_D}+"
                     rf"|(?<={_D})(?:(?<=([A-Za-z]){_D})|(?<=([A-Za-z])-{_D}))?{_D}*)(?:[.,]{_D}+)*(?:\s?%)?)")
_POWER = re.compile(f"[{_SUPERSCRIPTS}]")
_ANY_DIGIT = re.compile(_D).search  # every number the glance sees holds one: a text without has none
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "Ⅰ": "1", "Ⅱ": "2", "Ⅲ": "3", "Ⅳ": "4", "Ⅴ": "5"}
_ROMAN_TOKEN = re.compile(r"(?<![A-Za-z])(?:I{1,3}|IV|VI?|[ⅠⅡⅢⅣⅤ])(?=[A-C]?(?![A-Za-z]))")
# `10⁹/L`: a superscript power is a digit the other side may write as `10^9` or `10E9`; both read as one number
_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789")


# `1.` `2、` `(3)` `（4）` `①` opening a line or following a sentence: an item number, not a quantity. That is
# `(?:^[ \t]*|(?<=[.;:)] )|(?<=[:。；：）]))` and an item, re.M; written to start on a character class (the
# blank opening a line, or the item's first character, then looking back at what comes before it), re skips
# to those characters instead of trying the pattern at every one: a fifth of the review's number reading.
_ITEM = r"(?:[(（]\d{1,2}[)）]|\d{1,2}[、)）]|\d{1,2}[.．](?=\s*\D|\d{4})|[①-⑳])"
_ITEM_REST = r"(?:(?<=[(（])\d{1,2}[)）]|(?<=\d)\d?[、)）]|(?<=\d)\d?[.．](?=\s*\D|\d{4})|(?<=[①-⑳]))"  # its first taken
_ENUMERATOR = re.compile(r"[ \t(（\d①-⑳](?:(?<=[ \t])(?<![^\n][ \t])[ \t]*" + _ITEM
                         + r"|(?<![ \t])(?:(?<![^\n].)|(?<=[.;:)] .)|(?<=[:。；：）].))" + _ITEM_REST + ")")
_ENUMERATOR_MARK = re.compile(r"[\d①-⑳](?:(?<=[①-⑳])|[、)）.．])")  # what every enumerator holds: most texts have none
# `1 经组织…` `5 ECOG…`: the 2024 pages number the Chinese items with a blank; items when two lines or more do
_SPACED_ITEM = re.compile(r"^[ \t]*\d{1,2}[ \t]+(?=[^\d\s])", re.M)
# A code of letters and digits (`2023AH053193`, `YQYB2024110`, `GV20`, `G12C`): compared whole, not as numbers.
_CODE = re.compile(r"(?<![A-Za-z0-9-])(?:[A-Za-z]{1,8}-?\d[A-Za-z0-9]*|\d+[A-Za-z]+\d[A-Za-z0-9]*)(?:-\d[A-Za-z0-9]*)*")
# What every code holds, a letter before a digit (a hyphen between or not) or a digit before a letter: a
# search that skips to the digits; `_CODE` is tried only where the run around one starts.
_CODE_HINT = re.compile(r"\d(?:(?<=[A-Za-z]\d)|(?<=[A-Za-z]-\d)|[A-Za-z])")
_RUN = re.compile(r"[A-Za-z0-9-]*")  # what a code is made of
_UNIT_TAIL = re.compile(r"^\d+(?:mg|ml|mm|cm|kg|g|h|d|min|x|st|nd|rd|th|s|l|μg|ug)$", re.I)


# `(KI 4)`, `LI 4`: an acupoint's code the English adds after its name
_ACUPOINT = re.compile(r"\b[A-Z]{1,3}[ -]$")


def _blank(m) -> str:
    return " " * len(m.group())


class Num(NamedTuple):
    value: str
    sign: Optional[str]
    percent: bool
    span: tuple[int, int]


def _norm(n: str) -> str:
    n = n.replace(",", "")
    if "." in n:
        n = n.rstrip("0").rstrip(".") or "0"
    return n.lstrip("0") or "0"


def numbers(text: str) -> list[Num]:
    """The numbers a text writes in digits, with the comparison sign before and a percent sign after.

    >>> [(n.value, n.sign, n.percent) for n in numbers("年龄≥18岁，层厚<=1.0mm，95%，1,000例")]
    [('18', '≥', False), ('1', '≤', False), ('95', None, True), ('1000', None, False)]
    """
    signed, percent = not _SIGN_LAST.isdisjoint(text), "%" in text  # most texts have neither: not looked for
    out = []
    for m in _DIGITS.finditer(text):
        a, b = m.span()
        if a > 1 and text[a - 1] in ",." and text[a - 2].isdigit():
            continue  # the tail of `1.2.3` or `1,2345`
        sign = None
        if signed:
            before = text[max(a - 3, 0):a].rstrip()
            if before and before[-1] in _SIGN_LAST and (found := _SIGN_AT_END.search(before)):
                sign = _SIGNS.get(found.group(), found.group())
        n = m.group()
        out.append(Num(n if n[0] != "0" and n.isdigit() else _norm(n), sign,
                       percent and text[b:b + 2].lstrip()[:1] == "%", (a, b)))
    return out


@lru_cache(maxsize=1)
def _converter():
    from cn2an import Cn2An  # one converter: each `cn2an.cn2an()` call builds (and compiles) a new one

    return Cn2An()


@lru_cache(maxsize=4096)
def _cn(run: str) -> Optional[str]:
    try:
        return _norm(str(_converter().cn2an(run, "smart")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _vouched_zh(text: str) -> set[str]:
    """Numbers the Chinese writes in words (`三个疗程`) or Roman numerals (`III期`)."""
    out = {v for m in matches(_CN_NUMERAL, text) if (v := _cn(m.group()))}
    out.update(_ROMAN[m.group()] for m in matches(_ROMAN_TOKEN, text))
    return out


_ONE_UNIT = re.compile(r"\b(?:a|an|the|per|each|every|one)\s+(?:single\s+|past\s+|whole\s+)?(?:month|week|day|year|hour|time|dose|cycle|course)s?\b",
                          re.I)


def _vouched_en(text: str) -> set[str]:
    """Numbers the English writes in words: `three cycles`, `twice`, `June`, `stage III`, `the past month`."""
    out = {_EN_WORDS[w] for w in _EN_NUMBER_WORD.findall(text.casefold())}
    if _ONE_UNIT.search(text):
        out.add("1")
    out.update(_ROMAN[m.group()] for m in matches(_ROMAN_TOKEN, text))
    return out


# Words each sign pattern cannot match without (folded): a plain substring test before the pattern's search.
_SIGN_WORDS_NEED = ("least", "than", "most", "up to", "over", "above", "exceeding", "under", "below")
_SIGN_AFTER_NEED = ("or ", "and ")


def _en_word_signs(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    low = text.casefold()
    for pattern, need in ((_EN_SIGN_WORDS, _SIGN_WORDS_NEED), (_EN_SIGN_AFTER, _SIGN_AFTER_NEED)):
        if not any(w in low for w in need):
            continue
        for m in matches(pattern, text):
            w = " ".join(m.group("w").casefold().split())
            sign = _WORD_SIGN.get(w) or ("≥" if w.split()[1] in ("more", "older", "above", "greater", "over", "higher") else "≤")
            out.setdefault(_norm(m.group("n")), set()).add(sign)
    return out


@field_check("number-mismatch", "error")
def number_mismatch(p, ctx):
    """A number, percentage or comparison sign of one side that the other side does not have (`≥18` vs `>18`).

    >>> demo("number-mismatch", "年龄≥18岁", "Aged >18 years")
    ["en: '≥18' in the Chinese is '>18' in the English"]
    >>> demo("number-mismatch", "治疗5个疗程后，层厚<=1mm", "after 3 treatment cycles, thickness <=1 mm")
    ['en: 5 of the Chinese is not in the English', 'en: 3 of the English is not in the Chinese']
    >>> demo("number-mismatch", "治疗三个疗程后（T1），年龄18~75岁", "after 3 treatment cycles (T1), aged 18-75 years")
    []
    >>> demo("number-mismatch", "2024年6月1日起，每周两次", "from June 1, 2024, twice a week"), demo("number-mismatch", "年龄≥18岁", "aged at least 18")
    ([], [])
    >>> demo("number-mismatch", "1.2023年度重点项目（2023AH053193）", "1. Key Project in 2023 (2023AH05193)", key="funding_sources")
    ["en: 2023AH053193 of the Chinese is '2023AH05193' in the English"]
    >>> demo("number-mismatch", "针刺百会穴，近1个月内未治疗", "acupuncture at Baihui (GV20), no treatment within the past month")
    []
    """
    if p.value_kind == "vocab" or not p.en.strip() or not p.zh.strip():
        return
    if not _ANY_DIGIT(p.zh) and not _ANY_DIGIT(p.en):
        return  # no digit either side: the glance of each is empty (half the fields)
    if ctx.once(_glance, p.zh, ctx) == ctx.once(_glance, p.en, ctx):
        return  # the same numbers both sides, signs and percents as written (words only ever vouch)
    (zh_text, zh_codes, zh), (en_text, en_codes, en) = ctx.once(_read_zh, p.zh), ctx.once(_read_en, p.en)
    for code, span in zh_codes.items():
        if code not in en_codes:
            near = next((p.en[s:e] for c, (s, e) in en_codes.items() if _similar(code, c)), None)
            yield Hit(f"{p.zh[span[0]:span[1]]} of the Chinese is {near!r} in the English" if near else
                      f"{p.zh[span[0]:span[1]]} of the Chinese is not in the English", "en", zh_spans=[span])
    if not zh and not en:
        return
    zh_values, en_values = {n.value for n in zh}, {n.value for n in en}
    if not zh_values <= en_values:
        en_values_all = en_values | _vouched_en(en_text)
        for n in _first_each(zh):
            if n.value not in en_values_all:
                yield Hit(f"{n.value} of the Chinese is not in the English", "en", zh_spans=[n.span])
    zh_all = zh_values | _vouched_zh(zh_text) if not en_values <= zh_values else zh_values
    for n in _first_each(en):
        if n.value not in zh_all and not _ACUPOINT.search(en_text[max(n.span[0] - 4, 0):n.span[0]]):
            # an address's English often adds a postcode or a floor: said, not warned
            yield Hit(f"{n.value} of the English is not in the Chinese", "en", en_spans=[n.span],
                      severity="info" if p.has("place") else "warning")
    # signs: compared where both sides say one for the same number
    zh_signs = _signs(zh)
    en_signs = _signs(en)
    unsaid = zh_signs and any(v not in en_signs for v in zh_signs)  # words only fill in signs the symbols leave out
    for value, words in (_en_word_signs(en_text) if unsaid else {}).items():
        en_signs.setdefault(value, set()).update(words)
    for value, signs in zh_signs.items():
        theirs = en_signs.get(value)
        if theirs and not (signs & theirs):
            zspan = next(n.span for n in zh if n.value == value and n.sign)
            espan = next((n.span for n in en if n.value == value), (0, 0))
            yield Hit(f"'{min(signs)}{value}' in the Chinese is '{min(theirs)}{value}' in the English", "en",
                      zh_spans=[(zspan[0] - 1, zspan[1])], en_spans=[espan])
    # percentages
    zh_pct = {n.value for n in zh if n.percent}
    en_pct = {n.value for n in en if n.percent} | ({n.value for n in en} if "percent" in p.en.casefold() else set())
    for n in _first_each(zh):
        if n.percent and n.value in en_values and n.value not in en_pct:
            yield Hit(f"{n.value}% of the Chinese has no percent sign in the English", "en", zh_spans=[n.span])
    for n in _first_each(en):
        if n.percent and n.value in zh_values and n.value not in zh_pct and "百分" not in p.zh:
            yield Hit(f"{n.value}% of the English has no percent sign in the Chinese", "en", en_spans=[n.span])


def _glance(text: str, ctx=None) -> frozenset[tuple[str, str, str]]:
    """The numbers of a text outside its e-mails and URLs, as written: two sides that write the same ones
    agree, and most pairs do (a value's digits mostly sit in its addresses, doses and ages). One search.

    >>> sorted(_glance("年龄≥18岁，HER-2阳性，联系 trial31@example.org，10⁹/L，95 %")) == sorted(_glance("Aged ≥18, HER-2 positive, 10⁹/L, 95 %"))
    True
    >>> _glance("GV20") == _glance("GB20"), _glance("年龄≥18岁") == _glance("aged >18"), _glance("10⁹") == _glance("10⁸")
    (False, False, False)
    """
    mails, urls = ctx.once(addresses, text) if ctx else addresses(text)  # contact-mismatch's, read once
    return frozenset(_GLANCE.findall(_blank_spans(text, mails + urls)))


class Reading(NamedTuple):
    """A side's numbers as the check compares them: its text with item numbers, e-mails, URLs and codes
    blanked (spans stay true), its codes (folded: span) and its numbers."""

    text: str
    codes: dict[str, tuple[int, int]]
    numbers: list[Num]


def _read(text: str, zh: bool) -> Reading:
    # list item numbers are `list-items`' to compare and codes are compared whole: both blanked
    text = _unpower(text)
    if _ENUMERATOR_MARK.search(text):
        text = _ENUMERATOR.sub(_blank, text)
    if zh and "\n" in text and len(_SPACED_ITEM.findall(text)) >= 2:  # two items: two lines at least
        text = _SPACED_ITEM.sub(_blank, text)
    text = _blank_spans(text, contact_spans(text))
    codes = _codes(text)
    text = _blank_spans(text, codes.values())
    return Reading(text, codes, numbers(text))


def _read_zh(text: str) -> Reading:
    return _read(text, True)


def _read_en(text: str) -> Reading:
    return _read(text, False)


def _codes(text: str) -> dict[str, tuple[int, int]]:
    """The text's codes (folded: span). A code starts where a run of letters, digits and hyphens does
    (`_CODE`'s look-behind), and holds a letter next to a digit: only the runs around such a pair, which
    a search skips to, are tried (`_CODE` alone is tried at every character of the text)."""
    out: dict[str, tuple[int, int]] = {}
    hint = _CODE_HINT.search(text)
    if hint is None:
        return out
    backwards, size = text[::-1], len(text)
    while hint is not None:
        at = hint.start()
        start = at - (_RUN.match(backwards, size - at).end() - (size - at))
        m = _CODE.match(text, start)
        if m is not None:
            code = m.group()
            letters = [c for c in code if c.isalpha()]
            # a code has capitals (`GV20`, `2023AH053193`) or few letters (`C2`); `peptide-1` is a word and a number
            if not _UNIT_TAIL.match(code) and (len(letters) <= 2 or any(c.isupper() for c in letters)):
                out.setdefault(code.casefold().replace("-", ""), m.span())
        hint = _CODE_HINT.search(text, _RUN.match(text, at).end())  # one code a run at most
    return out


def _similar(a: str, b: str) -> bool:
    """Two codes one or two characters apart: `2023ah053193` and `2023ah05193`."""
    import difflib

    return abs(len(a) - len(b)) <= 2 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _unpower(text: str) -> str:
    if text.isascii():
        return text
    for ch in set(_POWER.findall(text)):  # `10⁹` as `109`: the few superscripts there are, replaced one by one
        text = text.replace(ch, ch.translate(_SUPERSCRIPT))
    return text


def _blank_spans(text: str, spans) -> str:
    """The text with blanks over these spans (in any order, overlapping or not), pieced together."""
    if not spans:
        return text
    pieces, done = [], 0
    for a, b in sorted(spans):
        if b > done:
            a = max(a, done)
            pieces += (text[done:a], " " * (b - a))
            done = b
    pieces.append(text[done:])
    return "".join(pieces)


def _first_each(nums: list[Num]) -> list[Num]:
    seen: dict[str, Num] = {}
    for n in nums:
        seen.setdefault(n.value, n)
    return list(seen.values())


def _signs(nums: list[Num]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n in nums:
        if n.sign:
            out.setdefault(n.value, set()).add(n.sign)
    return out
