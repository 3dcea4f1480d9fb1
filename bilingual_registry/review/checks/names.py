"""Person names against their pinyin, and one person romanised two ways in a record or a batch."""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import product
from typing import Optional

import re

from .text import matches
from ..registry import Hit, batch_check, demo, demo_batch, field_check  # noqa: F401  (demo*: for the doctests)

# Two-character surnames: the rest of a name is the given name.
COMPOUND_SURNAMES = frozenset("""欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 宇文 长孙 司徒 轩辕 端木 呼延 南宫
西门 独孤 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 闻人 万俟 钟离 赫连 拓跋""".split())
_NAME_PARTS = re.compile(r"[^,;/、，；]+")
_CHINESE_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]{2,4}$")
_NAME_SPLIT = re.compile(r"\s*(?:[、，,;；/]|\band\b)\s*")
_ROMAN_TOKEN = re.compile(r"[A-Za-zÜü]+(?:[-'’][A-Za-zÜü]+)*")


def _syllables(ch: str) -> list[str]:
    from pypinyin import Style, pinyin

    out: list[str] = []
    for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]:  # ü (pypinyin's v) as u, v and yu: Lu, Lv, Lyu
        r = r.replace("ü", "v")
        out.extend((r, r.replace("v", "u"), r.replace("v", "yu")) if "v" in r else (r,))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=16384)
def readings(name: str) -> Optional[tuple[frozenset[str], str, int]]:
    """Every folded romanisation of a Chinese name (heteronyms, both orders), a usual form, the surname's length.

    >>> forms, usual, n = readings("胡晓云")
    >>> sorted(f for f in forms if "xiaoyun" in f), usual
    (['huxiaoyun', 'xiaoyunhu'], 'Xiaoyun Hu')
    >>> "zengfan" in readings("曾帆")[0], "shanyan" in readings("单燕")[0]
    (True, True)
    """
    if not _CHINESE_NAME.match(name):
        return None
    n = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    options = [_syllables(c) for c in name]
    if any(not o or not o[0].isalpha() for o in options):
        return None
    forms: set[str] = set()
    for combo in list(product(*options))[:256]:
        surname, given = "".join(combo[:n]), "".join(combo[n:])
        forms.add(surname + given)
        forms.add(given + surname)
    first = [o[0] for o in options]
    usual = f"{''.join(first[n:]).capitalize()} {''.join(first[:n]).capitalize()}"
    return frozenset(forms), usual, n


def fold(roman: str) -> str:
    """A romanised name reduced to its letters: `XiaoYun Hu`, `Xiao-yun HU` and `xiaoyunhu` are alike."""
    return "".join(filter(str.isalpha, roman.casefold().replace("ü", "v")))


