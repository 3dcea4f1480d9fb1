"""Damage for the real-text repair benchmark: what a GBK export does to text a registrant pasted.

A registrant who pastes from Word or a PDF brings U+2010/U+2011 hyphens, U+2013 dashes and U+00A0
spaces; a GBK export with errors="replace" turns each into `?`, in both languages' values at once.
`damage` plants that on a clean record: every hyphen or dash between letters or between a digit and
a letter (not inside URLs, e-mails or registration numbers, which are typed, not pasted), the space
inside a few capitalised two-word institution names, and every `≥`, `≤`, `²`, `µ`, `×`. Each planted
`?` is a `Spot` with its kind, read from the clean text, so the figures can be given per kind.
`score` compares a repaired record with the clean one. Kept here, not in the package: the package
must not learn from its own test.
"""
from __future__ import annotations

import random
from collections import Counter
from typing import NamedTuple

import regex

from bilingual_registry.labels import keys_with
from bilingual_registry.model import Record

JOINERS = "-\u2010\u2011\u2012\u2013"
SIGNS = {"≥": "≥/≤", "≤": "≥/≤", "²": "²", "µ": "µ", "×": "×"}
_ALNUM = r"[\p{Latin}\p{Greek}\d]"
_HYPHEN = regex.compile(rf"(?<={_ALNUM})[{JOINERS}](?={_ALNUM})")
_TYPED = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+|\b(?:ChiCTR|ChiMCTR|ITMCTR|AMCTR|NCT)[-\w]*")
_NAME_SPACE = regex.compile(r"(?<=\b\p{Lu}\p{Ll}+) (?=\p{Lu}\p{Ll}+\b)")
_TOKEN = regex.compile(rf"{_ALNUM}+(?:[{JOINERS}]{_ALNUM}+)*")
_STAGE = regex.compile(r"(?:[IVX]+[A-C]?\d?|[A-Z]{1,2}\d{1,2}[a-c]?)")
# Words the kinds are told apart by (reporting only; the repair has its own knowledge).
PREFIXES = frozenset("de re non anti pre post self co semi multi inter intra extra ultra sub over under "
                     "mid neo peri well quasi un counter cross trans bi tri".split())
INSTITUTION_KEYS = keys_with("institution")
IDENTIFIER_KEYS = keys_with("identifier") | keys_with("contact")
FOLD = str.maketrans({c: "-" for c in JOINERS} | {"\u00a0": " ", "μ": "µ"})


class Spot(NamedTuple):
    field: int
    side: str
    at: int
    truth: str
    kind: str


def _hyphen_kind(value: str, i: int, key: str) -> str:
    token = next(m for m in _TOKEN.finditer(value) if m.start() <= i < m.end()).group(0)
    left = regex.search(rf"{_ALNUM}+$", value[:i]).group(0)
    right = regex.match(rf"{_ALNUM}+", value[i + 1:]).group(0)
    if key in IDENTIFIER_KEYS or (sum(c.isdigit() for c in token) >= 4 and sum(c in JOINERS for c in token) >= 2):
        return "identifier"
    if _STAGE.fullmatch(left) and _STAGE.fullmatch(right):
        return "range"
    if left.lower() in PREFIXES:
        return "prefix"
    if regex.fullmatch(r"\p{Lu}\p{Ll}+", left) and regex.fullmatch(r"\p{Lu}\p{Ll}+", right):
        return "name pair"
    if regex.fullmatch(r"\p{Lu}", left) or regex.fullmatch(r"\p{Lu}", right):
        return "capital + word"
    if any(c.isdigit() for c in left + right) or left.isupper() or right.isupper():
        return "abbreviation/number"
    return "compound"


def damage_value(value: str, key: str, rng: random.Random, spaces: int) -> tuple[str, list[tuple[int, str, str]]]:
    """The value as a GBK export leaves it: (damaged value, [(offset, clean character, kind)])."""
    typed = [m.span() for m in _TYPED.finditer(value)]
    spots = [(m.start(), _hyphen_kind(value, m.start(), key)) for m in _HYPHEN.finditer(value)
             if not any(s <= m.start() < e for s, e in typed)
             and not (value[m.start() - 1].isdigit() and value[m.start() + 1].isdigit())]
    spots += [(i, SIGNS[ch]) for i, ch in enumerate(value) if ch in SIGNS]
    if key in INSTITUTION_KEYS and spaces:
        names = [m.start() for m in _NAME_SPACE.finditer(value)]
        spots += [(i, "institution space") for i in rng.sample(names, min(spaces, len(names)))]
    chars = list(value)
    out = []
    for i, kind in sorted(spots):
        out.append((i, value[i], kind))
        chars[i] = "?"
    return "".join(chars), out


