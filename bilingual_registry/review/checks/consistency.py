"""Inconsistency inside a record and across a batch: one Chinese value translated two ways, and the reverse."""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import lru_cache

import re

from ...glossary.fold import composes
from ..context import is_placeholder
from ..registry import Hit, batch_check, demo_batch  # noqa: F401  (demo_batch: for the doctests)

_WORDING = re.compile(r"[^\W_]+")  # runs of letters and digits
_WORD3 = re.compile(r"[A-Za-z]{3,}")


class _Wording(dict):
    """A `str.translate` table, filled as characters are met, to what a key keeps of each: its NFKC
    form's letters and digits (case-folded for the English, a blank for anything else), so a key is
    one C-speed pass instead of normalising, folding and a pattern (a third of the time for an
    English, two thirds for a Chinese). Valid because NFKC works character by character except where
    characters join: those map to NUL, and a text holding one takes the exact path.

    >>> _zh_key("无锡市（清扬路）２９９号") == _zh_key("无锡市清扬路299号"), _zh_key("5㎎") == "5mg"
    (True, True)
    """

    def __init__(self, english: bool):
        super().__init__()
        self.english = english

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch)
        if code > 0xFFFF or composes(ch) or any(map(composes, folded)):
            kept = "\0"
        elif self.english:
            kept = "".join(c if c.isalnum() else " " for c in folded.casefold())
        else:
            kept = "".join(c for c in folded if c.isalnum())
        self[code] = kept
        return kept


_ZH_WORDING, _EN_WORDING = _Wording(english=False), _Wording(english=True)
_ZH_WORDING[0], _EN_WORDING[0] = "", " "  # a NUL in the text is no letter: NUL out means a joining character


@lru_cache(maxsize=65536)
def _zh_key(text: str) -> str:
    key = text.translate(_ZH_WORDING)
    return key if "\0" not in key else "".join(_WORDING.findall(unicodedata.normalize("NFKC", text)))


@lru_cache(maxsize=65536)
def _en_key(text: str) -> str:
    """English compared as wording: width, case, blanks and punctuation (quotes of any shape) aside.

    >>> _en_key("Wuxi People’s  Hospital") == _en_key("WUXI People's Hospital")
    True
    """
    key = text.translate(_EN_WORDING)
    if "\0" not in key:
        return " ".join(key.split())
    return " ".join(_WORDING.findall(unicodedata.normalize("NFKC", text).casefold()))


def _eligible(p, ctx) -> bool:
    """A free value (no vocabulary, no person's name) of four Chinese characters or more with an
    English, neither a placeholder: the tests on the field first, those on the texts after."""
    return (p.value_kind != "vocab" and "person-name" not in p.traits and p.key not in ctx.vocab_fields()
            and len(p.zh.strip()) >= 4 and bool(p.en.strip()) and not is_placeholder(p.zh) and not is_placeholder(p.en))


def _eligible_pairs(pairs, ctx) -> list:
    """The pairs both checks compare, picked once per batch (the last batch's kept on the context)."""
    last = ctx.memo.get(_eligible_pairs)
    if last is None or last[0] is not pairs:
        last = ctx.memo[_eligible_pairs] = (pairs, [p for p in pairs if _eligible(p, ctx)])
    return last[1]


def _reference(groups: dict[str, list], ctx) -> str:
    """The form most fields use; on a tie, the one that looks whole (no Chinese left, fewer words that
    do not belong, more of the glossary's renderings, the longer), then the one seen first. Each measure
    is taken only of the forms the measures before it left tied: the later ones read pinyin and the
    glossary."""
    most = max(map(len, groups.values()))
    tied = [k for k, g in groups.items() if len(g) == most]  # in the order seen: max keeps the first
    for measure in (_han_left, _faults, _renderings, _length):
        if len(tied) == 1:
            break
        scores = [measure(groups[k][0], ctx) for k in tied]
        best = max(scores)
        tied = [k for k, score in zip(tied, scores) if score == best]
    return tied[0]


# In an address or an institution's name, a capitalised word English knows but seldom uses (Zipf frequency
# below this) that reads as pinyin is a place (`Jilin` 2.2, `Nanjing` 3.0, `Beijing` 4.1; `Bone` 4.4 and
# `Women` 5.6 are words).
_PLACE_LIKE = 4.2


def _han_left(p, ctx) -> int:
    """Fewer Chinese characters left in the English is whole-er."""
    from .text import HAN

    return -len(HAN.findall(p.en))


