"""The repair stage: every rule over every value, the fixes resolved, applied above a threshold.

Rules run on the values as aligned, so each repair's `at` is an offset in the value before repair.
A cheap scan comes first: a value with no character any rule looks at costs one set test.
Labels are never touched; neither are identifier fields (numbers, phones, e-mails, websites).
"""
from __future__ import annotations

import re
from typing import Optional


from ..labels import default_schema
from ..model import Field, Problem, Record, Repair
from .knowledge import Knowledge, default_knowledge
from .lookalike import lookalike
from .lost import Scope, restore
from .mojibake import GBK_MARKS, gbk, western
from .normalise import entities, fullwidth, invisibles
from .text import PROTECTED_KEYS, Fix

THRESHOLD = 0.8  # repairs at or above this confidence are applied; the others are reported

# The characters some rule looks at; a value with none of them costs one scan. Chinese text is full
# of full-width punctuation, so that is a suspect on the English side only. A single character class
# cannot backtrack, so the scan uses the standard library's `re`, some 40 times faster here than `regex`.
_ZH_SUSPECTS = "?&\u200b\u200c\u200d\u2028\u2029\u2060\ufeff锟" + GBK_MARKS + "".join(map(chr, range(0xC2, 0xF5)))
_SUSPECTS = {
    "zh": re.compile("[" + re.escape(_ZH_SUSPECTS) + "]"),
    "en": re.compile("[" + re.escape(_ZH_SUSPECTS) + "\uff01-\uff5e]"),
}
_OTHER = {"zh": "en", "en": "zh"}


def _record_text(record: Record):
    cache: list[str] = []

    def text() -> str:
        if not cache:
            cache.append("\n".join(v for f in record.fields for v in (f.zh.value, f.en.value) if v))
        return cache[0]

    return text


def _value_fixes(value: str, side: str, field: Field, scope: Scope) -> list[Fix]:
    if not _SUSPECTS[side].search(value):
        return []
    fixes = gbk(value) + western(value) + restore(value, scope)
    fixes += fullwidth(value, side) + entities(value) + invisibles(value)
    return fixes


def _resolve(fixes: list[Fix]) -> list[Fix]:
    """Fixes that do not overlap, the earlier rule winning (rules are listed strongest first)."""
    ranked = sorted(enumerate(fixes), key=lambda p: (p[1].at, p[0]))
    kept: list[Fix] = []
    end = -1
    for _, fix in ranked:
        if fix.at >= end:
            kept.append(fix)
            end = fix.at + max(len(fix.before), 1)
    return kept


def _vocab_field(field: Field, knowledge: Knowledge) -> bool:
    return (field.key, "en") in knowledge.vocab or (field.key, "zh") in knowledge.vocab


def field_fixes(record: Record, field: Field, knowledge: Optional[Knowledge] = None,
                record_text=None) -> dict[str, list[Fix]]:
    """The fixes every rule proposes for one field, per side."""
    knowledge = knowledge or default_knowledge()
    record_text = record_text or _record_text(record)
    out: dict[str, list[Fix]] = {}
    if field.key in PROTECTED_KEYS:
        return out
    for side in ("zh", "en"):
        value = getattr(field, side).value
        if not value:
            continue
        fixes: list[Fix] = []
        entries = knowledge.vocab.get((field.key, side))
        if entries:
            fix = lookalike(value, entries, field.key)
            if fix:
                fixes.append(fix)
        other = getattr(field, _OTHER[side]).value
        scope = Scope(other=other if not field.shared else "", other_lang=_OTHER[side],
                      record_text=record_text, knowledge=knowledge)
        fixes += _value_fixes(value, side, field, scope)
        if fixes:
            out[side] = _resolve(fixes)
    return out


def _any_suspects(record: Record, knowledge: Knowledge) -> bool:
    """The scan of the whole record at once, so a clean record costs two scans and its vocabularies."""
    for side in ("zh", "en"):
        if _SUSPECTS[side].search("".join(getattr(f, side).value for f in record.fields)):
            return True
    for f in record.fields:
        for side in ("zh", "en"):
            value = getattr(f, side).value
            entries = knowledge.vocab.get((f.key, side)) if value else None
            if entries and value not in entries and lookalike(value, entries, f.key):
                return True
    return False


def _worth_a_look(field: Field, knowledge: Knowledge) -> bool:
    """The cheap scan: does any rule have something to look at in this field?"""
    for side in ("zh", "en"):
        value = getattr(field, side).value
        if value and _SUSPECTS[side].search(value):
            return True
        entries = knowledge.vocab.get((field.key, side)) if value else None
        if entries and value not in entries and lookalike(value, entries, field.key):
            return True
    return False


def _apply(value: str, fixes: list[Fix]) -> str:
    for fix in sorted(fixes, key=lambda f: f.at, reverse=True):
        value = value[:fix.at] + fix.after + value[fix.at + len(fix.before):]
    return value


def repair_record(record: Record, threshold: float = THRESHOLD,
                  knowledge: Optional[Knowledge] = None) -> Record:
    """The record with its repairs: applied at or above `threshold`, reported below it.

    Damage that cannot be undone (a `?` nothing explains, 锟斤拷) becomes a problem of the record.
    The input record is not changed; a record with nothing to repair comes back as it is.
    """
    knowledge = knowledge or default_knowledge()
    if not _any_suspects(record, knowledge):
        return record
    record_text = _record_text(record)
    fields = list(record.fields)
    repairs: list[Repair] = []
    problems: list[Problem] = []
    changed = False
    for n, field in enumerate(fields):
        if not _worth_a_look(field, knowledge):
            continue
        per_side = field_fixes(record, field, knowledge, record_text)
        if not per_side:
            continue
        own: list[Repair] = []
        values = {}
        for side, fixes in per_side.items():
            applied = []
            for fix in fixes:
                if fix.after is None:
                    problems.append(Problem(
                        code=f"unrepaired-{fix.rule}", field=field.key, lines=field.lines or None,
                        message=f"{side} value at {fix.at}: {fix.before!r}: {fix.evidence}"))
                    continue
                ok = fix.confidence >= threshold
                own.append(Repair(field=field.key, side=side, at=fix.at, before=fix.before, after=fix.after,
                                  rule=fix.rule, evidence=fix.evidence, confidence=fix.confidence,
                                  group=field.group, index=field.index, applied=ok))
                if ok:
                    applied.append(fix)
            if applied:
                values[side] = getattr(field, side).model_copy(
                    update={"value": _apply(getattr(field, side).value, applied)})
        if own or values:
            fields[n] = field.model_copy(update={**values, "repairs": [*field.repairs, *own]})
            repairs += own
            changed = True
    if not changed and not problems:
        return record
    return record.model_copy(update={"fields": fields, "repairs": [*record.repairs, *repairs],
                                     "problems": [*record.problems, *problems]})
