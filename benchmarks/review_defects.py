"""A defect generator for the review: known translation defects of every kind, planted one at a time into
one field of a clean record, with the truth (which fields were damaged, which check must say so).

A plant goes only into a field the clean copy's review says nothing about for the check that must find
it, and only where the defect is one: a cut that leaves a dangling word, a typo that is no English
word, an acronym whose spelt-out form the English does not already hold. `bench_review.py` reviews the
clean copy and each damaged copy; a finding of the damaged copy that the clean one lacks and that names a
damaged field is a true positive.
"""
from __future__ import annotations

import random
import re
from typing import Callable, NamedTuple, Optional

from bilingual_registry import parse_text
from bilingual_registry.model import Record
from bilingual_registry.render import BLANK, render  # noqa: F401  (render: for the doctest)
from bilingual_registry.review import pairs_of
from bilingual_registry.review.checks import brackets, lists, names, places, spelling, truncation
from bilingual_registry.review.checks.contacts import contacts
from bilingual_registry.review.checks.text import HAN, word_frequency
from bilingual_registry.review.context import Context, is_placeholder
from bilingual_registry.review.registry import Pair


class Planted(NamedTuple):
    kind: str
    check: str  # the check that must find it
    record: Record  # the damaged copy
    wheres: frozenset[str]  # the damaged fields, as `group[index].key`
    undone: bool = False  # a text copy whose damage the parser's repair took back out (no defect left)
    altered: bool = False  # a text copy the parser read as neither the clean nor the planted values


Edit = dict[int, str]  # field position -> its new English
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,4}")
_WORDS = re.compile(r"[A-Za-z]{4,}")


def _apply(record: Record, edits: Edit) -> Record:
    out = record.model_copy(deep=True)
    for n, en in edits.items():
        if isinstance(en, tuple):  # (Chinese, English): the field now names another person too
            out.fields[n].zh.value, en = en
        out.fields[n].en.value = en
    return out


def _missing(p: Pair, rng, ctx, pairs) -> Optional[Edit]:
    if HAN.search(p.zh) and p.en.strip() and not is_placeholder(p.zh):
        return {p.position: ""}


def _missing_chinese(p, rng, ctx, pairs):
    """The reverse: the Chinese emptied beside real English."""
    if HAN.search(p.zh) and len(p.en.split()) >= 2 and not is_placeholder(p.en):
        return {p.position: ("", p.en)}


def _identical(p, rng, ctx, pairs):
    if HAN.search(p.zh) and p.en.strip() and p.en != p.zh:
        return {p.position: p.zh}


def _chinese_left(p, rng, ctx, pairs):
    runs = _HAN_RUN.findall(p.zh)
    words = list(_WORDS.finditer(p.en))
    if runs and len(words) >= 3:
        w = rng.choice(words)
        return {p.position: p.en[:w.start()] + rng.choice(runs) + p.en[w.end():]}


def _truncated(p, rng, ctx, pairs):
    en = p.en
    if len(en.split()) < 8 or p.value_kind == "vocab":
        return None
    cuts = [m.end() for m in re.finditer(r"\b(\w+)\b", en)
            if m.group(1).casefold() in truncation.DANGLING and m.end() > len(en) * 0.3 and m.end() < len(en) - 5]
    if cuts and rng.random() < 0.6:
        return {p.position: en[:rng.choice(cuts)]}
    long_words = [m for m in re.finditer(r"(?<= )[a-z]{7,}\b(?![@.]\w)", en) if m.start() > len(en) * 0.3 and len(en[:m.start()]) >= 40]
    if long_words:
        m = rng.choice(long_words)
        cut = en[:m.start() + rng.randint(2, 4)]
        if not spelling.word_frequency(cut.split()[-1]) > 1.0:
            return {p.position: cut}
    return None


