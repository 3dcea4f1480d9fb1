"""The repair stage: every rule over every value, the fixes resolved, applied above a threshold.

Two passes: characters first (mojibake, entities, width, invisibles), then words (look-alikes, lost
characters) on the result, so one kind of damage does not hide the evidence for another. Every
repair's `at` is an offset in the value as aligned. A cheap scan comes first: a record with no
character any rule looks at costs one pass over its values. Labels are never touched; neither are
identifier fields (numbers, phones, e-mails, websites).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, compress
from typing import TYPE_CHECKING, NamedTuple, Optional

from ..labels import keys_with
from ..problems import problem_data
from . import bestfit
from .corpus import Spellings
from .knowledge import Knowledge, default_knowledge, is_word
from .lookalike import lookalike
from .lost import RULES as LOST_RULES, Scope, restore
from .mojibake import GBK_MARKS, gbk, western
from .normalise import entities, fullwidth, invisibles
from .text import PROTECTED_KEYS, Fix, inside, protected_spans

if TYPE_CHECKING:
    from ..model import Record

THRESHOLD = 0.8  # repairs at or above this confidence are applied; the others are reported
_NAME_KEYS = keys_with("person-name") | keys_with("institution")  # where `?` between two names is 、

# The characters some rule looks at; a value with none of them costs one check. Chinese text is full
# of full-width punctuation, so that is a suspect on the English side only. A single character class
# cannot backtrack, so the scan uses the standard library's `re`, some 40 times faster here than `regex`.
# `?` and `&` are the only ASCII characters here (`_Chars.ascii` relies on it).
_ZH_CHARS = "&\u200b\u200c\u200d\u2028\u2029\u2060\ufeff锟" + GBK_MARKS + "".join(map(chr, range(0xC2, 0xF5)))


class _Chars(NamedTuple):
    """A class of suspect characters, and those of them that are ASCII (`?`, `&`): an ASCII value (most
    English ones; `isascii` reads a flag) can hold only these, found by substring tests far cheaper than
    the class, which costs some 25 instructions a character.

    >>> _SUSPECTS["en"].found_in("PD?1"), _CHARS["en"].found_in("PD?1"), _CHARS["en"].found_in("PD－1")
    (True, False, True)
    """

    pattern: re.Pattern
    ascii: str

    def found_in(self, value: str) -> bool:
        if value.isascii():
            return any(ch in value for ch in self.ascii)
        return self.pattern.search(value) is not None


_CHARS = {  # what the character pass looks at
    "zh": _Chars(re.compile("[" + re.escape(_ZH_CHARS) + "]"), "&"),
    "en": _Chars(re.compile("[" + re.escape(_ZH_CHARS) + "\uff01-\uff5e]"), "&"),
}
_SUSPECTS = {  # and the word pass too
    "zh": _Chars(re.compile("[?" + re.escape(_ZH_CHARS) + "]"), "?&"),
    "en": _Chars(re.compile("[?" + re.escape(_ZH_CHARS) + "\uff01-\uff5e]"), "?&"),
}
_OTHER = {"zh": "en", "en": "zh"}


def _at(fix: Fix) -> int:
    return fix.at


def _resolve(fixes: list[Fix]) -> list[Fix]:
    """Fixes that do not overlap, the earlier rule winning (rules are listed strongest first)."""
    if len(fixes) < 2:
        return list(fixes)
    kept: list[Fix] = []
    for fix in fixes:
        if all(fix.at + len(fix.before) <= k.at or fix.at >= k.at + len(k.before) for k in kept):
            kept.append(fix)
    return sorted(kept, key=_at)


def _apply(value: str, fixes: list[Fix]) -> str:
    for fix in sorted(fixes, key=_at, reverse=True):
        value = value[:fix.at] + fix.after + value[fix.at + len(fix.before):]
    return value


def _character_fixes(value: str, side: str) -> list[Fix]:
    """The first pass: damage to characters (mojibake, entities, width, invisibles)."""
    return _resolve(gbk(value) + western(value) + fullwidth(value, side) + entities(value) + invisibles(value))


def _word_fixes(value: str, side: str, key: str, scope: Scope, knowledge: Knowledge,
                best: Optional[bestfit.Context] = None) -> list[Fix]:
    """The second pass, on values with the first pass applied: ICTRP's best-fit damage (on records
    from ICTRP exports), look-alikes and lost characters."""
    fixes = best.fixes(value, key) if best is not None and side == "en" else []
    entries = knowledge.vocab.get((key, side))
    if entries and value not in entries:
        fix = lookalike(value, entries, key)
        if fix:
            fixes.append(fix)
    if "?" in value:
        fixes += restore(value, scope)
    return _resolve(fixes)


def _back(original: str, first: list[Fix], applied: list[Fix], middle: str, second: list[Fix]) -> list[Fix]:
    """Second-pass fixes in the original value's offsets; one that overlaps first-pass repairs is merged
    with them (`ＰＤ?１` is one repair to `PD-1`), so one pass over the original gives the result."""
    spans, shift = [], 0
    for f in applied:
        spans.append((f.at + shift, f.at + shift + len(f.after), f))
        shift += len(f.after) - len(f.before)

    def to_original(p: int, end: bool = False) -> int:
        # text a first-pass fix removed right at the end of a span lies outside it
        return p - sum(len(f.after) - len(f.before) for s, e, f in spans if e < p or e == p and not (end and s == e))

    out = list(first)
    merged_away: set[int] = set()  # first-pass fixes already merged into a second-pass one
    for fix in second:
        a, b = fix.at, fix.at + len(fix.before)
        hits = [(s, e, f) for s, e, f in spans if (s < b and e > a) or (s == e and a < s < b)]
        s1, e1 = min([a] + [h[0] for h in hits]), max([b] + [h[1] for h in hits])
        s0, e0 = to_original(s1), to_original(e1, end=True)
        if not hits or fix.after is None:
            out.append(fix._replace(at=s0, before=original[s0:e0]))
            continue
        if any(id(h[2]) in merged_away for h in hits):
            continue  # a repair there is made already (`â€¨â€¨`: two second-pass fixes over one first-pass span)
        for h in hits:
            out.remove(h[2])
            merged_away.add(id(h[2]))
        merged = [fix] + [h[2] for h in hits]
        out.append(Fix(s0, original[s0:e0], middle[s1:a] + fix.after + middle[b:e1],
                       "+".join(dict.fromkeys(f.rule for f in merged)),
                       "; ".join(dict.fromkeys(f.evidence for f in merged)), min(f.confidence for f in merged)))
    return sorted(out, key=_at)


class _Value:
    """One value through both passes."""

    __slots__ = ("original", "first", "applied", "middle")

    def __init__(self, original: str, side: str, threshold: float):
        self.original = self.middle = original
        self.first: list[Fix] = []
        self.applied: list[Fix] = []
        if not _CHARS[side].found_in(original):
            return
        fixes = _character_fixes(original, side)
        for _ in range(3):  # one fix can uncover another (`鍩轰簬ＰＤ` decodes once the width is folded)
            applied = [f for f in fixes if f.after is not None and f.confidence >= threshold]
            if not applied:
                break
            self.first, self.applied, self.middle = fixes, applied, _apply(original, applied)
            again = _character_fixes(self.middle, side) if _CHARS[side].found_in(self.middle) else []
            if not any(f.after is not None and f.confidence >= threshold for f in again):
                break
            fixes = _back(original, fixes, applied, self.middle, again)
        self.first = self.first or fixes

    def fixes(self, second: list[Fix]) -> list[Fix]:
        if not self.applied:
            return sorted(self.first + second, key=_at)
        return _back(self.original, self.first, self.applied, self.middle, second)


def _needs_words(value: str, side: str, key: str, knowledge: Knowledge, best: bool = False) -> bool:
    if "?" in value or best and side == "en" and bestfit.SUSPECT.search(value):
        return True
    entries = knowledge.vocab.get((key, side))
    return bool(entries) and value not in entries and lookalike(value, entries, key) is not None


def _suspects(values: list[str], pattern: re.Pattern) -> set[int]:
    """Positions of the values holding a suspect character: one search over all of them joined, since
    most values hold none and one C-level scan is far cheaper than a Python call per value. The pattern
    is one character class, so a match never straddles two values."""
    joined = "".join(values)
    found = pattern.search(joined)
    if found is None:
        return set()
    ends = list(accumulate(map(len, values)))
    out: set[int] = set()
    while found is not None:
        n = bisect_right(ends, found.start())
        out.add(n)
        found = pattern.search(joined, ends[n])  # the rest of this value holds nothing new
    return out


def _suspect_values(values: list[str], chars: _Chars) -> set[int]:
    """`_suspects` of a side's values: those that are not ASCII searched joined with the class, the ASCII
    ones (most English values) joined and searched for each ASCII suspect by `str.find`."""
    narrow = [v.isascii() for v in values]
    wide = [n for n, a in enumerate(narrow) if not a]
    found = {wide[k] for k in _suspects([values[n] for n in wide], chars.pattern)}
    plain = [n for n, a in enumerate(narrow) if a]
    found.update(plain[k] for k in _found([values[n] for n in plain], chars.ascii))
    return found


def _found(values: list[str], chars: str) -> set[int]:
    """Positions of the values holding one of the characters, found in the values joined."""
    joined = "".join(values)
    out: set[int] = set()
    ends: list[int] = []
    for ch in chars:
        at = joined.find(ch)
        if at >= 0 and not ends:
            ends = list(accumulate(map(len, values)))  # once, and only when a value holds one
        while at >= 0:
            n = bisect_right(ends, at)
            out.add(n)
            at = joined.find(ch, ends[n])  # the rest of this value holds nothing new
    return out


def _candidates(keys: list[str], zh: list[str], en: list[str],
                knowledge: Knowledge) -> set[tuple[int, str]]:
    """The values any rule has something to look at: a value with a suspect character, a controlled
    value that is not an entry of its vocabulary. Identifier fields are left alone."""
    found = {(n, "zh") for n in _suspect_values(zh, _SUSPECTS["zh"])} | {(n, "en") for n in _suspect_values(en, _SUSPECTS["en"])}
    controlled = knowledge.controlled
    for n in compress(range(len(keys)), map(controlled.__contains__, keys)):
        key = keys[n]
        for side, entries, accepted in controlled[key]:
            value = zh[n] if side == "zh" else en[n]
            if value and entries and value not in accepted and lookalike(value, entries, key):
                found.add((n, side))
    return {(n, side) for n, side in found if keys[n] not in PROTECTED_KEYS}


def _rounds(middle: str, final: str, applied: list[Fix]) -> list[Fix]:
    """Applied word fixes of all rounds, those that touch merged (`first?` decided once `?PD` was)."""
    merged: list[list[Fix]] = []
    for fix in sorted(applied, key=_at):
        if merged and fix.at <= max(x.at + len(x.before) for x in merged[-1]):
            merged[-1].append(fix)
        else:
            merged.append([fix])
    out = []
    for group in merged:
        if len(group) == 1:  # one fix of one round: its own text before and after
            out.append(group[0])
            continue
        start, end = group[0].at, max(x.at + len(x.before) for x in group)
        out.append(Fix(start, middle[start:end], final[start:end], "+".join(dict.fromkeys(x.rule for x in group)),
                       "; ".join(dict.fromkeys(x.evidence for x in group)), min(x.confidence for x in group)))
    return out


def values(record: Record | dict) -> list[str]:
    """Every value of a record (or of its plain data), Chinese then English: what `Spellings` counts."""
    _, _, zh, en = _columns(record)
    return zh + en


def _columns(record: Record | dict) -> tuple[list[str], list[bool], list[str], list[str]]:
    """The keys, shared flags, Chinese and English values of every field, from a Record or its plain data."""
    if not isinstance(record, dict):  # a Record
        fields = record.fields
        return ([f.key for f in fields], [f.shared for f in fields], [f.zh.value for f in fields],
                [f.en.value for f in fields])
    fields = record["fields"]
    return ([f["key"] for f in fields], [f["shared"] for f in fields], [f["zh"]["value"] for f in fields],
            [f["en"]["value"] for f in fields])


def plan(record: Record | dict, threshold: float = THRESHOLD, knowledge: Optional[Knowledge] = None,
         corpus: Optional[Spellings] = None, columns: Optional[tuple] = None) -> dict[tuple[int, str], list[Fix]]:
    """Every fix the rules propose, per (field position, side), in offsets of the value as aligned.

    The word pass reads its evidence (the other side, the rest of the record) from the values as
    repaired so far: after the character pass, so mojibake next door hides nothing, and again for
    values with a `?` left once others were repaired (a value repaired from the glossary is evidence
    for its twin), until nothing changes; a second run then finds nothing new. With a `corpus`, what
    the records counted into it spell is evidence too. `columns`: the record's `_columns`, when the caller
    has them (the lists are not changed).
    """
    knowledge = knowledge or default_knowledge()
    keys, shared, zh, en = columns or _columns(record)
    candidates = _candidates(keys, zh, en, knowledge)
    best = bestfit.Context(keys, list(en), _NAME_KEYS) if bestfit.is_ictrp(record) else None
    if best is not None:  # `=`, `ß` and `109` are suspects too in an ICTRP export's English
        candidates |= {(n, "en") for n in _suspects(en, bestfit.SUSPECT_CHARS) if keys[n] not in PROTECTED_KEYS}
    if not candidates:
        return {}
    evidence = {"zh": list(zh), "en": list(en)}  # the values as repaired so far (the columns are left as given)
    values: dict[tuple[int, str], _Value] = {}
    for n, side in sorted(candidates, key=lambda k: (k[0], k[1] == "en")):  # page order, Chinese first
        v = _Value(evidence[side][n], side, threshold)
        evidence[side][n] = v.middle
        values[(n, side)] = v
    # Word fixes keep lengths, so each round runs on the value as repaired so far and its offsets hold
    # for the value after the character pass too.
    done: dict[tuple[int, str], list[Fix]] = {k: [] for k in values}  # applied, all rounds
    left: dict[tuple[int, str], list[Fix]] = {}  # reported, last round
    todo = [k for k, v in values.items() if _needs_words(v.middle, k[1], keys[k[0]], knowledge, best is not None)]
    for _ in range(4):
        text: list[str] = []

        def record_text() -> str:
            if not text:  # every value, field by field, Chinese first
                text.append("\n".join(filter(None, chain.from_iterable(zip(evidence["zh"], evidence["en"])))))
            return text[0]

        repaired = {}
        for n, side in todo:
            current = evidence[side][n]
            scope = Scope(other=evidence[_OTHER[side]][n] if not shared[n] else "", other_lang=_OTHER[side],
                          record_text=record_text, knowledge=knowledge, corpus=corpus, threshold=threshold)
            fixes = _word_fixes(current, side, keys[n], scope, knowledge, best)
            applied = [x for x in fixes if x.after is not None and x.confidence >= threshold]
            left[(n, side)] = [x for x in fixes if x not in applied]
            done[(n, side)] += applied
            repaired[(n, side)] = _apply(current, applied)
        changed = False
        for (n, side), value in repaired.items():
            changed = changed or value != evidence[side][n]
            evidence[side][n] = value
        if not changed:
            break
        todo = [(n, side) for n, side in todo if "?" in evidence[side][n]]
    second = {k: _rounds(values[k].middle, evidence[k[1]][k[0]], done[k]) + left.get(k, []) for k in values}
    out = {}
    for k, v in values.items():
        fixes = v.fixes(_resolve(second[k]))
        if fixes:
            out[k] = fixes
    return out


def repair_data(data: dict, threshold: float = THRESHOLD, knowledge: Optional[Knowledge] = None,
                corpus: Optional[Spellings] = None) -> bool:
    """Repair a record given as plain data (the aligner's output, before validation), in place.

    The pipeline repairs here, so a record is validated once, repairs included. Applied repairs change
    the value (at or above `threshold`), the others are reported; damage that cannot be undone (a `?`
    nothing explains, 锟斤拷) becomes a problem of the record. True when anything was added.
    """
    columns = _columns(data)
    keys, _, zh, en = columns
    return _put(data, plan(data, threshold, knowledge, corpus, columns), threshold, _identifier_marks(keys, zh, en))


def _is_lost(rule: str) -> bool:
    """A lost-character fix (alone or merged with first-pass fixes: `fullwidth-ascii+lost-hyphen`)."""
    return any(part in LOST_RULES for part in rule.split("+"))


def _left_marks(fix: Fix, applied: bool) -> list[int]:
    """Offsets (in the value as aligned) of the `?` a lost-character fix leaves as they were."""
    if "?" not in fix.before or not _is_lost(fix.rule):
        return []
    marks = [fix.at + j for j, ch in enumerate(fix.before) if ch == "?"]
    if not applied or fix.after is None:
        return marks
    if len(fix.after) == len(fix.before):
        return [at for at in marks if fix.after[at - fix.at] == "?"]
    return marks if "?" in fix.after else []


def _identifier_marks(keys: list[str], zh: list[str], en: list[str]) -> dict[tuple[int, str], list[int]]:
    """The `?` between two word characters in identifier fields, which are never repaired: an
    identifier keeps its `?` (`2025?SR?1048`), and each is reported."""
    out: dict[tuple[int, str], list[int]] = {}
    for n, key in enumerate(keys):
        if key not in PROTECTED_KEYS:
            continue
        for side, value in (("zh", zh[n]), ("en", en[n])):
            if "?" not in value:
                continue
            spans = protected_spans(value, marks_only=True)  # a URL's query string is no damage
            marks = [i for i in range(1, len(value) - 1) if value[i] == "?" and is_word(value[i - 1])
                     and is_word(value[i + 1]) and not inside(i, spans)]
            if marks:
                out[(n, side)] = marks
    return out


def _where(problem) -> tuple:
    """What tells two problems apart (the aligner's may still be Problem objects)."""
    get = problem.get if isinstance(problem, dict) else lambda k: getattr(problem, k, None)
    return tuple(get(k) for k in ("code", "field", "side", "at", "group", "index", "message"))


def _lost_problem(field: dict, side: str, at: int, why: str) -> dict:
    return problem_data("lost-character", f"{side} value at {at}: a `?` stands for a character the export lost; {why}",
                        field=field["key"], lines=field["lines"] or None, side=side, at=at, group=field["group"],
                        index=field["index"])


def _put(data: dict, planned: dict[tuple[int, str], list[Fix]], threshold: float,
         identifiers: dict[tuple[int, str], list[int]]) -> bool:
    fields = data["fields"]
    repairs: list[dict] = []
    problems: list[dict] = []
    for (n, side), marks in identifiers.items():
        problems += [_lost_problem(fields[n], side, at, "an identifier is never guessed") for at in marks]
    for (n, side), fixes in planned.items():
        field = fields[n]
        own, applied = [], []
        for fix in fixes:
            ok = fix.after is not None and fix.confidence >= threshold
            why = ("nothing in the record, the glossary or word knowledge says which" if fix.after is None
                   else f"the best guess, {fix.after!r} ({fix.confidence:.2f}), is below the threshold" if not ok
                   else "nothing says which")
            problems += [_lost_problem(field, side, at, why) for at in _left_marks(fix, ok)]
            if fix.after is None:
                if not _is_lost(fix.rule):
                    problems.append(problem_data(
                        fix.rule if fix.rule == bestfit.LOST_TEXT else f"unrepaired-{fix.rule}",
                        f"{side} value at {fix.at}: {fix.before!r}: {fix.evidence}",
                        field=field["key"], lines=field["lines"] or None))
                continue
            own.append({"field": field["key"], "side": side, "at": fix.at, "before": fix.before, "after": fix.after,
                        "rule": fix.rule, "evidence": fix.evidence, "confidence": fix.confidence,
                        "group": field["group"], "index": field["index"], "applied": ok})
            if ok:
                applied.append(fix)
        if not own:
            continue
        field["repairs"] = [*field.get("repairs", ()), *own]
        if applied:
            field[side] = {**field[side], "value": _apply(field[side]["value"], applied)}
        repairs += own
    known = data.get("problems") or []
    seen = {_where(p) for p in known}
    problems = [p for p in problems if _where(p) not in seen]  # repairing again reports nothing twice
    if not repairs and not problems:
        return False
    data["repairs"] = [*data.get("repairs", ()), *repairs]
    data["problems"] = [*known, *problems]
    return True


def repair_record(record: Record, threshold: float = THRESHOLD, knowledge: Optional[Knowledge] = None,
                  corpus: Optional[Spellings] = None) -> Record:
    """The record with its repairs (see `repair_data`). The input record is not changed; a record
    with nothing to repair comes back as it is."""
    planned = plan(record, threshold, knowledge, corpus)
    keys, _, zh, en = _columns(record)
    identifiers = _identifier_marks(keys, zh, en)
    if not planned and not identifiers:
        return record
    data = record.model_dump()
    return type(record).model_validate(data) if _put(data, planned, threshold, identifiers) else record
