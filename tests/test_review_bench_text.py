"""The review benchmark's text copies: a defect planted into the text of a real record lands in the
field it names once the text is parsed again, and the review finds it there."""
from __future__ import annotations

import doctest
import random
import sys

from conftest import EXAMPLE, ROOT

from bilingual_registry import parse_file, parse_text, render, review

sys.path.insert(0, str(ROOT / "benchmarks"))

import review_defects  # noqa: E402


def _copy(repair=True):
    text = render(parse_file(EXAMPLE)[0])
    clean = parse_text(text, repair=repair)
    return text, clean, review([clean])


def test_locate_doctest():
    assert doctest.testmod(review_defects).failed == 0


def test_missing_english_planted_in_the_text_is_found_in_that_field():
    text, clean, findings = _copy()
    got = review_defects.plant_text(text, clean, findings, "missing", random.Random(1))
    (where,) = got.wheres
    field = next(f for n, f in enumerate(got.record.fields) if review_defects._where(got.record, n) == where)
    before = next(f for n, f in enumerate(clean.fields) if review_defects._where(clean, n) == where)
    assert before.en.value and not field.en.value.strip() and field.zh.value == before.zh.value
    assert not got.undone and not got.altered
    new = [f for f in review([got.record]) if f.check == "missing-translation"]
    assert any(f.field == before.key for f in new)


def test_missing_chinese_empties_the_chinese_side_of_the_text():
    text, clean, findings = _copy()
    got = review_defects.plant_text(text, clean, findings, "missing-chinese", random.Random(2))
    (where,) = got.wheres
    field = next(f for n, f in enumerate(got.record.fields) if review_defects._where(got.record, n) == where)
    assert not field.zh.value.strip() and field.en.value.strip()


def test_chinese_punctuation_in_the_text_is_repaired_by_the_parser_unless_repair_is_off(monkeypatch):
    monkeypatch.setattr(review_defects, "_CN_MARKS", {",": ("，",), ";": ("；",), ":": ("：",), ".": ("．",)})
    text, clean, findings = _copy()
    got = review_defects.plant_text(text, clean, findings, "chinese-punctuation", random.Random(3))
    assert got.undone  # the parser's full-width repair took the `，` back out
    text, clean, findings = _copy(repair=False)
    got = review_defects.plant_text(text, clean, findings, "chinese-punctuation", random.Random(3), repair=False)
    assert not got.undone and any(f.check == "chinese-punctuation" for f in review([got.record]))


def test_ideographic_punctuation_survives_the_parser_and_is_found(monkeypatch):
    monkeypatch.setattr(review_defects, "_CN_MARKS", {",": ("、",), ".": ("。",)})
    text, clean, findings = _copy()
    got = review_defects.plant_text(text, clean, findings, "chinese-punctuation", random.Random(3))
    assert not got.undone
    found = [f for f in review([got.record]) if f.check == "chinese-punctuation"]
    assert any((f.field if f.group is None else f"{f.group}[{f.index}].{f.field}") in got.wheres for f in found)
