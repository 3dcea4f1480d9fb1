"""The repair stage: every rule over every value, the fixes resolved, applied above a threshold.

Rules run on the values as aligned, so each repair's `at` is an offset in the value before repair.
A cheap scan comes first: a value with no character any rule looks at costs one regex search.
Labels are never touched; neither are identifier fields (numbers, phones, e-mails, websites).
"""
from __future__ import annotations

from typing import Optional

import regex

from ..labels import default_schema
from ..model import Field, Problem, Record, Repair
from .knowledge import Knowledge, default_knowledge
from .lookalike import lookalike
from .lost import Scope, restore
from .mojibake import GBK_MARKS, gbk, western
from .normalise import entities, fullwidth, invisibles
from .text import PROTECTED_KEYS, TIMEOUT, Fix

THRESHOLD = 0.8  # repairs at or above this confidence are applied; the others are reported

# Characters some rule looks at; a value without any of them is clean as far as repair goes.
_SUSPECT = regex.compile(
    "[?&\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2018-\u201e\u2020-\u2022"
    "\u2026\u2030\u2039\u203a\u20ac\u2122\u2013\u2014\u200b-\u200d\u2028\u2029\u2060\ufeff\uff01-\uff5e锟"
    + regex.escape(GBK_MARKS) + "]"
)
_OTHER = {"zh": "en", "en": "zh"}


def _record_text(record: Record):
    cache: list[str] = []

    def text() -> str:
        if not cache:
            cache.append("\n".join(v for f in record.fields for v in (f.zh.value, f.en.value) if v))
        return cache[0]

    return text


def _value_fixes(value: str, side: str, field: Field, scope: Scope) -> list[Fix]:
    if not _SUSPECT.search(value, timeout=TIMEOUT):
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
    record_text = _record_text(record)
    fields = list(record.fields)
    repairs: list[Repair] = []
    problems: list[Problem] = []
    changed = False
    for n, field in enumerate(fields):
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
