"""The prior for a lost character nothing in the record explains, and the `lost-character` problem of
every `?` the repair leaves: issue 14's cases, written from real registry text."""
from __future__ import annotations

import random
import sys

import pytest
from conftest import EXAMPLE, ROOT, SHARED, needs_shared, seed
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bilingual_registry import parse_file
from bilingual_registry.repair import repair_record
from bilingual_registry.repair.lost import Scope, restore

_RAW = parse_file(EXAMPLE, repair=False)[0]


def _restored(value: str) -> str:
    """The value with every applied lost-character fix (no other side, no record around it)."""
    for fix in sorted(restore(value, Scope()), key=lambda f: -f.at):
        if fix.after is not None and fix.confidence >= 0.8:
            value = value[:fix.at] + fix.after + value[fix.at + len(fix.before):]
    return value


@pytest.mark.parametrize("damaged, clean", [
    ("Postoperative complications graded by the Clavien?Dindo classification.",
     "Postoperative complications graded by the Clavien-Dindo classification."),
    ("Protective sensation tested with the Semmes?Weinstein monofilament.",
     "Protective sensation tested with the Semmes-Weinstein monofilament."),
    ("Satisfaction measured by the Breast?Q questionnaire.", "Satisfaction measured by the Breast-Q questionnaire."),
    ("De?identified data will be shared on request.", "De-identified data will be shared on request."),
    ("Third?party randomization personnel will not take part.", "Third-party randomization personnel will not take part."),
    ("Patients lost?to?follow?up are counted as failures.", "Patients lost-to-follow-up are counted as failures."),
    ("Stage IB?IIIA non?small cell lung cancer", "Stage IB-IIIA non-small cell lung cancer"),
    ("KRAS G12C?mutant tumours; CNS?directed therapy", "KRAS G12C-mutant tumours; CNS-directed therapy"),
    ("A 12?week run?in period", "A 12-week run-in period"),
    ("Shanghai?Pulmonary Hospital, Tongji University", "Shanghai Pulmonary Hospital, Tongji University"),
    ("Xiamen?Children's Hospital", "Xiamen Children's Hospital"),
    ("The Yiqi?Huoxue decoction", "The Yiqi-Huoxue decoction"),
    ("Estimated life expectancy ?12 weeks.", "Estimated life expectancy ≥12 weeks."),
    ("ECOG performance status ?1; PD?L1 expression ?50%", "ECOG performance status ≤1; PD-L1 expression ≥50%"),
])
def test_the_prior_repairs_what_nothing_else_explains(damaged, clean):
    assert _restored(damaged) == clean


@pytest.mark.parametrize("value", [
    "Measured by the Kr?ger method",  # ü, a lost letter: no joiner guessed
    "Gr?ber et al.",  # ä
    "patients?in the study",  # a small word: a space or a hyphen, nothing says
    "treatment based?on the guideline",
    "a stable dose ?14 days",  # a dose cue bounds doses, not days
])
def test_the_prior_leaves_what_it_cannot_tell(value):
    from bilingual_registry.repair.knowledge import Knowledge

    bare = Knowledge.from_rows([], [])  # no glossary: only the prior speaks
    fixes = [f for f in restore(value, Scope(knowledge=bare)) if f.after is not None and f.confidence >= 0.8]
    assert fixes == []


def _with(values: dict[str, str]):
    """The example record with some English values replaced (and their Chinese twins too, so both
    sides lose the character, as a GBK export does)."""
    fields = [f.model_copy(update={side: getattr(f, side).model_copy(update={"value": values[f.key]})
                                   for side in ("zh", "en")}) if f.key in values else f for f in _RAW.fields]
    return _RAW.model_copy(update={"fields": fields})


def test_every_question_mark_left_is_reported_where_it_is():
    record = _with({"ethics_approval_number": "2025?SR?1048", "objectives": "To study the zorp?blick assay. Why?"})
    fixed = repair_record(record)
    lost = sorted((p.field, p.side, p.at) for p in fixed.problems if p.code == "lost-character")
    assert lost == [("ethics_approval_number", "en", 4), ("ethics_approval_number", "en", 7),
                    ("ethics_approval_number", "zh", 4), ("ethics_approval_number", "zh", 7),
                    ("objectives", "en", 17), ("objectives", "zh", 17)]  # the real question mark is not
    assert fixed.get("ethics_approval_number").en.value == "2025?SR?1048"  # identifiers keep their `?`
    again = repair_record(fixed)
    assert [p.model_dump() for p in again.problems] == [p.model_dump() for p in fixed.problems]  # not twice


