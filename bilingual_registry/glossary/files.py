"""Glossary files in and out: terms and vocabularies as TSV (the terms.tsv/vocab.tsv layout) or CSV."""
from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .entries import TERM_COLUMNS, VOCAB_COLUMNS, Term, VocabEntry
from .tables import data_table, delimiter, read_table


def read_terms(path: str | Path) -> list[Term]:
    """Terms from a TSV (or .csv) file with the terms.tsv columns; TBX goes through tbx.read_tbx."""
    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        from .tbx import read_tbx
        return read_tbx(path)
    return [Term.from_row(r) for r in read_table(path, TERM_COLUMNS[:2], TERM_COLUMNS)]


def read_vocab(path: str | Path) -> list[VocabEntry]:
    return [VocabEntry.from_row(r) for r in read_table(path, ("field", "zh"), ("field", "zh", "en"))]


@lru_cache(maxsize=1)
def default_vocab() -> tuple[VocabEntry, ...]:
    """Our glossary/vocab.tsv, read once."""
    return tuple(VocabEntry.from_row(r) for r in data_table("vocab.tsv"))


@lru_cache(maxsize=1)
def default_terms() -> tuple[Term, ...]:
    """Our glossary/terms.tsv, read once."""
    return tuple(Term.from_row(r) for r in data_table("terms.tsv"))


def is_vocab_file(path: Path) -> bool:
    """A glossary file with a `field` column is a vocabulary; anything else (TBX too) holds terms."""
    return path.suffix.lower() not in (".tbx", ".xml") and "field" in _header(path)


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig") as fh:
        return next(csv.reader(fh, delimiter=delimiter(path)), [])


def _write(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> str:
    out = io.StringIO()
    if fmt == "csv":
        w = csv.DictWriter(out, columns, lineterminator="\n")
    else:
        w = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def terms_to_text(terms: Iterable[Term], fmt: str = "tsv") -> str:
    """Terms as TSV (the terms.tsv layout) or CSV text."""
    return _write((t.row() for t in terms), TERM_COLUMNS, fmt)


def vocab_to_text(entries: Iterable[VocabEntry], fmt: str = "tsv") -> str:
    return _write((v.row() for v in entries), VOCAB_COLUMNS, fmt)

