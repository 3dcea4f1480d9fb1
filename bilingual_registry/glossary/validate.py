"""Checking glossary files: duplicates, conflicts, empty sides, unknown fields and bad characters."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

import regex

from ..patterns import has_han
from .entries import Term, VocabEntry
from .files import is_vocab_file, read_terms, read_vocab
from .fold import _key, _t2s_table, fold

@dataclass(frozen=True)
class Issue:
    """A problem in a glossary file: what, where (line), and a short message."""

    code: str  # empty-side | bad-char | duplicate | conflict | unknown-field
    line: int
    message: str


_BAD = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd?]|锟斤拷|Ã|â€|\s{2,}|^\s|\s$")


def _bad_chars(text: str, zh: bool) -> Optional[str]:
    if _BAD.search(text):
        return "control, replacement, '?' or mojibake character, or stray blanks"
    if not zh and has_han(text):
        return "Chinese characters on the English side"
    if not zh and fold(text, "abbr").text != text:
        return "full-width or non-standard dash/blank characters (fold them)"
    if zh and text.translate(_t2s_table()) != text:
        return "traditional characters on the Chinese side"
    if zh and not has_han(text):
        return "no Chinese characters on the Chinese side"
    return None


def check_terms(terms: Sequence[Term], first_line: int = 2) -> list[Issue]:
    """Duplicates, conflicts, empty sides and bad characters in a term list (line = file line).

    >>> terms = [Term("随访", "follow-up"), Term("隨訪", "follow up", forbidden=("follow-up",))]
    >>> [(i.line, i.code) for i in check_terms(terms)]
    [(3, 'duplicate'), (3, 'bad-char'), (3, 'conflict')]
    """
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    allowed: dict[str, int] = {}
    for n, t in enumerate(terms, first_line):
        if not t.zh or not t.en:
            issues.append(Issue("empty-side", n, f"empty {'zh' if not t.zh else 'en'} side: {t.zh or t.en!r}"))
            continue
        key = _key(t.zh, "zh")
        if key in seen:
            issues.append(Issue("duplicate", n, f"{t.zh} is already on line {seen[key]}"))
        seen.setdefault(key, n)
        for text, zh in ((t.zh, True), *((x, False) for x in (t.en, *t.en_variants, *t.abbreviations, *t.forbidden))):
            why = _bad_chars(text, zh)
            if why:
                issues.append(Issue("bad-char", n, f"{text!r}: {why}"))
        # spelling variants that fold alike (`drug-eluting`, `drug eluting`) are kept on purpose for
        # tools that match literally, so only an exact repeat is a duplicate
        forms = [x.casefold() for x in (t.en, *t.en_variants)]
        if len(set(forms)) != len(forms):
            issues.append(Issue("duplicate", n, f"{t.zh}: an English variant repeats the term or another variant"))
        for x in (t.en, *t.en_variants):
            allowed.setdefault(_key(x, "en"), n)
    for n, t in enumerate(terms, first_line):
        for bad in t.forbidden:
            if _key(bad, "en") in allowed:
                issues.append(Issue("conflict", n, f"{t.zh}: forbidden {bad!r} is an accepted form on line "
                                                   f"{allowed[_key(bad, 'en')]}"))
    return sorted(issues, key=lambda i: i.line)


def check_vocab(entries: Sequence[VocabEntry], fields: Iterable[str], first_line: int = 2) -> list[Issue]:
    """Vocabulary problems: unknown fields, empty sides, duplicate values, bad characters."""
    known = set(fields)
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    for n, v in enumerate(entries, first_line):
        if v.field not in known:
            issues.append(Issue("unknown-field", n, f"field {v.field!r} is not in fields.tsv"))
        for side in ("zh", "en", "plain_en"):
            if not getattr(v, side):
                issues.append(Issue("empty-side", n, f"{v.field}: empty {side} for {v.zh or v.en!r}"))
        key = (v.field, _key(v.zh, "zh"))
        if v.zh and key in seen:
            issues.append(Issue("duplicate", n, f"{v.field} {v.zh} is already on line {seen[key]}"))
        seen.setdefault(key, n)
        for text, zh in ((v.zh, True), (v.en, False), (v.plain_en, False), *((x, False) for x in v.en_variants)):
            why = text and _bad_chars(text, zh)
            if why:
                issues.append(Issue("bad-char", n, f"{text!r}: {why}"))
    return issues


def check_file(path: str | Path, fields: Iterable[str] = ()) -> list[Issue]:
    """Check one glossary file (terms or vocabulary, told apart by its `field` column)."""
    path = Path(path)
    if is_vocab_file(path):
        return check_vocab(read_vocab(path), fields)
    return check_terms(read_terms(path))