@needs_shared
def test_real_pages_keep_exactly_their_real_repairs():
    """Seed 003 and the 2024 page: the prior adds no repair and reports no `?` (all theirs are explained)."""
    for path in (seed("003"), SHARED / "corpus" / "html" / "ChiCTR2400084905.html"):
        [record] = parse_file(path)
        assert not [p for p in record.problems if p.code == "lost-character"]
        assert {r.rule for r in record.repairs} <= {"lost-hyphen", "lost-space", "lookalike", "fullwidth-ascii"}
    [page] = parse_file(SHARED / "corpus" / "html" / "ChiCTR2400084905.html")
    assert sorted(r.before for r in page.repairs if r.rule.startswith("lost-")) == \
        ["Chest?Hospital", "Tumor?Hospital", "Tumor?Hospital"]


@needs_shared
def test_a_real_page_damaged_as_gbk_does_comes_back():
    """The 2024 page with every intra-word hyphen, ≥ ≤ ² µ × and a few name spaces lost (the real-text
    benchmark's damage, on one page): most fields restored, no clean field touched, and each
    `?` not restored reported where it is."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from real_damage import Score, damage, score
    finally:
        sys.path.pop(0)
    from collections import Counter

    [raw] = parse_file(SHARED / "corpus" / "html" / "ChiCTR2400084905.html", repair=False)
    clean = repair_record(raw)
    damaged, spots = damage(clean, random.Random(0))
    tally = Score(Counter(), Counter())
    score(clean, damaged, repair_record(damaged), spots, tally)
    f, s = tally.fields, tally.spots
    assert f["damaged"] >= 15 and f["restored"] >= 0.75 * f["damaged"]  # the ≥/≤ nothing bounds stay
    assert f["untouched"] == f["clean"]
    left = sum(v for k, v in s.items() if k.endswith(" left"))
    assert left and sum(v for k, v in s.items() if k.endswith(" reported")) == left
    assert s["identifier restored"] == 0 and s["identifier wrong"] == 0


_WORDS = st.sampled_from("first line Kaplan Meier non small cell Clavien Dindo third party open label de identified "
                         "stage IB IIIA PD L1 Chest Hospital in of the zorp blick Sj gren 12 week".split())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_WORDS, st.sampled_from(["?", " ", "-", "? "])), min_size=1, max_size=8))
def test_every_question_mark_is_restored_or_reported(parts):
    """Whatever the words, each `?` between two word characters is either gone or a lost-character
    problem at its offset; repairing twice changes nothing more."""
    text = "".join(w + j for w, j in parts).rstrip("? -") or "x"
    fixed = repair_record(_with({"objectives": text}))
    value = fixed.get("objectives").en.value
    reported = {p.at for p in fixed.problems if p.code == "lost-character" and p.side == "en" and p.field == "objectives"}
    marks = {i for i in range(1, len(value) - 1) if value[i] == "?" and value[i - 1].isalnum() and value[i + 1].isalnum()}
    assert marks <= reported
    assert repair_record(fixed).get("objectives").en.value == value


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_characters="?&", blacklist_categories=("Cs", "Cc")), max_size=60))
def test_a_value_with_no_question_mark_is_never_changed_by_the_prior(text):
    assert restore(text, Scope()) == []


_PLAIN = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -–.,;:()/%≥≤²µ×")
                                 + list("患者年龄岁以上研究组医院")), min_size=1, max_size=80)


@settings(max_examples=60, deadline=None)
@given(_PLAIN, _PLAIN)
@example("10×² cells", "研究")  # ftfy would read ×² as Hebrew mojibake
def test_a_record_value_with_no_damage_pattern_is_never_changed(en, zh):
    """Letters, digits, dashes, signs and Chinese with no `?`: nothing for any rule, in a whole record."""
    record = _with({"objectives": en.strip() or "x"})
    fields = [f.model_copy(update={"zh": f.zh.model_copy(update={"value": zh.strip() or "x"})})
              if f.key == "objectives" else f for f in record.fields]
    record = record.model_copy(update={"fields": fields})
    fixed = repair_record(record)
    assert fixed.get("objectives").en.value == record.get("objectives").en.value
    assert fixed.get("objectives").zh.value == record.get("objectives").zh.value
