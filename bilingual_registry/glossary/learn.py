"""Mine candidate term pairs from many aligned records, for a person to review: how the glossary grows.

Two sources of pairs: short bilingual fields (diseases, group, outcome and sample names, institutions,
sponsors), whose Chinese and English values name the same thing; and definitions inside longer fields,
where `客观缓解率(ORR)` on the Chinese side meets `objective response rate (ORR)` on the English side.
Candidates are ranked by how many records show them and how consistently each side maps to the other.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

import regex

from .fold import fold
from .store import Glossary
from .tables import words_of
from ..labels import keys_with
from ..model import Record
from ..patterns import TIMEOUT, has_han

# Record keys whose values are names of things (not people, places or prose).
SHORT_KEYS = keys_with("term") | keys_with("institution")
MAX_ZH, MAX_EN = 40, 120
NULLS = {"", "na", "n/a", "none", "no", "nil", "null", "无", "暂无", "不适用", "/", "-", "—", "否", "yes", "是"}

_LIST_SEP_ZH = regex.compile(r"\s*[;；、]\s*")
_LIST_SEP_EN = regex.compile(r"\s*;\s*")
_TRAILING_ABBR = regex.compile(r"^(?P<body>.*?\S)\s*(?:[(（]\s*(?P<a1>[A-Za-z][A-Za-z0-9\-]{1,11})\s*[)）]|"
                               r"\s(?P<a2>[A-Z][A-Z0-9\-]{1,11}))\s*$")
_ZH_PAREN_LATIN = regex.compile(r"\s*[(（][^()（）\p{Han}]*[)）]\s*")
_ZH_DEFINITION = regex.compile(r"(?P<run>[\p{Han}]{2,24})\s*[(（]\s*(?P<abbr>[A-Za-z][A-Za-z0-9\-]{1,11})\s*[)）]")
_WORD = regex.compile(r"[A-Za-z][A-Za-z'\-]*")
_TOKEN = regex.compile(r"\w+")  # words as `\b` parts them: `hospital-based` holds `hospital`
_COMMA = regex.compile(r"\s*,(?=\S)")
_EN_NOISE = regex.compile(r"^(?:the|a|an)\s+|\s*[(（][^()（）]*\d[^()（）]*[)）]\s*$", regex.IGNORECASE)
_STOP_ZH = {"的", "为", "是", "和", "与", "及", "或", "在", "将", "对", "分为", "定义为", "包括", "即", "等", "采用",
            "通过", "计算", "进行", "以", "了", "其", "被", "由", "于", "中", "如", "用", "按", "根据", "给予",
            "接受", "解决", "旨在", "本", "研究", "评价", "评估", "观察", "比较", "探讨", "达到", "出现", "利用",
            "经", "患者", "并", "探索", "使用", "应用", "基于", "各", "每", "从", "至", "后", "前", "时", "以及",
            "该", "此", "这", "我们", "本研究", "测量", "记录", "采集", "获得", "评定"}
_STOP_EN = {"the", "of", "and", "in", "a", "an", "for", "to", "with", "on", "by", "or"}


@dataclass
class Candidate:
    """One proposed glossary entry with the evidence for it."""

    zh: str
    en: str
    abbreviation: str
    count: int
    records: int
    consistency: float
    score: float
    kind: str
    fields: str
    example: str
    status: str  # new | known | conflict

    COLUMNS = ("zh", "en", "abbreviation", "score", "count", "records", "consistency", "kind", "fields",
               "example", "status")

    def row(self) -> list[str]:
        return [self.zh, self.en, self.abbreviation, f"{self.score:.2f}", str(self.count), str(self.records),
                f"{self.consistency:.2f}", self.kind, self.fields, self.example, self.status]


@dataclass(frozen=True)
class _Pair:
    zh: str
    en: str
    abbreviation: str
    kind: str  # field | definition
    field: str
    record: str


# ---------------------------------------------------------------------------------------------- pairs

def _is_null(text: str) -> bool:
    return text.strip().strip("。.").casefold() in NULLS


def _clean_pair(zh: str, en: str) -> Optional[tuple[str, str, str]]:
    """(zh, en, abbreviation) for a short value pair, or None when it is not a term."""
    zh = _ZH_PAREN_LATIN.sub("", " ".join(zh.split()), timeout=TIMEOUT).strip(" ;；,，.。")
    en = " ".join(en.split()).strip(" ;,.")
    if _is_null(zh) or _is_null(en) or not has_han(zh) or has_han(en):
        return None
    if len(zh) > MAX_ZH or len(en) > MAX_EN or not regex.search(r"[A-Za-z]{2}", en):
        return None
    en = _EN_NOISE.sub("", en, timeout=TIMEOUT).strip(" ,")
    en = _COMMA.sub(", ", en, timeout=TIMEOUT)
    abbr = ""
    m = _TRAILING_ABBR.match(en, timeout=TIMEOUT)
    if m and (m["a1"] or m["a2"]):
        body, candidate = m["body"].strip(" ,"), m["a1"] or m["a2"]
        expansion = _expansion(body, candidate)
        if expansion is not None or m["a1"]:
            en = body
        if expansion is not None and expansion.lower() == " ".join(_WORD.findall(body)).lower():
            abbr = candidate  # only when it stands for the whole name
    return zh, en, abbr


def _expansion(text: str, abbr: str) -> Optional[str]:
    """The words of `text` (which ends just before `(ABBR)`) that the abbreviation stands for.

    Schwartz & Hearst (2003): match the abbreviation's characters right to left, the first one at a
    word start.

    >>> _expansion("were classified into complete response", "CR")
    'complete response'
    >>> _expansion("the area under the curve", "AUC")
    'area under the curve'
    >>> _expansion("treated with", "PD-1") is None
    True
    """
    letters = [c.lower() for c in abbr if c.isalnum()]
    if not letters or not letters[0].isalpha():
        return None
    words = _WORD.findall(text)[-(min(len(letters) + 5, len(letters) * 2)):]
    s = " ".join(words)
    low = s.lower()
    li = len(low) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (low[li] != c or (si == 0 and li > 0 and low[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = low.rfind(" ", 0, li + 1) + 1
    found = s[start:]
    if not found or found.lower().split()[0] in _STOP_EN:
        return None
    return found


def _syllables(phrase: str) -> int:
    n = 0
    for w in _WORD.findall(phrase.lower()):
        if w in _STOP_EN:
            continue
        for part in w.split("-"):
            groups = len(regex.findall(r"[aeiouy]+", part))
            if part.endswith("e") and groups > 1:
                groups -= 1
            n += max(groups, 1)
    return n


def _zh_term(run: str, expansion: str, abbr: str, glossary: Glossary) -> Optional[str]:
    """The end of a Chinese run that names the same thing as the English expansion.

    Whole words only (jieba with the glossary as its dictionary), never across a function word, of the
    length closest to what the English suggests (about 0.85 Chinese characters per English syllable).
    """
    for t in (*glossary.lookup(expansion), *glossary.lookup(abbr)):
        if run.endswith(t.zh):
            return t.zh  # the glossary already knows it; the candidate will show as known
    words = glossary.segment(run)
    target = 0.85 * _syllables(expansion)
    best, best_gap = None, None
    suffix = ""
    for w in reversed(words):
        if w in _STOP_ZH:
            break
        suffix = w + suffix
        if len(suffix) >= 2:
            gap = abs(len(suffix) - target)
            if best_gap is None or gap < best_gap:
                best, best_gap = suffix, gap
    return best


def _definitions(zh: str, en: str, glossary: Glossary) -> Iterator[tuple[str, str, str]]:
    """(zh term, en expansion, abbreviation) defined in parentheses on both sides of a long field."""
    for m in _ZH_DEFINITION.finditer(zh, timeout=TIMEOUT):
        abbr = m["abbr"]
        pattern = regex.compile(r"(?P<before>[^()（）]{0,200}?)\s*[(（]\s*" + regex.escape(abbr) + r"\s*[)）]")
        for e in pattern.finditer(en, timeout=TIMEOUT):
            expansion = _expansion(e["before"], abbr)
            if expansion:
                term = _zh_term(m["run"], expansion, abbr, glossary)
                if term:
                    yield term, expansion, abbr
                break


def _split_list(zh: str, en: str) -> list[tuple[str, str]]:
    """A list value (`实体瘤 ;非小细胞肺癌` / `Solid tumors; Non-small cell lung cancer`) as aligned items."""
    zs = [z for z in _LIST_SEP_ZH.split(zh, timeout=TIMEOUT) if z.strip()]
    es = [e for e in _LIST_SEP_EN.split(en, timeout=TIMEOUT) if e.strip()]
    if len(zs) > 1 and len(zs) == len(es):
        return list(zip(zs, es))
    return [(zh, en)]


def pairs_from_values(values: Iterable[tuple[str, str, str, bool]], record: str,
                      glossary: Glossary) -> Iterator[_Pair]:
    """Pairs from (field, zh, en, is_short) values of one record."""
    for field, zh, en, short in values:
        if not zh or not en:
            continue
        if short:
            for z, e in _split_list(zh, en):
                cleaned = _clean_pair(z, e)
                if cleaned:
                    yield _Pair(*cleaned, "field", field, record)
        for term, expansion, abbr in _definitions(zh, en, glossary):
            yield _Pair(term, expansion, abbr, "definition", field, record)


def record_values(record: Record) -> Iterator[tuple[str, str, str, bool]]:
    for f in record.fields:
        if f.shared or not f.zh.value or not f.en.value:
            continue
        yield f.key, f.zh.value, f.en.value, f.key in SHORT_KEYS


# ---------------------------------------------------------------------------------------------- ranking

def rank(pairs: Iterable[_Pair], glossary: Glossary, include_known: bool = False) -> list[Candidate]:
    """Group pairs by folded Chinese and English, score = records x consistency, best first.

    Consistency is the smaller of: the share of this Chinese term's pairs that use this English, and
    the share of this English term's pairs that use this Chinese; a term rendered many ways scores low.
    """
    groups: dict[tuple[str, str], list[_Pair]] = defaultdict(list)
    for p in pairs:
        groups[(fold(p.zh, "zh").text, " ".join(fold(p.en, "en").text.split()))].append(p)
    by_zh: Counter = Counter()
    by_en: Counter = Counter()
    for (zk, ek), ps in groups.items():
        by_zh[zk] += len(ps)
        by_en[ek] += len(ps)
    out: list[Candidate] = []
    for (zk, ek), ps in groups.items():
        zh = Counter(p.zh for p in ps).most_common(1)[0][0]
        en = Counter(p.en for p in ps).most_common(1)[0][0]
        abbrs = Counter(p.abbreviation for p in ps if p.abbreviation)
        records = len({p.record for p in ps})
        consistency = min(len(ps) / by_zh[zk], len(ps) / by_en[ek])
        status = _status(zh, en, glossary)
        if status == "known" and not include_known:
            continue
        kinds = sorted({p.kind for p in ps})
        score = records * consistency * (1.25 if abbrs else 1.0) * _length_fit(zh, en) * _tidy(en) \
            * (0.5 if status == "conflict" else 1.0)
        out.append(Candidate(
            zh=zh, en=en, abbreviation=abbrs.most_common(1)[0][0] if abbrs else "", count=len(ps),
            records=records, consistency=consistency, score=score, kind="+".join(kinds),
            fields="|".join(sorted({p.field for p in ps})), example=ps[0].record, status=status,
        ))
    out.sort(key=lambda c: (-c.score, -c.count, len(c.zh), c.zh))
    return out


def _length_fit(zh: str, en: str) -> float:
    """1 when the English is as long as a rendering of the Chinese usually is (1.5-7 letters a character).

    Lower when one side says more than the other (`南京鼓楼医院` / `... Hospital rehabilitation department`).
    """
    ratio = len(en) / max(len(zh), 1)
    if 1.5 <= ratio <= 7:
        return 1.0
    return 0.5


def _tidy(en: str) -> float:
    """Lower for an institution written all in lower case (`hunan cancer hospital`): seldom the official name.
    An institution is told by a word that ends one (glossary/words.tsv kind `name-end`).

    >>> _tidy("hunan cancer hospital"), _tidy("hospital-based care"), _tidy("Hunan Cancer Hospital"), _tidy("control group")
    (0.5, 0.5, 1.0, 1.0)
    """
    if en == en.lower() and not words_of("name-end").isdisjoint(_TOKEN.findall(en)):
        return 0.5
    return 1.0


def _status(zh: str, en: str, glossary: Glossary) -> str:
    known = glossary.lookup(zh)
    if not known:
        return "new"
    ek = " ".join(fold(en, "en").text.split())
    for t in known:
        forms = {" ".join(fold(x, "en").text.split()) for x in (t.en, *t.en_variants)}
        if ek in forms:
            return "known"
    return "conflict"


def learn_records(records: Iterable[Record], glossary: Optional[Glossary] = None,
                  include_known: bool = False) -> list[Candidate]:
    """Candidate term pairs mined from records, best first."""
    glossary = glossary or Glossary.default()
    pairs: list[_Pair] = []
    for n, rec in enumerate(records):
        record_id = rec.registration_number or f"{rec.source.path or 'record'}#{n}"
        pairs.extend(pairs_from_values(record_values(rec), record_id, glossary))
    return rank(pairs, glossary, include_known)


def learn(paths: Iterable[str | Path], glossary: Optional[Glossary] = None, include_known: bool = False,
          skipped: Optional[list[tuple[str, str]]] = None) -> list[Candidate]:
    """Candidate term pairs mined from record files (anything `parse_many` reads, `bireg parse` JSON too),
    best first. An input that fails raises, unless `skipped` is given: then it is noted there and left out
    (as are the files inside folders that are no records).
    """
    from ..api import parse_many
    from ..errors import RecordError, Skipped

    def found() -> Iterator[Record]:
        for name, result in parse_many(paths):
            if isinstance(result, RecordError):
                if skipped is None and not isinstance(result, Skipped):
                    raise result
                if skipped is not None:
                    skipped.append((name, str(result)))
            else:
                yield result

    return learn_records(found(), glossary, include_known)


def candidates_to_text(candidates: Iterable[Candidate]) -> str:
    lines = ["\t".join(Candidate.COLUMNS)]
    lines += ["\t".join(c.replace("\t", " ") for c in cand.row()) for cand in candidates]
    return "\n".join(lines) + "\n"
