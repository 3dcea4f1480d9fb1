"""Places against their pinyin and the glossary's gazetteer (the province/city/country vocabularies)."""
from __future__ import annotations

from functools import lru_cache
from itertools import product
from typing import Optional

import re

from .text import matches
from ...labels import keys_with
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_ADMIN_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|地区|省|市|区|县|镇|乡)$")
_EN_ADMIN = re.compile(r"\b(?:province|city|municipality|autonomous region|region|district|county|town|prefecture"
                          r"|sheng|shi|qu|xian|p\.?\s?r\.?|china)\b", re.I)
_PLACE = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]{2,8}$")
# A road, street or avenue of an address: its name is written in pinyin (`清扬路` → `Qingyang Road`).
_ROAD = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]{2,5}?)(?:大路|大街|大道|中路|东路|西路|南路|北路|路|街|道|巷)(?=\d|$|[^\u3400-\u9fff\uf900-\ufaff])")
_ADDRESS_CUT = re.compile(r".*(?:省|市|区|县|镇)")
_EN_WORD = re.compile(r"[A-Za-z]+")
_FEATURES = frozenset("湖山江河桥门园村庄湾岛")  # lake, mountain, river, bridge, gate…: often translated
_GAZETTEER = keys_with("gazetteer")  # country, province, city: one place each, as the vocabularies name them


_AZ = re.compile("[a-z]+")


@lru_cache(maxsize=65536)
def _letters(text: str) -> str:
    """The text's Latin letters, folded (ü as v): what a place's romanisation is compared by."""
    return "".join(_AZ.findall(text.casefold().replace("ü", "v")))


@lru_cache(maxsize=16384)
def pinyin_forms(name: str) -> frozenset[str]:
    """Folded pinyin of a Chinese place name, every reading pypinyin gives of its heteronyms.

    >>> sorted(pinyin_forms("长春")), sorted(pinyin_forms("厦门"))
    (['changchun', 'zhangchun'], ['shamen', 'xiamen'])
    """
    from pypinyin import Style, pinyin

    phrase = "".join(o[0] for o in pinyin(name, style=Style.NORMAL)).replace("ü", "v")
    options = [[r.replace("ü", "v") for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]] for ch in name]
    return frozenset({phrase, *("".join(c) for c in list(product(*options))[:64])})


def usual_pinyin(name: str) -> str:
    """The reading pypinyin gives the name as a phrase (its most likely one)."""
    from pypinyin import Style, pinyin

    return "".join(o[0] for o in pinyin(name, style=Style.NORMAL)).replace("ü", "v")


def _gazetteer(ctx) -> dict[str, set[str]]:
    """Chinese place -> its folded English names from the vocabularies (en and plain_en; variants as written)."""
    got = ctx.cache.get("gazetteer")
    if got is None:
        got = {}
        for v in ctx.glossary.vocab:
            if v.field in _GAZETTEER:
                forms = got.setdefault(v.zh, set())
                forms.update(_letters(_EN_ADMIN.sub(" ", e)) for e in (v.en, v.plain_en) if e)
        ctx.cache["gazetteer"] = got
    return got


def _gazetteer_pattern(ctx) -> re.Pattern:
    got = ctx.cache.get("gazetteer_pattern")
    if got is None:
        bare = sorted({zh for zh in _gazetteer(ctx) if len(zh) >= 2 and not _ADMIN_SUFFIX.search(zh)}, key=len, reverse=True)
        got = ctx.cache["gazetteer_pattern"] = re.compile("(" + "|".join(map(re.escape, bare)) + ")(?=[市省])")
    return got


def _known(ctx, zh: str) -> Optional[set[str]]:
    g = _gazetteer(ctx)
    return g.get(zh) or g.get(_ADMIN_SUFFIX.sub("", zh))


