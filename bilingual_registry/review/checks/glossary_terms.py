"""Glossary terms: accepted English absent, a forbidden rendering used, a controlled value not the registry's English."""
from __future__ import annotations

import re

from ...glossary.fold import fold_text
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
    low = p.en.casefold()
    if not any(f in low for f in _forbidden_forms(ctx)):
        return  # a handful of forbidden forms: plain substring tests before any term finding
    for h in _hits(ctx, p.en):
        if h.form == "forbidden":
            t = h.term
            yield Hit(f"{h.text!r} is a wrong rendering of {t.zh}: use {t.en!r}", "en", en_spans=[(h.start, h.end)],
                      suggestion=t.en)


def _forbidden_forms(ctx) -> tuple[str, ...]:
    got = ctx.cache.get("forbidden_forms")
    if got is None:
        # the first word of each, folded: a cheap necessary condition (`confidential` for `confidential interval`)
        got = ctx.cache["forbidden_forms"] = tuple({f.casefold().split()[0].split("-")[0]
                                                     for t in ctx.glossary.terms for f in t.forbidden if f.strip()})
    return got


# Longer texts (criteria, methods) render terms too many good ways for a term-by-term note to help.
LONG = 400


@field_check("glossary-term", "info")
def glossary_term(p, ctx):
    """A glossary term of the Chinese whose accepted English (or a variant or abbreviation) is not in the English.

    >>> demo("glossary-term", "主要终点为无进展生存期", "The primary endpoint is overall survival")
    ["en: 无进展生存期 is in the Chinese but its English ('progression-free survival') is not in the English"]
    >>> demo("glossary-term", "主要终点为无进展生存期（PFS）", "The primary endpoint is PFS")
    []
    """
    if (not p.en.strip() or not p.zh.strip() or p.has("person-name") or p.has("place") or p.has("institution")
            or p.value_kind == "vocab" or len(p.zh) > LONG):
        return  # names of people, places and institutions have their own English (`肿瘤医院` is a Cancer Hospital)
    zh_hits = ctx.once(_zh_terms, p.zh, ctx)
    if not zh_hits:
        return
    en_folded = ctx.once(_en_folded, p.en)
    said: set[str] = set()
    forms = ctx.cache.setdefault("term_forms", {})  # by the terms' Chinese: a term is hashed by all its fields
    for start, end, zh, terms in zh_hits:  # two-character terms (`药物`, `转移`) have too many good renderings to check
        t = terms[0]
        if t.zh in said:
            continue
        english = forms.get(zh)
        if english is None:
            english = forms[zh] = tuple(f for x in terms for f in _forms(x))
        if any(f in en_folded and said_in(f, en_folded) for f in english):
            continue
        said.add(t.zh)
        yield Hit(f"{p.zh[start:end]} is in the Chinese but its English ({t.en!r}) is not in the English", "en",
                  zh_spans=[(start, end)], suggestion=t.en)


def said_in(form: str, text: str) -> bool:
    """True when a folded form stands in a folded text. A short form (an abbreviation, `SS` for Sjögren's
    syndrome) must stand as a word, or with a plural's `s`: inside a word it says nothing (`tightness`).
    A longer one may open or close a compound (`chemotherapy` in `immunochemotherapy`).

    >>> said_in("ss", "chest tightness"), said_in("ss", "primary ss (pss)"), said_in("orr", "the orrs of both arms")
    (False, True, True)
    >>> said_in("pd", "pd 1 positive"), said_in("pd", "upd"), said_in("chemotherapy", "immunochemotherapy")
    (True, False, True)
    """
    if len(form) > SHORT:
        return form in text
    at = text.find(form)
    while at >= 0:
        end = at + len(form)
        if (at == 0 or not text[at - 1].isalnum()) and not text[end + (text[end:end + 1] == "s"):][:1].isalnum():
            return True
        at = text.find(form, at + 1)
    return False