def damage(record: Record, rng: random.Random, spaces: int = 3) -> tuple[Record, list[Spot]]:
    """The record with every planted `?`, and the spots; up to `spaces` institution-name spaces a record."""
    fields, spots = [], []
    chosen = _space_fields(record, rng, spaces)
    for n, f in enumerate(record.fields):
        sides = {}
        for side in ("zh", "en"):
            value = getattr(f, side).value
            damaged, found = damage_value(value, f.key, rng, chosen.get((n, side), 0))
            spots += [Spot(n, side, i, ch, kind) for i, ch, kind in found]
            if damaged != value:
                sides[side] = getattr(f, side).model_copy(update={"value": damaged})
        fields.append(f.model_copy(update=sides) if sides else f)
    return record.model_copy(update={"fields": fields}), spots


def _space_fields(record: Record, rng: random.Random, spaces: int) -> dict[tuple[int, str], int]:
    """Which institution values lose a space, one each, at most `spaces` a record."""
    names = [(n, side) for n, f in enumerate(record.fields) if f.key in INSTITUTION_KEYS
             for side in ("zh", "en") if _NAME_SPACE.search(getattr(f, side).value)]
    return {k: 1 for k in rng.sample(names, min(spaces, len(names)))}


class Score(NamedTuple):
    fields: Counter  # damaged, restored, clean, untouched; per kind: "<kind> damaged/restored"
    spots: Counter  # per kind: planted, restored, wrong, left, reported


def score(clean: Record, damaged: Record, repaired: Record, spots: list[Spot], tally: Score,
          show: list | None = None) -> None:
    """Fields restored (equal to the clean value, hyphen and dash variants alike), clean fields left
    untouched, and per spot: restored, wrong, left as `?` (and then reported as a problem or not)."""
    reported = {(p.field, getattr(p, "side", None), getattr(p, "at", None), getattr(p, "group", None),
                 getattr(p, "index", None)) for p in repaired.problems if p.code == "lost-character"}
    by_value: dict[tuple[int, str], list[Spot]] = {}
    for s in spots:
        by_value.setdefault((s.field, s.side), []).append(s)
    for n, (c, d, r) in enumerate(zip(clean.fields, damaged.fields, repaired.fields)):
        for side in ("zh", "en"):
            cv, dv, rv = getattr(c, side).value, getattr(d, side).value, getattr(r, side).value
            mine = by_value.get((n, side), [])
            if not mine:
                tally.fields["clean"] += 1
                tally.fields["untouched"] += rv == cv
                if rv != cv and show is not None:
                    show.append(("changed clean", c.key, side, cv, rv))
                continue
            ok = rv.translate(FOLD) == cv.translate(FOLD)
            kinds = {s.kind for s in mine} | ({"several ?"} if len(mine) >= 3 else set())
            scored = "identifier" not in kinds  # identifiers are to be kept and reported, not guessed
            tally.fields["damaged"] += scored
            tally.fields["restored"] += ok and scored
            for kind in kinds:
                tally.fields[f"{kind} damaged"] += 1
                tally.fields[f"{kind} restored"] += ok
            if not ok and show is not None:
                show.append(("not restored", c.key, side, dv, rv))
            for s in mine:
                got = rv[s.at] if len(rv) == len(dv) else None
                tally.spots[f"{s.kind} planted"] += 1
                if got == "?":
                    tally.spots[f"{s.kind} left"] += 1
                    tally.spots[f"{s.kind} reported"] += (c.key, side, s.at, c.group, c.index) in reported
                elif got is not None and got.translate(FOLD) == s.truth.translate(FOLD):
                    tally.spots[f"{s.kind} restored"] += 1
                else:
                    tally.spots[f"{s.kind} wrong"] += 1
                if got != s.truth and show is not None and (got or "").translate(FOLD) != s.truth.translate(FOLD):
                    show.append(("spot", s.kind, f"{c.key} {side} -> {got!r} (was {s.truth!r})",
                                 dv[max(0, s.at - 25):s.at + 25], None))