def _partial(p, rng, ctx, pairs):
    words = p.en.split()
    if len(HAN.findall(p.zh)) < truncation.MIN_ZH or len(words) < 10 or p.value_kind == "vocab":
        return None
    kept = " ".join(words[:max(2, len(words) // 4)]).rstrip(",;:") + "."
    from bilingual_registry.review.checks.text import en_length, zh_length

    if en_length(kept, p.zh) / zh_length(p.zh) < truncation.MIN_RATIO:
        return {p.position: kept}


_NUM = re.compile(r"(?<![\w.])\d+(?![\w.])")


def _number(p, rng, ctx, pairs):
    zh_nums = set(_NUM.findall(p.zh))
    inside = [span for _, span in contacts(p.en).values()]  # a digit of an e-mail or URL changed is a contact defect
    spots = [m for m in _NUM.finditer(p.en) if m.group() in zh_nums and not p.en[m.end():m.end() + 1] in ".)、"
             and not any(a <= m.start() < b for a, b in inside)]
    if spots:
        m = rng.choice(spots)
        new = str(int(m.group()) + rng.choice((1, 2, 10)))
        if new not in zh_nums:
            return {p.position: p.en[:m.start()] + new + p.en[m.end():]}


_SIGNED = re.compile(r"(≥|≤|>=|<=)\s*\d")


def _sign(p, rng, ctx, pairs):
    if re.search(r"[≥≤]|>=|<=", p.zh):
        spots = list(_SIGNED.finditer(p.en))
        if spots:
            m = rng.choice(spots)
            new = {"≥": ">", ">=": ">", "≤": "<", "<=": "<"}[m.group(1)]
            return {p.position: p.en[:m.start(1)] + new + p.en[m.end(1):]}


def _list_item(p, rng, ctx, pairs):
    zh, en = lists.items(p.zh), lists.items(p.en)
    if len(zh) >= 3 and [n for n, _ in zh] == [n for n, _ in en] and "\n" in p.en:
        last = p.en.rstrip().rfind("\n")
        return {p.position: p.en[:last]}


def _group_member(p, rng, ctx, pairs):
    if p.group is None or p.index is None or p.index == 0:
        return None
    member = [q for q in pairs if q.record == p.record and q.group == p.group and q.index == p.index]
    if all(q.zh.strip() for q in member) and len({q.index for q in pairs if q.group == p.group}) >= 2:
        return {q.position: "" for q in member}


def _bracket(p, rng, ctx, pairs):
    if not brackets.unmatched(p.zh) and not brackets.unmatched(p.en):
        closing = [m.end() - 1 for m in re.finditer(r"\([^()\n]*\)", p.en)]  # a `)` that closes a `(`, not `1)`
        if closing:
            i = rng.choice(closing)
            return {p.position: p.en[:i] + p.en[i + 1:]}


def _acronym(p, rng, ctx, pairs):
    shared = [a for a in brackets.acronyms(p.zh) if a in brackets.acronyms(p.en)]
    if not shared:
        return None
    a = rng.choice(shared)
    written = p.en[slice(*brackets.acronyms(p.en)[a])]
    en = re.sub(rf"\s*\({re.escape(written)}\)", "", p.en)
    en = re.sub(rf"(?<![A-Za-z0-9-]){re.escape(written)}(?![A-Za-z0-9])", "it", en)
    if a not in brackets.acronyms(en) and not brackets._spelt_out(a, en, ctx) and not brackets._initials(a, en):
        return {p.position: en}


def _forbidden(p, rng, ctx, pairs):
    for t in ctx.glossary.terms:
        if t.forbidden and t.zh in p.zh and t.en.casefold() in p.en.casefold():
            i = p.en.casefold().index(t.en.casefold())
            return {p.position: p.en[:i] + t.forbidden[0] + p.en[i + len(t.en):]}


def _term(p, rng, ctx, pairs):
    if p.has("person-name") or p.has("place") or p.has("institution") or p.value_kind == "vocab":
        return None
    zh_terms = {h.term.zh for h in ctx.glossary.find(p.zh) if h.form == "zh" and len(h.text) >= 3}
    spots = [h for h in ctx.glossary.find(p.en) if h.form in ("en", "variant") and h.term.zh in zh_terms]
    if spots:
        term = rng.choice(spots).term
        en = p.en
        for h in sorted((h for h in spots if h.term == term), key=lambda h: -h.start):  # every rendering of it
            en = en[:h.start] + "the said condition" + en[h.end:]
        return {p.position: en}


def _vocab(p, rng, ctx, pairs):
    table = [v for v in ctx.glossary.vocab_for(p.key)]
    mine = [v for v in table if v.zh == p.zh.strip() and p.en.strip() in (v.en, v.plain_en, *v.en_variants)]
    others = sorted({v.en for v in table if v.zh != p.zh.strip() and v.en not in (p.en.strip(),)})
    if mine and others and p.key not in ("country", "province", "city"):
        return {p.position: rng.choice(others)}


_VOWELS = "aeiou"


def _mutate_vowel(word: str, rng) -> Optional[str]:
    spots = [i for i, c in enumerate(word) if c in _VOWELS and i > 0]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + rng.choice([v for v in _VOWELS if v != word[i]]) + word[i + 1:]


def _person(p, rng, ctx, pairs):
    got = names.readings(p.zh.strip()) if p.has("person-name") else None
    if got and names.fold(p.en) in got[0]:
        words = p.en.split()
        k = rng.randrange(len(words))
        new = _mutate_vowel(words[k], rng)
        if new:
            en = " ".join(words[:k] + [new] + words[k + 1:])
            if names.fold(en) not in got[0]:
                return {p.position: en}


def _romanisation(p, rng, ctx, pairs):
    """The same person written another way in one of the fields naming them (`HU Xiaoyun` beside
    `Xiaoyun Hu`); where no two fields name the same person, a later person field is made to name the
    first field's person, written another way."""
    if not p.has("person-name"):
        return None
    got = names.readings(p.zh.strip())
    if not got or names.fold(p.en) not in got[0] or len(p.en.split()) != 2:
        return None
    given, surname = p.en.split()
    variant = rng.choice((p.en.upper(), f"{surname.upper()} {given}"))
    same = [q for q in pairs if q.record == p.record and q.has("person-name") and q.zh == p.zh and q.en == p.en]
    if len(same) >= 2:
        return {p.position: variant}
    later = [q for q in pairs if q.record == p.record and q.has("person-name") and q.position > p.position
             and names.readings(q.zh.strip())]
    if later:
        return {rng.choice(later).position: (p.zh, variant)}


def _place(p, rng, ctx, pairs):
    if p.key in ("province", "city") and not list(places.place_name(p, ctx)) and p.en.isalpha():
        en = p.en + "g" if p.en.endswith("n") else _mutate_vowel(p.en, rng)
        if en and places._letters(en) not in places.pinyin_forms(p.zh.strip()):
            return {p.position: en}


def _address(p, rng, ctx, pairs):
    if not p.has("place") or p.key in ("country", "province", "city"):
        return None
    for m in places._ROAD.finditer(p.zh):
        name = places._ADDRESS_CUT.sub("", m.group(1))
        forms = places.pinyin_forms(name)
        for w in re.finditer(r"[A-Za-z]{5,}", p.en):
            if places._letters(w.group()) in forms:
                new = _mutate_vowel(w.group(), rng)
                if new and places._letters(new) not in forms:
                    return {p.position: p.en[:w.start()] + new + p.en[w.end():]}


def _spelling(p, rng, ctx, pairs):
    gloss = spelling._glossary_words(ctx)
    words = [m for m in re.finditer(r"(?<![\w@./-])[a-z]{6,}(?![\w@/]|\.\w)", p.en)  # not in a URL or an e-mail
             if word_frequency(m.group()) >= 4.0 and m.group() not in gloss]
    rng.shuffle(words)
    for m in words[:3]:
        w = m.group()
        i = rng.randrange(1, len(w) - 2)
        typo = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if typo != w and word_frequency(typo) < 1.0:
            return {p.position: p.en[:m.start()] + typo + p.en[m.end():]}


def _institution_case(p, rng, ctx, pairs):
    if p.has("institution") and p.key != "funding_sources" and sum(w[:1].isupper() for w in p.en.split()) >= 2:
        return {p.position: p.en.lower()}


def _same_zh(p, pairs):
    from bilingual_registry.review.checks.consistency import _eligible, _en_key, _zh_key

    return [q for q in pairs if q.record == p.record and _eligible(q, Context.default()) and _zh_key(q.zh) == _zh_key(p.zh)
            and _en_key(q.en) == _en_key(p.en)]


def _inconsistent(p, rng, ctx, pairs):
    same = _same_zh(p, pairs)
    if len(same) < 2 or (len(same) == 2 and p is same[0]):
        return None  # two alike: the first is the reference, so the later one is given the other English
    words = list(re.finditer(r"[A-Za-z]{4,}", p.en))
    if len(words) >= 2:
        w = rng.choice(words)
        return {p.position: (p.en[:w.start()] + p.en[w.end():]).replace("  ", " ").strip(" ,")}


def _same_english(p, rng, ctx, pairs):
    from bilingual_registry.review.checks.consistency import _eligible, _loose_zh

    if not _eligible(p, ctx) or not p.has("institution"):
        return None
    earlier = [q for q in pairs if q.record == p.record and q.position < p.position and q.has("institution")
               and _eligible(q, ctx) and _loose_zh(q.zh) != _loose_zh(p.zh) and len(q.zh) <= len(p.zh)
               and q.en.strip() != p.en.strip() and len(q.en) >= 8]
    if earlier:
        return {p.position: rng.choice(earlier).en}


def _leftover(p, rng, ctx, pairs):
    spots = [m.start() + 1 for m in re.finditer(r"[A-Za-z][ -][A-Za-z]", p.en)]
    if spots:
        i = rng.choice(spots)
        return {p.position: p.en[:i] + "?" + p.en[i + 1:]}


# What a registrant typing in a Chinese input method leaves in the English: full-width `，；：` (which the
# parser's repair folds back to ASCII) and the ideographic `、` and `。`, which no repair touches.
_CN_MARKS = {",": ("，", "、"), ";": ("；",), ":": ("：",), ".": ("。",)}


def _cn_punct(p, rng, ctx, pairs):
    spots = [i for i, c in enumerate(p.en) if c in _CN_MARKS and p.en[i + 1:i + 2] == " "
             and (c != "." or p.en[i - 1:i].isalpha())]
    if spots:
        i = rng.choice(spots)
        return {p.position: p.en[:i] + rng.choice(_CN_MARKS[p.en[i]]) + p.en[i + 1:]}


def _spacing(p, rng, ctx, pairs):
    spots = [m.start() for m in re.finditer(r"(?<=\w) (?=\w)", p.en)]
    if len(spots) >= 2:
        i = rng.choice(spots)
        return {p.position: p.en[:i] + "  " + p.en[i + 1:]}


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _contact(p, rng, ctx, pairs):
    zh = set(_EMAIL.findall(p.zh))
    spots = [m for m in _EMAIL.finditer(p.en) if m.group() in zh]
    if spots:
        m = rng.choice(spots)
        return {p.position: p.en[:m.start()] + "x" + p.en[m.start():]}


def _contact_other(p, rng, ctx, pairs):
    """A URL or phone number both sides give, changed in the English: a letter added before the URL's
    last character, the phone's last digit changed (the real pages give e-mails only in shared fields,
    never reviewed, and URLs in reviewed ones)."""
    zh = contacts(p.zh)
    spots = [(kind, span) for key, (kind, span) in contacts(p.en).items() if key in zh and kind != "e-mail"]
    if not spots:
        return None
    kind, (a, b) = rng.choice(spots)
    if kind == "URL":
        return {p.position: p.en[:b - 1] + "x" + p.en[b - 1:]}
    last = max(i for i in range(a, b) if p.en[i].isdigit())
    return {p.position: p.en[:last] + str((int(p.en[last]) + 1) % 10) + p.en[last + 1:]}


# Kinds added after the others draw from a generator of their own (`bench_review.score`), so that the
# others' plants stay those they were.
OWN_RANDOM = frozenset({"contact-url-phone"})

# kind -> (the check that must find it, the planter)
KINDS: dict[str, tuple[str, Callable]] = {
    "missing": ("missing-translation", _missing),
    "missing-chinese": ("missing-translation", _missing_chinese),
    "identical": ("identical", _identical),
    "chinese-left": ("chinese-in-english", _chinese_left),
    "truncated": ("truncated", _truncated),
    "partial": ("partial-translation", _partial),
    "number": ("number-mismatch", _number),
    "sign": ("number-mismatch", _sign),
    "list-item": ("list-items", _list_item),
    "group-member": ("group-members", _group_member),
    "bracket": ("unbalanced-brackets", _bracket),
    "acronym": ("acronym-one-side", _acronym),
    "forbidden": ("glossary-forbidden", _forbidden),
    "term": ("glossary-term", _term),
    "vocab": ("vocab-mismatch", _vocab),
    "person": ("person-name", _person),
    "romanisation": ("name-romanisation", _romanisation),
    "place": ("place-name", _place),
    "address": ("address-place", _address),
    "spelling": ("spelling", _spelling),
    "institution-case": ("institution-case", _institution_case),
    "inconsistent": ("inconsistent-translation", _inconsistent),
    "same-english": ("same-english", _same_english),
    "leftover": ("repair-leftover", _leftover),
    "chinese-punctuation": ("chinese-punctuation", _cn_punct),
    "spacing": ("spacing", _spacing),
    "contact": ("contact-mismatch", _contact),
    "contact-url-phone": ("contact-mismatch", _contact_other),
}


def _edits(record: Record, clean_findings: list, kind: str, rng: random.Random) -> Optional[Edit]:
    """The edits of one defect of a kind in one field of the record (chosen at random among the fields
    where it can be planted and the clean copy has no finding of that check), or None."""
    ctx = Context.default()
    check, planter = KINDS[kind]
    pairs = pairs_of(record, ctx)
    flagged = {(f.group, f.index, f.field) for f in clean_findings if f.check == check}
    candidates = [p for p in pairs if (p.group, p.index, p.key) not in flagged]
    rng.shuffle(candidates)
    for p in candidates:
        edits = planter(p, rng, ctx, pairs)
        if edits:
            return edits
    return None


def plant(record: Record, clean_findings: list, kind: str, rng: random.Random) -> Optional[Planted]:
    """One defect of a kind planted into one field of the record itself, or None."""
    edits = _edits(record, clean_findings, kind, rng)
    if edits is None:
        return None
    wheres = frozenset(_where(record, n) for n in edits)
    return Planted(kind, KINDS[kind][0], _apply(record, edits), wheres)


def _loosely(text: str, record: Record, n: int, side: str) -> tuple[int, int]:
    f = record.fields[n]
    label, value = getattr(f, side).label, getattr(f, side).value
    at = text.find(value, text.find(f"{label}:") + 1) if label and f"{label}:" in text else -1
    if at < 0 and value:
        k = sum(getattr(g, side).value.count(value) for g in record.fields[:n])
        at = -1
        for _ in range(k + 1):
            at = text.find(value, at + 1)
            if at < 0:
                break
    if at < 0 or not value:
        raise NotLocated(f"{_where(record, n)} {side}")
    return at, at + len(value)


class NotLocated(Exception):
    """A planted field's value could not be found in the text copy."""


def plant_text(text: str, record: Record, clean_findings: list, kind: str, rng: random.Random,
               repair: bool = True) -> Optional[Planted]:
    """One defect of a kind planted into the TEXT copy of a record (`record` is that text parsed): the
    damaged value is found in the text by its label and value and rewritten there, and the damaged
    text parsed again with `parse_text` (repairing, unless told not to), as a damaged export would be.
    NotLocated when the value is not in the text."""
    edits = _edits(record, clean_findings, kind, rng)
    if edits is None:
        return None
    spots = []
    for n, en in edits.items():
        f = record.fields[n]
        zh = f.zh.value
        if isinstance(en, tuple):
            zh, en = en
        for side, new in (("zh", zh), ("en", en)):
            if new != getattr(f, side).value:
                spots.append((_locate(text, record, n, side), new or BLANK))
    for (start, end), new in sorted(spots, reverse=True):
        text = text[:start] + new + text[end:]
    wheres = frozenset(_where(record, n) for n in edits)
    damaged = parse_text(text, repair=repair)
    got = _values(damaged, wheres)
    undone = got == _values(record, wheres)
    return Planted(kind, KINDS[kind][0], damaged, wheres, undone,
                   not undone and got != _values(_apply(record, edits), wheres))


def _values(record: Record, wheres: frozenset[str]) -> list:
    return sorted((_where(record, n), f.zh.value, f.en.value) for n, f in enumerate(record.fields)
                  if _where(record, n) in wheres)


def _locate(text: str, record: Record, n: int, side: str) -> tuple[int, int]:
    """Where one side's value of field n stands in the text copy: the k-th block `label:` followed by
    that value, k counting the earlier fields with the same label and value on that side; failing
    that (a value the parser cut out of a longer block), the first time the value stands after its
    label, or the k-th time it stands at all.

    >>> from bilingual_registry.synth import Generator
    >>> r = parse_text(render(Generator(7).varied(0)))
    >>> t = render(r)
    >>> all(t[slice(*_locate(t, r, i, side))] == getattr(f, side).value for side in ("zh", "en")
    ...     for i, f in enumerate(r.fields) if getattr(f, side).value and not f.shared)
    True
    """
    f = record.fields[n]
    label, value = getattr(f, side).label, getattr(f, side).value or BLANK
    k = sum(1 for g in record.fields[:n] if (getattr(g, side).label, getattr(g, side).value or BLANK) == (label, value))
    needle = f"{label}:\n\n{value}\n"
    at = -1
    while True:
        at = text.find(needle, at + 1)
        if at < 0:
            return _loosely(text, record, n, side)
        if at == 0 or text[at - 2:at] == "\n\n":
            if k == 0:
                start = at + len(label) + 3
                return start, start + len(value)
            k -= 1


def _where(record: Record, n: int) -> str:
    f = record.fields[n]
    return f.key if f.group is None else f"{f.group}[{f.index}].{f.key}"