SHORT = 5  # characters: a form this short is an abbreviation or a short word, told apart only as a word


def _en_folded(en: str) -> str:
    """The English as a term's forms are searched for in it: folded as the glossary's English view
    (hyphens as blanks), blanks single.

    >>> _en_folded("Progression‑Free  Survival (PFS)") == _en_folded("progression free survival (pfs)")
    True
    """
    return " ".join(fold_text(en, "en").split())


def _zh_terms(zh: str, ctx) -> list[tuple[int, int, str, tuple]]:
    """The glossary's Chinese terms of three characters or more in a text, leftmost-longest, by an
    Aho-Corasick automaton over their width-folded forms (the glossary's own finder does far more: both
    languages, every folding; the review runs this on every field). Each with the term's folded
    Chinese and its terms.

    ahocorasick_rs, not pyahocorasick: its scan is seven times faster over Chinese (pyahocorasick tries a
    node's thousand children one by one), and pyahocorasick's `iter_long` misses a term that starts
    inside a longer partial match:

    >>> from bilingual_registry.review.context import Context
    >>> [key for _, _, key, _ in _zh_terms("抗胆碱能药物临床试验", Context.default())]
    ['临床试验']
    """
    import unicodedata

    found = ctx.cache.get("zh_terms")
    if found is None:
        import ahocorasick_rs

        by_zh: dict[str, list] = {}
        for t in ctx.glossary.terms:
            key = unicodedata.normalize("NFKC", t.zh)
            if len(key) >= 3:
                by_zh.setdefault(key, []).append(t)
        keys = list(by_zh)
        automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if keys else None
        found = ctx.cache["zh_terms"] = (automaton, [(key, tuple(by_zh[key])) for key in keys], _folding_matters(keys))
    automaton, entries, matters = found
    if automaton is None:
        return []
    text = zh
    if matters.search(zh) and not unicodedata.is_normalized("NFKC", zh):
        text = unicodedata.normalize("NFKC", zh)
        if len(text) != len(zh):  # folding moved the offsets: keep the original's
            text = zh
    return [(start, end, *entries[i]) for i, start, end in automaton.find_matches_as_indexes(text)]


def _folding_matters(keys: list[str]):
    """The characters whose NFKC form may change what the terms match: those NFKC turns into a
    character some term holds (`ＰＤ－１`, `⑴`, a compatibility ideograph), or that join their neighbour.

    Any other character NFKC changes (`，` to `,`) stands where no term can, before folding and after,
    so the matches of a text holding none of these are the same unfolded: most Chinese values, whose
    full-width punctuation alone made every one of them take a full NFKC pass. Astral characters are all
    taken in (built over the BMP, 20 ms, once).

    >>> matters = _folding_matters(["PD-1抑制剂", "临床试验"])
    >>> bool(matters.search("（临床试验），")), bool(matters.search("ＰＤ－１抑制剂")), bool(matters.search("e\u0301"))
    (False, True, True)
    """
    import unicodedata

    from ...glossary.fold import composes, composing_class

    held = set("".join(keys))
    chars = []  # beside the joining ones: those NFKC changes into a term's character or a joining one
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if 0xD800 <= code < 0xE000 or unicodedata.is_normalized("NFKC", ch):
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if any(map(composes, folded)) or not held.isdisjoint(folded):
            chars.append(ch)
    return re.compile("[" + composing_class() + "".join(map(re.escape, chars)) + "\U00010000-\U0010ffff]")


def _forms(term) -> tuple[str, ...]:
    """A term's English as the folded English is searched for: accepted, variants, abbreviations, forbidden
    (a forbidden rendering is `glossary-forbidden`'s finding, not a missing term), plural or not."""
    out = []
    for form in (term.en, *term.en_variants, *term.abbreviations, *term.forbidden):
        f = _en_folded(form)
        if f:
            out.append(f[:-1] if f.endswith("s") and len(f) > 3 else f)
    return tuple(out)


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