@field_check("place-name", "error")
def place_name(p, ctx):
    """A country, province or city whose English is neither its pinyin nor the gazetteer's name (`天津` → `Tianjing`).

    >>> demo("place-name", "天津", "Tianjing", key="province", group="sites")
    ["en: 'Tianjing' is not the English of 天津: 'Tianjin'"]
    >>> demo("place-name", "江苏省", "Jiangsu", key="province", group="sites"), demo("place-name", "西藏", "Tibet", key="province", group="sites")
    ([], [])
    """
    if not p.has("gazetteer") or not p.en.strip():
        return
    zh = p.zh.strip()
    if not _PLACE.match(zh):
        return
    en = _letters(_EN_ADMIN.sub(" ", p.en))
    known = _known(ctx, zh)
    bare = _ADMIN_SUFFIX.sub("", zh) or zh
    if en in (known or set()) or en in pinyin_forms(bare) or en in pinyin_forms(zh):
        return
    if known is None and p.key == "country":
        return  # a country the gazetteer lacks: its English is rarely pinyin
    usual = next(iter(v.en for v in ctx.glossary.vocab if v.zh in (zh, bare) and v.field == p.key), None) or \
        usual_pinyin(bare).capitalize()
    yield Hit(f"{p.en.strip()!r} is not the English of {zh}: {usual!r}", "en", en_spans=[(0, len(p.en))], suggestion=usual)


def _near(a: str, b: str) -> int:
    """Edit distance of two short strings (a place name's letters), or 3 when it is more than 2."""
    if abs(len(a) - len(b)) > 2:
        return 3
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return min(row[-1], 3)


@field_check("address-place", "warning")
def address_place(p, ctx):
    """An address whose English misspells a city, province or road the Chinese names (`清扬路` as `Qingyong Road`).

    An English address that leaves a place out is no finding: English addresses often drop the province.

    >>> demo("address-place", "无锡市清扬路299号", "No. 299 Qingyong Road, Wuxi City", key="applicant_address")
    ["en: 'Qingyong' is not the pinyin of 清扬: 'Qingyang'"]
    >>> demo("address-place", "吉林省长春市湖光路1018号、锦湖大路1066号", "No. 1018 Huguang Road, No. 1066 Jinhu Road, Changchun City, Jilin Province", key="applicant_address")
    []
    >>> demo("address-place", "天津市和平区", "Heping District, Tianjing", key="applicant_address")
    ["en: 'Tianjing' is not the pinyin of 天津: 'Tianjin'"]
    """
    if not p.has("place") or p.has("gazetteer") or not p.en.strip():
        return
    names: list[tuple[str, tuple[int, int]]] = []
    g = _gazetteer(ctx)
    for m in matches(_ROAD, p.zh):
        name = _ADDRESS_CUT.sub("", m.group(1))
        if len(name) >= 2:
            names.append((name, (m.end(1) - len(name), m.end(1))))
    for m in _gazetteer_pattern(ctx).finditer(p.zh):  # a city or province named as one: `无锡市`, not `香港兴业`
        names.append((m.group(1), m.span(1)))
    if not names:
        return
    words = [(m.group(), m.span()) for m in matches(_EN_WORD, p.en)]
    low = [_letters(w) for w, _ in words]
    windows = {"".join(low[i:j]) for i in range(len(low)) for j in range(i + 1, min(i + 4, len(low) + 1))}
    for name, span in names:
        forms = pinyin_forms(name) | g.get(name, set())
        if name[-1] in _FEATURES:  # `鄱阳湖路` is `Poyang Lake Road`
            forms |= pinyin_forms(name[:-1])
        if forms & windows:
            continue  # written right (as one word or as syllables: `Qing Yang`)
        for (w, wspan), lw in zip(words, low):
            if len(lw) >= 4 and any(lw[0] == f[0] and _near(lw, f) <= (1 if len(lw) < 6 else 2) for f in forms):
                usual = usual_pinyin(name).capitalize()
                yield Hit(f"{w!r} is not the pinyin of {name}: {usual!r}", "en", zh_spans=[span], en_spans=[wspan],
                          suggestion=usual)
                break
