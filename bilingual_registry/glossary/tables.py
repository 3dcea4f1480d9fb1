"""The one loader of the glossary's TSV files (glossary/*.tsv) and the one splitter of their `a|b` cells.

Every reader of our data (labels, the Glossary, repair knowledge, the ITMCTR reader, the record generator,
convert's columns and ICTRP words, merge) goes through here. One error rule: a file of ours that is not there (yet) has no rows; a file lacking a
column its reader needs is a ValueError naming the file and the columns.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence


def glossary_dir() -> Path:
    """Where the glossary TSV files are: the repo's glossary/ (source checkout) or the installed copy."""
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "glossary"
    return repo if (repo / "fields.tsv").is_file() else package / "glossary_data"


def split_cell(cell: str | None) -> tuple[str, ...]:
    """The values of a `|`-separated cell, blanks trimmed and empty values dropped.

    >>> split_cell(" PD-1 | |programmed death 1")
    ('PD-1', 'programmed death 1')
    >>> split_cell(None)
    ()
    """
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def delimiter(path: Path) -> str:
    return "," if path.suffix.lower() == ".csv" else "\t"


def read_table(path: str | Path, required: Sequence[str] = (), expected: Sequence[str] = ()) -> list[dict]:
    """The rows of a TSV (or .csv) glossary file; `required` are the columns it must have, of `expected`."""
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        sep = delimiter(path)
        reader = csv.DictReader(fh, delimiter=sep, quoting=csv.QUOTE_MINIMAL if sep == "," else csv.QUOTE_NONE)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(expected or required)}")
        return list(reader)


@lru_cache(maxsize=None)
def data_table(name: str) -> tuple[dict, ...]:
    """The rows of our own glossary/NAME, read once per process (no rows when the file is not there)."""
    path = glossary_dir() / name
    return tuple(read_table(path)) if path.is_file() else ()


def word_kinds(rows: Iterable[dict]) -> dict[str, frozenset[str]]:
    """The words of words.tsv rows by kind (institution, name-end, prefix, ...), folded.

    >>> word_kinds([{"word": "Hospital", "kind": "name-end"}, {"word": "co", "kind": "prefix"}, {"word": "", "kind": "x"}])
    {'name-end': frozenset({'hospital'}), 'prefix': frozenset({'co'})}
    """
    kinds: dict[str, set[str]] = {}
    for row in rows:
        if row.get("word") and row.get("kind"):
            kinds.setdefault(row["kind"], set()).add(row["word"].casefold())
    return {kind: frozenset(words) for kind, words in kinds.items()}


@lru_cache(maxsize=None)
def words_of(kind: str) -> frozenset[str]:
    """The words of one kind in our glossary/words.tsv, folded (none when the file is not there)."""
    return word_kinds(data_table("words.tsv")).get(kind, frozenset())


@lru_cache(maxsize=None)
def vocab_values(key: str) -> frozenset[str]:
    """Every value the registry's vocabulary for a field has, in either language (glossary/vocab.tsv).

    >>> sorted(vocab_values("dsmc"))
    ['No', 'Yes', '无', '有']
    """
    return frozenset(v for row in data_table("vocab.tsv") if row.get("field") == key
                     for v in (row.get("zh"), row.get("en"), *split_cell(row.get("en_variants"))) if v)
