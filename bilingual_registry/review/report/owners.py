"""Which record a finding belongs to, for the writers that show findings with their records (HTML, XLIFF).

A finding names its record by registration number (and by `source` when the engine gives it); a batch may
hold two records of one number (a page and its text copy, two versions), so among those the finding goes to
the record whose field holds the finding's texts, else to the first of them.
"""
from __future__ import annotations

from typing import Iterable

from ...model import Finding, Record


def _holds(record: Record, f: Finding) -> bool:
    field = record.get(f.field, f.group, f.index) if f.field else None
    return field is not None and field.zh.value == f.zh_text and field.en.value == f.en_text


def by_record(findings: Iterable[Finding], records: list[Record]) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """The findings of each record (by its position in `records`), and those of no record given.

    >>> from bilingual_registry.model import Field, Side
    >>> page = Record(registration_number="ChiCTR1", fields=[Field(key="objectives", en=Side(value="To test"))])
    >>> copy = Record(registration_number="ChiCTR1", fields=[Field(key="objectives", en=Side(value="To"))])
    >>> f = Finding(check="truncated", severity="error", message="cut", registration_number="ChiCTR1",
    ...             field="objectives", en_text="To")
    >>> by_record([f, f.model_copy(update={"registration_number": "ChiCTR9"})], [page, copy])[0].keys()
    dict_keys([1])
    """
    numbered: dict[object, list[int]] = {}
    for n, r in enumerate(records):
        numbered.setdefault(r.registration_number, []).append(n)
    out: dict[int, list[Finding]] = {}
    lost: list[Finding] = []
    for f in findings:
        candidates = numbered.get(f.registration_number, [])
        if f.source is not None:
            candidates = [n for n in candidates if records[n].source.path == f.source] or candidates
        if not candidates:
            lost.append(f)
            continue
        n = next((n for n in candidates if _holds(records[n], f)), candidates[0]) if len(candidates) > 1 else candidates[0]
        out.setdefault(n, []).append(f)
    return out, lost
