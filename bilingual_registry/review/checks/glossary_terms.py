"""Glossary terms: accepted English absent, a forbidden rendering used, a controlled value not the registry's English."""
from __future__ import annotations

from ...glossary import fold as glossary_fold
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)


def _hits(ctx, text: str):
    """Glossary hits of a text, cached: the same values recur across a batch."""
    cache = ctx.cache.setdefault("glossary_hits", {})
    got = cache.get(text)
    if got is None:
        if len(cache) > 50_000:
            cache.clear()
        got = cache[text] = ctx.glossary.find(text)
    return got


@field_check("glossary-forbidden", "error")
def glossary_forbidden(p, ctx):
    """A rendering the glossary forbids (`confidential interval` for 置信区间), with the accepted English.

    >>> demo("glossary-forbidden", "95%置信区间", "95% confidential interval")
    ["en: 'confidential interval' is a wrong rendering of 置信区间: use 'confidence interval'"]
    >>> demo("glossary-forbidden", "95%置信区间", "95% confidence interval")
    []
    """
    if not p.en.strip() or p.has("person-name"):
        return
    for h in _hits(ctx, p.en):
        if h.form == "forbidden":
            t = h.term
            yield Hit(f"{h.text!r} is a wrong rendering of {t.zh}: use {t.en!r}", "en", en_spans=[(h.start, h.end)],
                      suggestion=t.en)


@field_check("glossary-term", "info")
def glossary_term(p, ctx):
    """A glossary term of the Chinese whose accepted English (or a variant or abbreviation) is not in the English.

    >>> demo("glossary-term", "主要终点为无进展生存期", "The primary endpoint is overall survival")
    ["en: 无进展生存期 is in the Chinese but its English ('progression-free survival') is not in the English"]
    >>> demo("glossary-term", "主要终点为无进展生存期（PFS）", "The primary endpoint is PFS")
    []
    """
    if (not p.en.strip() or not p.zh.strip() or p.has("person-name") or p.has("place") or p.has("institution")
            or p.value_kind == "vocab"):
        return  # names of people, places and institutions have their own English (`肿瘤医院` is a Cancer Hospital)
    en_hits = _hits(ctx, p.en)
    present = {t.zh for h in en_hits if h.form != "forbidden" for t in h.terms}
    en_folded = None
    said: set[str] = set()
    for h in _hits(ctx, p.zh):
        if h.form != "zh" or len(h.text) < 3 or h.term.zh in said or any(t.zh in present for t in h.terms):
            continue  # two-character terms (`药物`, `转移`) have too many good renderings to check
        said.add(h.term.zh)
        t = h.term
        if en_folded is None:
            en_folded = glossary_fold(p.en, "en").text
        if any(a and a.casefold() in en_folded for a in t.abbreviations) or _forbidden_present(t, en_hits):
            continue
        yield Hit(f"{h.text} is in the Chinese but its English ({t.en!r}) is not in the English", "en",
                  zh_spans=[(h.start, h.end)], suggestion=t.en)


def _forbidden_present(term, en_hits) -> bool:
    """A forbidden rendering is `glossary-forbidden`'s finding, not a missing term."""
    return any(h.form == "forbidden" and term in h.terms for h in en_hits)


@field_check("vocab-mismatch", "error")
def vocab_mismatch(p, ctx):
    """A controlled field whose English is not the registry's English for its Chinese value.

    >>> demo("vocab-mismatch", "观察性研究", "Interventional study", key="study_type")
    ["en: 'Interventional study' is not the registry's English for 观察性研究 ('Observational study'); it is that of 干预性研究"]
    >>> demo("vocab-mismatch", "观察性研究", "Observational study", key="study_type"), demo("vocab-mismatch", "双盲", "Double blind", key="blinding")
    ([], [])
    """
    table = _vocab(ctx, p.key)
    if not table or not p.en.strip():
        return
    entries = table.get(_vkey(p.zh))
    if not entries:
        return
    accepted = {_vkey(e) for v in entries for e in (v.en, v.plain_en, *v.en_variants) if e}
    if _vkey(p.en) in accepted:
        return
    v = entries[0]
    other = next((w.zh for ws in table.values() for w in ws
                  if _vkey(p.en) in {_vkey(e) for e in (w.en, w.plain_en, *w.en_variants) if e}), None)
    tail = f"; it is that of {other}" if other else ""
    yield Hit(f"{p.en.strip()!r} is not the registry's English for {p.zh.strip()} ({v.en!r}){tail}", "en",
              en_spans=[(0, len(p.en))], suggestion=v.en)


def _vkey(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _vocab(ctx, key: str) -> dict:
    tables = ctx.cache.get("vocab_tables")
    if tables is None:
        tables = {}
        for v in ctx.glossary.vocab:
            tables.setdefault(v.field, {}).setdefault(_vkey(v.zh), []).append(v)
        ctx.cache["vocab_tables"] = tables
    return tables.get(key, {})