def _faults(p, ctx) -> int:
    """Fewer words that do not belong: neither English nor pinyin, or pinyin the Chinese does not read as
    (`Hepung` for 和平). (Numbers the Chinese lacks are no fault: the fuller English adds a postcode or an
    acupoint's code.)

    >>> from bilingual_registry.review.context import Context
    >>> ctx = Context.default()
    >>> a, b = (ctx.pair("applicant_address", "哈尔滨市和平路24号", en) for en in ("No.24, Hepung Road, Harbin", "No.24, Heping Road, Harbin"))
    >>> _faults(a, ctx) < _faults(b, ctx)
    True
    >>> a, b = (ctx.pair("institution", "南京市第一医院", en) for en in ("Jilin Cancer Hospital", "NanJing First Hospital"))
    >>> _faults(a, ctx) < _faults(b, ctx)
    True
    """
    from .places import usual_pinyin
    from .spelling import is_pinyin
    from .text import is_english_word, word_frequency

    named = p.has("place") or p.has("institution")  # a title's `Senile` reads as pinyin too, and is a word
    faults = 0
    for w in _WORD3.findall(p.en):
        if not is_english_word(w):
            pinyin = is_pinyin(w)
        elif named and w[0].isupper() and word_frequency(w.casefold()) < _PLACE_LIKE:
            pinyin = is_pinyin(w)  # `Jilin`, `Nanjing`: English knows them, as places
            if not pinyin:
                continue
        else:
            continue
        # the tied forms mostly share their Chinese
        faults += not pinyin or w.casefold() not in ctx.once(usual_pinyin, p.zh)
    return -faults


def _renderings(p, ctx) -> int:
    """More of the glossary's renderings."""
    from .glossary_terms import _hits

    return len({h.term.zh for h in _hits(ctx, p.en) if h.form != "forbidden"})


def _length(p, ctx) -> int:
    return len(p.en)


@batch_check("inconsistent-translation", "warning")
def inconsistent_translation(pairs, ctx):
    """The same Chinese value translated differently in a record or across the batch.

    Fields using the form most fields use are left alone; each other field gets the finding.

    >>> demo_batch("inconsistent-translation", [("applicant_address", "无锡市清扬路299号", "No. 299 Qingyang Road, Wuxi City"),
    ...     ("study_leader_address", "无锡市清扬路299号", "Wuxi Qingyang road 299"), ("primary_sponsor_address", "无锡市清扬路299号", "Wuxi Qingyang road 299")])
    ["applicant_address: 无锡市清扬路299号 is translated 'No. 299 Qingyang Road, Wuxi City' here but 'Wuxi Qingyang road 299' in 2 other fields (study_leader_address, primary_sponsor_address)"]
    >>> demo_batch("inconsistent-translation", [("primary_sponsor", "无锡市人民医院", "Wuxi People’s Hospital"), ("institution", "无锡市人民医院", "Wuxi People's Hospital")])
    []
    """
    by_zh: dict[str, dict[str, list]] = defaultdict(dict)
    for p in _eligible_pairs(pairs, ctx):
        by_zh[_zh_key(p.zh)].setdefault(_en_key(p.en), []).append(p)
    for groups in by_zh.values():
        if len(groups) < 2:
            continue
        ref = _reference(groups, ctx)
        ref_text, ref_fields = groups[ref][0].en.strip(), groups[ref]
        shown = ", ".join(dict.fromkeys(q.where for q in ref_fields[:4])) + (", …" if len(ref_fields) > 4 else "")
        for key, items in groups.items():
            if key == ref:
                continue
            for p in items:
                n = len(ref_fields)
                yield Hit(f"{p.zh.strip()} is translated {p.en.strip()!r} here but {ref_text!r} in {n} other "
                          f"field{'s' if n > 1 else ''} ({shown})", "en", [(0, len(p.zh))], [(0, len(p.en))],
                          suggestion=ref_text, pair=p)


@batch_check("same-english", "warning")
def same_english(pairs, ctx):
    """The same English used for different Chinese values (one of them is likely a wrong copy).

    >>> demo_batch("same-english", [("primary_sponsor", "吉林省肿瘤医院", "Jilin Cancer Hospital"),
    ...                              ("institution", "天津市肿瘤医院", "Jilin Cancer Hospital")])
    ["institution: 'Jilin Cancer Hospital' also translates 吉林省肿瘤医院 (primary_sponsor), not 天津市肿瘤医院"]
    >>> demo_batch("same-english", [("primary_sponsor", "吉林省肿瘤医院", "Jilin Cancer Hospital"), ("institution", "吉林肿瘤医院", "Jilin Cancer Hospital")])
    []
    """
    by_en: dict[str, dict[str, list]] = defaultdict(dict)
    for p in _eligible_pairs(pairs, ctx):
        if len(wording := _en_key(p.en)) >= 8:
            by_en[wording].setdefault(_loose_zh(p.zh), []).append(p)
    for groups in by_en.values():
        if len(groups) < 2:
            continue
        # the English most likely belongs to the shortest Chinese: an address translated as its institution's name
        order = list(groups)
        ref = max(order, key=lambda k: (len(groups[k]), -len(groups[k][0].zh), -order.index(k)))
        first = groups[ref][0]
        for key, items in groups.items():
            if key == ref:
                continue
            for p in items:
                yield Hit(f"{p.en.strip()!r} also translates {first.zh.strip()} ({first.where}), not {p.zh.strip()}",
                          "both", [(0, len(p.zh))], [(0, len(p.en))], pair=p)


_ADMIN = re.compile(r"[省市区县]")


@lru_cache(maxsize=65536)
def _loose_zh(text: str) -> str:
    """Chinese compared loosely: 吉林省肿瘤医院 and 吉林肿瘤医院 name the same place."""
    return _ADMIN.sub("", _zh_key(text))
