"""English spelling of ordinary words (glossary words, pinyin and acronyms never flagged); institutions in lower case."""
from __future__ import annotations

from functools import lru_cache
from string import ascii_lowercase
from typing import Optional

import re

from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)
from .text import frequent_words, matches, word_frequency

# five letters or more (`msec` is no typo), not inside a word, an address or a path; starts on a class
_WORD = re.compile(r"[A-Za-z](?<![\w'’@./-][A-Za-z])[a-z]{4,}(?![\w@/]|\.\w)")
RARE = 3.0  # Zipf frequency below which a word may be a misspelling ...
COMMON = 4.0  # ... of a word one edit away at least this common (`hostipal` → `hospital`)
KNOWN = 1.0  # a word this frequent is a word (`measurers`, `fortunei`): flagged only as two letters swapped


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(to_normal(s).replace("ü", "v") for v in pinyin_dict.values() for s in v.split(","))


@lru_cache(maxsize=16384)
def is_pinyin(word: str) -> bool:
    """True when a word is a run of pinyin syllables: a Chinese name or place (`Qingyang`, `Xiangya`).

    >>> is_pinyin("Qingyang"), is_pinyin("Xiangya"), is_pinyin("hostipal")
    (True, True, False)
    """
    w = word.casefold()
    syl = _pinyin_syllables()
    ok = [True] + [False] * len(w)
    for i in range(1, len(w) + 1):
        ok[i] = any(ok[j] and w[j:i] in syl for j in range(max(0, i - 6), i))
    return ok[-1]


def _glossary_words(ctx) -> frozenset[str]:
    got = ctx.cache.get("glossary_words")
    if got is None:
        words = set()
        for t in ctx.glossary.terms:
            for form in (t.en, *t.en_variants, *t.abbreviations):
                words.update(w.casefold() for w in re.findall(r"[A-Za-z]+", form))
        for v in ctx.glossary.vocab:
            for form in (v.en, v.plain_en, *v.en_variants):
                words.update(w.casefold() for w in re.findall(r"[A-Za-z]+", form))
        got = ctx.cache["glossary_words"] = frozenset(words)
    return got


def edits_of(w: str, freq: float) -> set[str]:
    """The words a typo may be of: two letters swapped; for a word English hardly knows, also one letter
    dropped (not at the end), changed or added, or two letters one or two apart swapped."""
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    edits = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    if freq < KNOWN:
        # not at the end: `cerebra`/`cerebral` and `fortunei`/`fortune` are other words' endings, not typos
        edits |= {a + b[1:] for a, b in splits[:-2] if b}
        edits |= {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase}
        edits |= {a + c + b for a, b in splits[:-1] for c in ascii_lowercase}
        edits |= {w[:i] + w[j] + w[i + 1:j] + w[i] + w[j + 1:] for i in range(len(w)) for j in range(i + 2, min(i + 4, len(w)))}
    edits.discard(w)
    return edits


@lru_cache(maxsize=32768)
def correction(word: str) -> Optional[str]:
    """The common word a rare one is a typo of (one letter dropped, added or changed, or two near letters swapped), or None.

    >>> correction("hostipal"), correction("recieved"), correction("hosptial")
    ('hospital', 'received', 'hospital')
    >>> correction("pembrolizumab"), correction("randomised"), correction("tonify"), correction("cerebra"), correction("measurers")
    (None, None, None, None, None)
    """
    w = word.casefold()
    freq = word_frequency(w)
    if freq >= RARE:
        return None
    common = frequent_words(COMMON)  # only a common word can be the one meant
    edits = [e for e in edits_of(w, freq) if e in common]  # in the set's order: ties fall as over all the edits
    if not edits:
        return None
    best = max(edits, key=word_frequency)
    return best if word_frequency(best) >= COMMON and word_frequency(best) - freq >= 2.0 else None


def _rare_words(en: str) -> list:
    """The words of an English text (five letters or more) too rare to be sure of, in order: most words
    are common, so the words are set against the frequent ones in C."""
    words = list(_WORD.finditer(en))
    rare = set(map(str.lower, map(re.Match.group, words))) - frequent_words(RARE)  # ASCII: lower is casefold
    return [m for m in words if m.group().lower() in rare] if rare else []


@field_check("spelling", "warning")
def spelling(p, ctx):
    """An ordinary English word misspelt (`hostipal`); glossary words, pinyin, names and the Chinese's Latin never flagged.

    >>> demo("spelling", "南昌大学第一附属医院", "The first affiliated hostipal of nanchang university", key="institution")
    ["en: 'hostipal' looks misspelt: 'hospital'"]
    >>> demo("spelling", "培美曲塞", "pemetrexed and pembrolizumab with peritumoral radiomic features")
    []
    >>> demo("spelling", "产生随机序列", "generates the random sequnece"), demo("spelling", "和平路", "heping road")
    (["en: 'sequnece' looks misspelt: 'sequence'"], [])
    """
    if not p.en.strip() or p.has("person-name"):
        return
    suspects = ctx.once(_rare_words, p.en)
    if not suspects:
        return
    gloss = _glossary_words(ctx)
    zh = p.zh.casefold()
    read_as = None  # the Chinese in pinyin, read when a word looks like pinyin
    for m in suspects:
        word = m.group()
        low = word.casefold()
        if low in gloss or low in zh:
            continue
        fix = correction(word)  # first: it is remembered across reviews; the pinyin of a long Chinese text is not
        if not fix:
            continue
        if is_pinyin(low):
            if word[0].isupper():
                continue  # a name or a place
            if read_as is None:
                from .places import usual_pinyin

                read_as = ctx.once(usual_pinyin, p.zh)  # the Chinese recurs with other English
            if low in read_as:
                continue  # pinyin of the Chinese beside it; `sequnece` reads as pinyin too, of nothing there
        fix = fix.capitalize() if word[0].isupper() else fix
        yield Hit(f"{word!r} looks misspelt: {fix!r}", "en", en_spans=[m.span()], suggestion=fix)


_MINOR = frozenset("of and the for in at on to with de la du des et".split())
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")  # `Yat-sen` is one word


@field_check("institution-case", "warning")
def institution_case(p, ctx):
    """An institution's name with its words in lower case (`hunan cancer hospital`, `Wuxi people’s Hospital`).

    >>> demo("institution-case", "湖南省肿瘤医院", "hunan cancer hospital", key="institution")
    ["en: the institution's name has words in lower case: 'hunan', 'cancer', 'hospital'"]
    >>> demo("institution-case", "复旦大学附属中山医院", "Zhongshan Hospital, Fudan University", key="institution")
    []
    >>> demo("institution-case", "广州医科大学附属第一医院", "THE FIRST AFFILIATED HOSPITAL OF GUANGZHOU MEDICAL UNIVERSITY", key="institution")
    []
    """
    if not p.has("institution") or p.key == "funding_sources" or not p.en.strip():
        return
    words = list(matches(_NAME_WORD, p.en))
    low = [m for i, m in enumerate(words) if m.group()[0].islower() and (m.group().casefold() not in _MINOR or i == 0)
           and len(m.group()) > 1]
    if low:
        shown = ", ".join(repr(m.group()) for m in low[:5])
        fixed = " ".join(w[:1].upper() + w[1:] if w.casefold() not in _MINOR else w for w in p.en.split())
        yield Hit(f"the institution's name has words in lower case: {shown}", "en", en_spans=[m.span() for m in low],
                  suggestion=fixed[:1].upper() + fixed[1:])
