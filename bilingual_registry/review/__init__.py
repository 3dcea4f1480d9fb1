"""Translation QA: check every English field of a record against its Chinese source.

`review(records)` runs every registered check (`registry.list_checks()`) over the bilingual fields of the
records, field by field and across the batch, and returns `Finding`s. Shared and language-neutral fields
(dates, phones, identifiers: the `traits` column of glossary/fields.tsv) and group headers are not
translations and are skipped.

>>> from bilingual_registry import parse_text
>>> r = parse_text("注册号:\\n\\nRegistration number:\\n\\nChiCTR2600120951\\n\\n研究目的:\\n\\n评价疗效。\\n\\n"
...                "Objectives of Study:\\n\\nTo evaluate the efficacy of\\n\\n注册人:\\n\\nName of Registration:\\n\\n2026-03-23")
>>> [(f.check, f.severity, f.field) for f in review([r])]
[('truncated', 'error', 'objectives')]
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import itemgetter
from typing import Iterable, Optional

from ..glossary import Glossary
from ..model import Finding, Record, Span
from .config import ReviewConfig
from .context import Context
from .registry import Check, Hit, Pair, all_checks, list_checks

__all__ = ["review", "list_checks", "ReviewConfig", "Finding", "pairs_of"]


def _cut(record: Record) -> set[str]:
    """Fields the input cut off (a record copied mid-page): the cut is the copy's, not the translator's."""
    if not any(p.code == "truncated" for p in record.problems):
        return set()
    return {p.field for p in record.problems
            if p.field and p.code in ("truncated", "no-english-twin", "no-chinese-twin")}


def pairs_of(record: Record, ctx: Context) -> list[Pair]:
    """The record's fields a translation review looks at: paired, not shared, not language-neutral, not cut off.

    A record with no Chinese at all (the page's XML export, an ICTRP row) has no translation to review.
    """
    out = []
    if not any(f.zh.value.strip() for f in record.fields):
        return out
    cut = _cut(record)
    for n, f in enumerate(record.fields):
        if f.shared or (not f.zh.value.strip() and not f.en.value.strip()) or f.key in cut:
            continue
        d = ctx.field_def(f.key, f.group)
        if d is not None and "language-neutral" in d.traits:
            continue
        out.append(ctx.pair(f.key, f.zh.value, f.en.value, f.group, f.index, record.registration_number, n,
                            f.zh.label, f.en.label, record.source.path, _applied(f.repairs) if f.repairs else (), d))
    return out


def _applied(repairs: list) -> tuple:
    """The applied repairs of a field as `Pair.repairs` has them, each where it stands in the repaired value
    (a repair's `at` is in the value as read: the repairs before it on its side moved it by their change
    of length)."""
    out = []
    for side in ("zh", "en"):
        shift = 0
        for r in sorted((r for r in repairs if r.applied and r.side == side), key=lambda r: r.at):
            start = r.at + shift
            out.append((side, start, start + len(r.after), r.before, r.after, r.evidence, r.confidence))
            shift += len(r.after) - len(r.before)
    return tuple(out)


def _finding(check: Check, hit: Hit, pair: Pair, config: ReviewConfig) -> Finding:
    return Finding(
        check=check.id, severity=config.severity.get(check.id) or hit.severity or check.severity,
        message=hit.message, registration_number=pair.record, field=pair.key, group=pair.group,
        index=pair.index, zh_label=pair.zh_label or None, en_label=pair.en_label or None, side=hit.side,
        zh_spans=[Span(start=a, end=b) for a, b in hit.zh_spans],
        en_spans=[Span(start=a, end=b) for a, b in hit.en_spans],
        zh_text=pair.zh, en_text=pair.en, suggestion=hit.suggestion, source=pair.source,
    )


def _field_hits(pairs: list[Pair], checks: list[Check], ctx: Context) -> list[tuple[Pair, list[tuple[Check, Hit]]]]:
    """Each pair with the hits of the field checks on it, in the checks' order.

    A field check's hits depend on the field's key, its two values and their repairs only: a value repeated in the
    batch (a vocabulary's word, an institution, an address given for several roles) is checked once.
    Each check runs over all the distinct pairs in turn, not each pair through all the checks: one
    check's patterns and code stay in the processor's caches (a third faster on 200 records).
    """
    distinct: dict[tuple, Pair] = {}
    keys = []
    for pair in pairs:
        memo = (pair.key, pair.group is None, pair.zh, pair.en, pair.repairs)
        distinct.setdefault(memo, pair)
        keys.append(memo)
    got: dict[tuple, list[tuple[Check, Hit]]] = {memo: [] for memo in distinct}
    for check in checks:
        fn = check.fn
        for memo, pair in distinct.items():
            for hit in fn(pair, ctx):
                got[memo].append((check, hit))
    return [(pair, got[memo]) for pair, memo in zip(pairs, keys)]


@contextmanager
def _collector_paused():
    """Python's cycle collector off while the checks run: they make a few hundred thousand short-lived
    objects (matches, hits, findings) and no cycles, and each collection of the older generations
    would walk every object of the records under review for nothing (a fifth of the time of a
    200-record batch)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def review(records: Iterable[Record], glossary: Optional[Glossary] = None,
           config: Optional[ReviewConfig] = None) -> list[Finding]:
    """Every finding of the enabled checks on these records, in record and field order.

    One record or a batch: batch checks (the same Chinese translated differently, one person
    romanised two ways) look across all the records given together.
    """
    base = Context.default()
    config = config or ReviewConfig()
    checks = all_checks()
    config.validate(checks)
    ctx = Context(glossary or base.glossary, base.schema, config, base.cache if glossary is None else {})
    if isinstance(records, Record):
        records = [records]
    pairs: list[Pair] = []
    order: dict[Optional[str], int] = {}
    for record in records:
        order.setdefault(record.registration_number, len(order))
        pairs.extend(pairs_of(record, ctx))
    with _collector_paused():
        running = [c for c in checks.values() if config.runs(c.id)]
        field_checks = [c for c in running if c.scope == "field"]
        found: list[tuple[tuple, int, Finding]] = []
        for pair, got in _field_hits(pairs, field_checks, ctx):
            for check, hit in got:
                found.append(((order[pair.record], pair.position), check.rank, _finding(check, hit, pair, config)))
        for check in running:
            if check.scope == "batch":
                for hit in check.fn(pairs, ctx):
                    pair = hit.pair
                    found.append(((order[pair.record], pair.position), check.rank, _finding(check, hit, pair, config)))
        ctx.memo.clear()  # what was read from the texts, freed now: the collector, back on, has less to walk
    found.sort(key=itemgetter(0, 1))  # a field's findings in the checks' registry order
    return [f for _, _, f in found if not config.ignored(f)]
