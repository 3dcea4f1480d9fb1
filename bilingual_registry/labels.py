"""The field schema, read from glossary/fields.tsv: which label means which field.

The aligner is driven by this data, not by code: a new label variant is a new line in the TSV.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .glossary.tables import glossary_dir, read_table, split_cell

# Characters that never decide which label a block is: blanks, colons, quotes, apostrophes.
_IGNORED = dict.fromkeys(map(ord, " \t\r\n\u00a0\u3000:'\"‘’“”`´"), None)


def match_key(text: str) -> str:
    """Fold a label to the form used for lookups: width, case, blanks, colon and quotes ignored.

    >>> match_key("Study leader’s\\ntelephone：")
    'studyleaderstelephone'
    >>> match_key("研究实施负责（组长）单位：") == match_key("研究实施负责(组长)单位:")
    True
    """
    return unicodedata.normalize("NFKC", text).translate(_IGNORED).casefold()


@lru_cache(maxsize=8192)
def clean_label(text: str) -> str:
    """A label as the contract shows it: wraps folded, no trailing colon, single spaces.

    >>> clean_label("Study leader's\\ntelephone:")
    "Study leader's telephone"
    >>> clean_label("申请注册联系人传真 ：")
    '申请注册联系人传真'
    """
    clean = _CLEAN.get(text)
    if clean is None:
        if len(_CLEAN) > 10_000:
            _CLEAN.clear()
        clean = _CLEAN[text] = " ".join(text.split()).rstrip(":：").rstrip()
    return clean


_CLEAN: dict[str, str] = {}  # labels repeat in every record: each text cleaned once


_DIGIT = re.compile("[0-9]")  # folding keeps ASCII digits: a text with one matches only a label with one
_NO_SENSES: list = []  # what most texts (values) mean: one shared list, so the cache holds no list a value; never mutated


@dataclass(frozen=True, slots=True)
class LabelDef:
    """One field of the schema with the labels that name it."""

    key: str
    section: str
    group: Optional[str]
    role: str  # field | header | member
    value_kind: str  # bi | mono | vocab
    zh_label: str
    en_label: str
    zh_variants: tuple[str, ...]
    en_variants: tuple[str, ...]
    # what a field's value is, for the stages that treat kinds of values alike (fields.tsv `traits`):
    # language-neutral, person-name, place, gazetteer (one place the vocabularies name: country, province,
    # city), institution, date, number, identifier, contact, closing,
    # term (a name of a thing: disease, group, outcome, sample), member-id (what tells a group's members
    # apart, one per group), by-numbers (two versions compared by the numbers in them: dates, ages)
    traits: frozenset[str] = frozenset()

    def has(self, trait: str) -> bool:
        return trait in self.traits


# The institution field of each contact, for exports that give a contact's affiliation beside its name.
AFFILIATION = {"applicant": "applicant_institution", "study_leader": "study_leader_affiliation"}


@dataclass(frozen=True, slots=True)
class Sense:
    """What a label text can mean: a field definition and the language the label is in."""

    field: LabelDef
    lang: str


class Schema:
    """Label lookups over the field inventory."""

    def __init__(self, defs: list[LabelDef]):
        self.defs = defs
        self.senses: dict[str, list[Sense]] = {}
        self.by_key: dict[tuple[str, Optional[str]], LabelDef] = {}
        self.prefixes: set[str] = set()
        for d in defs:
            self.by_key[(d.key, d.group)] = d
            for lang, texts in (("zh", (d.zh_label, *d.zh_variants)), ("en", (d.en_label, *d.en_variants))):
                for t in texts:
                    k = match_key(t)
                    if not k:
                        continue
                    senses = self.senses.setdefault(k, [])
                    if all(s.field is not d for s in senses):
                        senses.append(Sense(d, lang))
                    for n in range(1, len(k)):
                        self.prefixes.add(k[:n])
        # Longer texts are values: no need to fold them. Labels repeat across records: fold each once.
        self.max_len = 2 * max(len(t) for d in defs for t in (d.zh_label, d.en_label, *d.zh_variants, *d.en_variants)) + 8
        # Values full of numbers (dates, phones, registration numbers) differ from record to record, so
        # each would be folded once (NFKC and all, the dearest part of a lookup): when no label holds a
        # digit, a text that does is known to be none without folding it.
        self.digit_labels = any(_DIGIT.search(k) for k in self.senses)
        self._cache: dict[str, list[Sense]] = {}
        self.seen = self._cache.get  # the senses of a text looked up before, else None: for hot loops
        self._texts: dict[str, str] = {}  # label texts as first seen (`label_text`)
        folded = {k[0] for k in self.senses}
        # as written: either case, and the full-width forms of ASCII that NFKC folds
        self.first_chars = folded | {c.upper() for c in folded} | {
            chr(ord(c) + 0xFEE0) for c in folded | {c.upper() for c in folded} if "!" <= c <= "~"}

    def label_text(self, text: str) -> str:
        """One string object for every copy of a label's text: a file of 20,000 records holds its 200,000
        label blocks' texts once each, not once a block."""
        return self.label_texts().setdefault(text, text)

    def label_texts(self) -> dict[str, str]:
        """The texts `label_text` keeps, emptied when large: a hot loop calls its `setdefault` itself."""
        if len(self._texts) > 100_000:
            self._texts.clear()
        return self._texts

    def may_start_label(self, text: str) -> bool:
        """A cheap test before `lookup`: can a label start with this text's first character?"""
        return bool(text) and text[0] in self.first_chars

    def lookup(self, text: str) -> list[Sense]:
        """Every sense of a label text (several when a label means different things in and out of a group)."""
        if len(text) > self.max_len:
            return []
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()  # in place: `seen` is bound to this dict
            found = self._cache[text] = (_NO_SENSES if not self.digit_labels and _DIGIT.search(text)
                                         else self.senses.get(match_key(text), _NO_SENSES))
        return found

    def is_label_prefix(self, text: str) -> bool:
        """True when the text is the start of some label: how a record cut mid-label ends."""
        return match_key(text) in self.prefixes

    def get(self, key: str, group: Optional[str] = None) -> Optional[LabelDef]:
        return self.by_key.get((key, group))


def read_fields(path: Path) -> list[LabelDef]:
    rows = read_table(path)
    return [
        LabelDef(
            key=r["key"], section=r["section"], group=r["group"] or None, role=r["role"],
            value_kind=r["value_kind"], zh_label=r["zh_label"], en_label=r["en_label"],
            zh_variants=split_cell(r["zh_variants"]), en_variants=split_cell(r["en_variants"]),
            traits=frozenset(split_cell(r["traits"])),
        )
        for r in rows
    ]


def keys_with(trait: str, schema: "Schema | None" = None) -> frozenset[str]:
    """The field keys that carry a trait in fields.tsv.

    >>> sorted(keys_with("person-name"))
    ['applicant', 'ethics_contact_name', 'registrant', 'study_leader']
    """
    return frozenset(d.key for d in (schema or default_schema()).defs if trait in d.traits)


def member_ids(schema: "Schema | None" = None) -> dict[str, str]:
    """Each repeated group's member-id field: what tells its members apart.

    >>> member_ids()["interventions"], member_ids()["sites"]
    ('group_name', 'country')
    """
    return {d.group: d.key for d in (schema or default_schema()).defs if d.group and "member-id" in d.traits}


@lru_cache(maxsize=None)
def default_schema() -> Schema:
    return Schema(read_fields(glossary_dir() / "fields.tsv"))