def _pairs(zh: str, en: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(Chinese name, its English, English span) for each name of a field that may hold several."""
    zh_names = [n for n in _NAME_SPLIT.split(zh.strip()) if n]
    en_parts = [(m.group(), m.span()) for m in _NAME_PARTS.finditer(en) if m.group().strip()]
    if len(zh_names) != len(en_parts):
        return []
    out = []
    for z, (e, (a, b)) in zip(zh_names, en_parts):
        lead = len(e) - len(e.lstrip())
        out.append((z, e.strip(), (a + lead, a + lead + len(e.strip()))))
    return out


@field_check("person-name", "error")
def person_name(p, ctx):
    """A person's name whose English is not a romanisation of the Chinese (misspelt or another name).

    >>> demo("person-name", "胡晓云", "Xiaoyum Hu", key="applicant")
    ["en: 'Xiaoyum Hu' is not a romanisation of 胡晓云 (pinyin: Xiaoyun Hu)"]
    >>> demo("person-name", "胡晓云", "XiaoYun Hu", key="applicant"), demo("person-name", "曾帆", "Fan Zeng", key="applicant")
    ([], [])
    >>> demo("person-name", "程颖", "cheng ying", key="study_leader"), demo("person-name", "吕强", "Lyu Qiang", key="registrant")
    ([], [])
    """
    if not p.has("person-name") or not p.en.strip():
        return
    for zh, en, span in _pairs(p.zh, p.en):
        got = readings(zh)
        if got is None or not _ROMAN_TOKEN.search(en):
            continue
        forms, usual, _ = got
        if fold(en) not in forms:
            yield Hit(f"{en!r} is not a romanisation of {zh} (pinyin: {usual})", "en", en_spans=[span],
                      suggestion=usual)


def _find_roman(en: str, forms: frozenset[str]) -> Optional[tuple[int, int]]:
    """The span of a romanisation of the name in a longer English text (one to four words), or None."""
    toks = list(matches(_ROMAN_TOKEN, en))
    # fold works character by character: a window's fold is its words' folds and the gaps' between them
    words = [fold(m.group()) for m in toks]
    gaps = [fold(en[a.end():b.start()]) for a, b in zip(toks, toks[1:])]
    for i in range(len(toks)):
        window = words[i]
        for j in range(i, min(i + 4, len(toks))):
            if j > i:
                window += gaps[j - 1] + words[j]
            if window in forms:
                return toks[i].start(), toks[j].end()
    return None


def _occurrences(pairs, ctx):
    """Each romanisation of a person's name in the batch: name -> [(pair, form, span)].

    Names come from the person-name fields (each record's are looked for in its other fields too: a
    funding source naming the study leader); an English that is no romanisation at all is `person-name`'s.
    """
    seen: dict[str, list] = defaultdict(list)
    by_record: dict = defaultdict(list)
    for p in pairs:
        by_record[p.record].append(p)
    for record_pairs in by_record.values():
        names: dict[str, frozenset[str]] = {}
        for p in record_pairs:
            if p.has("person-name"):
                for zh, en, span in _pairs(p.zh, p.en):
                    got = readings(zh)
                    if got and fold(en) in got[0]:
                        seen[zh].append((p, en, span))
                        names[zh] = got[0]
        if not names:
            continue
        for p in record_pairs:
            if p.has("person-name") or not p.en:
                continue
            for zh, forms in names.items():
                if zh in p.zh:
                    span = _find_roman(p.en, forms)
                    if span:
                        seen[zh].append((p, p.en[span[0]:span[1]], span))
    return seen


def _usual(form: str) -> bool:
    """Written the usual way: each word capitalised once (`Xiaoyun Hu`, not `XiaoYun Hu` or `HU Xiaoyun`)."""
    return all(w[:1].isupper() and w[1:].islower() for w in form.split())


@batch_check("name-romanisation", "warning")
def name_romanisation(pairs, ctx):
    """One person's name romanised differently in a record or across the batch (`XiaoYun Hu` / `Hu Xiaoyun`).

    The form most fields use is taken as the reference (on a tie, the one written the usual way and
    seen first); each field using another form gets the finding, naming every form seen.

    >>> demo_batch("name-romanisation", [("applicant", "胡晓云", "XiaoYun Hu"), ("study_leader", "胡晓云", "Xiaoyun Hu"),
    ...            ("funding_sources", "“雁阵人才”学科带头人-胡晓云-2025", "Discipline Leader - Hu Xiaoyun - 2025")])
    ["applicant: 胡晓云 is written 'XiaoYun Hu' here, elsewhere 'Xiaoyun Hu' (study_leader), 'Hu Xiaoyun' (funding_sources)", "funding_sources: 胡晓云 is written 'Hu Xiaoyun' here, elsewhere 'XiaoYun Hu' (applicant), 'Xiaoyun Hu' (study_leader)"]
    >>> demo_batch("name-romanisation", [("applicant", "胡晓云", "Xiaoyun Hu"), ("study_leader", "胡晓云", "Xiaoyun Hu")])
    []
    """
    for zh, occ in _occurrences(pairs, ctx).items():
        forms: dict[str, list] = {}
        for o in occ:
            forms.setdefault(" ".join(o[1].split()), []).append(o)
        if len(forms) < 2:
            continue
        order = list(forms)
        reference = max(order, key=lambda f: (len(forms[f]), _usual(f), -order.index(f)))
        for form, items in forms.items():
            if form == reference:
                continue
            others = ", ".join(f"{f!r} ({', '.join(dict.fromkeys(_where(o[0], o[0].record) for o in forms[f]))})"
                               for f in forms if f != form)
            for p, _, span in items:
                yield Hit(f"{zh} is written {form!r} here, elsewhere {others}", "en", en_spans=[span],
                          suggestion=reference, pair=p)


def _where(p, record) -> str:
    return p.where
