"""Damage planted into clean records, with its truth: what exports do to registry text.

A character GBK/GB2312 cannot hold becomes `?` (a lost space only in names, where the real pages lose a
non-breaking space), a controlled value gets one look-alike character, a value is mis-decoded (UTF-8
read as Windows-1252 or as GBK), or gets full-width letters, an `&nbsp;`, a zero-width space or a U+2028.

>>> mojibake_1252("café")
'cafÃ©'
"""
from __future__ import annotations

import random
from typing import NamedTuple

from ..model import Field, Record
from ..repair.knowledge import could_be_lost, is_word
from ..repair.text import PROTECTED_KEYS

# Windows-1252 as browsers decode it: its five undefined bytes kept as the C1 controls they stand for.
_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def mojibake_1252(text: str) -> str:
    """UTF-8 bytes read as Windows-1252, the commonest mojibake."""
    return text.encode("utf-8").decode("latin-1").translate(_CP1252)


CONFUSABLE = {"O": "0", "o": "о", "l": "1", "I": "1", "a": "а", "e": "е", "c": "с", "p": "р", "B": "В",
              "H": "Н", "T": "Т", "P": "Р", "C": "С"}


class Plant(NamedTuple):
    """One planted damage: where, what was there (the truth) and what the export made of it."""

    field: int  # position in record.fields
    side: str
    at: int
    truth: str
    damaged: str
    kind: str


def _lost_sites(field: Field, side: str) -> list[int]:
    """Where an export could lose a character: any character GBK may not hold, a hyphen inside a word,
    and a space between two capitalised words of a name."""
    value = getattr(field, side).value
    name = field.key in ("applicant_institution", "study_leader_affiliation", "primary_sponsor", "institution")
    sites = []
    for i, ch in enumerate(value):
        if not could_be_lost(ch) or i == 0 or i == len(value) - 1:
            continue
        if ch == "-" and not (is_word(value[i - 1]) and is_word(value[i + 1])):
            continue
        if ch == " " and not (name and side == "en" and value[i - 1].isalpha() and value[i + 1].isupper()):
            continue
        if "http" in value[max(0, i - 40):i] and " " not in value[max(0, i - 40):i]:
            continue
        if ch in "“”‘’。，；：（）、" or ch.isspace() and ch != " ":
            continue
        sites.append(i)
    return sites


def _set(record: Record, n: int, side: str, value: str) -> Record:
    fields = list(record.fields)
    f = fields[n]
    fields[n] = f.model_copy(update={side: getattr(f, side).model_copy(update={"value": value})})
    return record.model_copy(update={"fields": fields})


def plant_lost(record: Record, rng: random.Random, count: int = 3) -> tuple[Record, list[Plant]]:
    """Turn up to `count` characters an export could not hold into `?`."""
    sites = [(n, side, i) for n, f in enumerate(record.fields) if f.key not in PROTECTED_KEYS
             for side in ("zh", "en") for i in _lost_sites(f, side)]
    plants = []
    for n, side, i in rng.sample(sites, min(count, len(sites))):
        value = getattr(record.fields[n], side).value
        plants.append(Plant(n, side, i, value[i], "?", "lost"))
        record = _set(record, n, side, value[:i] + "?" + value[i + 1:])
    return record, plants


def plant_other(record: Record, rng: random.Random, kind: str, vocab_keys: set[str]) -> tuple[Record, list[Plant]]:
    """One damage of another kind: lookalike, mojibake-latin1, mojibake-gbk, fullwidth, entity,
    zero-width or line-separator. The truth is the whole clean value."""
    cands = []
    for n, f in enumerate(record.fields):
        if f.key == "registration_number" or f.shared:
            continue
        zh, en = f.zh.value, f.en.value
        if kind == "lookalike" and f.key in vocab_keys and any(c in CONFUSABLE for c in en):
            cands.append((n, "en"))
        elif kind == "mojibake-latin1" and any(ord(c) > 127 for c in en) and "http" not in en:
            cands.append((n, "en"))
        elif kind == "mojibake-gbk" and len(zh) >= 4 and "http" not in zh:
            cands.append((n, "zh"))
        elif kind in ("fullwidth", "entity") and " " in en and len(en) > 20 and "@" not in en and "http" not in en:
            cands.append((n, "en"))
        elif kind == "zero-width" and len(en) > 20 and "@" not in en and "http" not in en:
            cands.append((n, "en"))
        elif kind == "line-separator" and "\n" in en:
            cands.append((n, "en"))
    rng.shuffle(cands)
    for n, side in cands:
        value = getattr(record.fields[n], side).value
        damaged = _damage(value, kind, rng)
        if damaged and damaged != value:
            return _set(record, n, side, damaged), [Plant(n, side, 0, value, damaged, kind)]
    return record, []


def _damage(value: str, kind: str, rng: random.Random) -> str | None:
    if kind == "lookalike":
        i = rng.choice([i for i, c in enumerate(value) if c in CONFUSABLE])
        return value[:i] + CONFUSABLE[value[i]] + value[i + 1:]
    if kind == "mojibake-latin1":
        return mojibake_1252(value)
    if kind == "mojibake-gbk":
        data = value.encode("utf-8")
        if len(data) % 2:
            return None
        try:
            return data.decode("gbk")
        except UnicodeDecodeError:
            return None
    words = [i for i, c in enumerate(value) if c == " "]
    i = rng.choice(words) if words else rng.randrange(1, len(value))
    if kind == "fullwidth":
        end = i + 1
        while end < len(value) and "!" <= value[end] <= "~":
            end += 1
        word = value[i + 1:end]
        if not word:
            return None
        return value[:i + 1] + "".join(chr(ord(c) + 0xFEE0) for c in word) + value[end:]
    if kind == "entity":
        return value[:i] + "&nbsp;" + value[i + 1:]
    if kind == "zero-width":
        return value[:i] + "\u200b" + value[i:]
    i = rng.choice([i for i, c in enumerate(value) if c == "\n"])
    return value[:i] + "\u2028" + value[i + 1:]


OTHER_KINDS = ("lookalike", "mojibake-latin1", "mojibake-gbk", "fullwidth", "entity", "zero-width", "line-separator")


