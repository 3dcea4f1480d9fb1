"""Glossary entries: a term, a controlled value of a registry field, and a term found in a text."""
from __future__ import annotations

from dataclasses import dataclass

from .tables import split_cell as _split

TERM_COLUMNS = ("zh", "en", "en_variants", "abbreviations", "forbidden", "domain", "source")
VOCAB_COLUMNS = ("field", "zh", "en", "plain_en", "registry_id", "en_variants", "source")

@dataclass(frozen=True)
class Term:
    """One concept: the Chinese term, its preferred English and the English forms around it."""

    zh: str
    en: str
    en_variants: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    domain: str = ""
    source: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "Term":
        return cls(
            zh=(row.get("zh") or "").strip(), en=(row.get("en") or "").strip(),
            en_variants=_split(row.get("en_variants")), abbreviations=_split(row.get("abbreviations")),
            forbidden=_split(row.get("forbidden")), domain=(row.get("domain") or "").strip(),
            source=(row.get("source") or "").strip(),
        )

    def row(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en, "en_variants": "|".join(self.en_variants),
                "abbreviations": "|".join(self.abbreviations), "forbidden": "|".join(self.forbidden),
                "domain": self.domain, "source": self.source}


@dataclass(frozen=True)
class VocabEntry:
    """One controlled value of a registry field: the registry's own English kept verbatim (typos too)."""

    field: str
    zh: str
    en: str
    plain_en: str = ""
    registry_id: tuple[str, ...] = ()
    en_variants: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "VocabEntry":
        return cls(
            field=(row.get("field") or "").strip(), zh=(row.get("zh") or "").strip(),
            en=(row.get("en") or "").strip(), plain_en=(row.get("plain_en") or "").strip(),
            registry_id=_split(row.get("registry_id")), en_variants=_split(row.get("en_variants")),
            source=(row.get("source") or "").strip(),
        )

    def row(self) -> dict[str, str]:
        return {"field": self.field, "zh": self.zh, "en": self.en, "plain_en": self.plain_en,
                "registry_id": "|".join(self.registry_id), "en_variants": "|".join(self.en_variants),
                "source": self.source}


@dataclass(frozen=True)
class Hit:
    """A term found in a text: [start, end) in the original text, and how it matched."""

    start: int
    end: int
    text: str
    form: str  # zh | en | variant | abbreviation | forbidden
    terms: tuple[Term, ...]

    @property
    def term(self) -> Term:
        return self.terms[0]

