"""The repair stage on real damage: seed 003, the 2024 detail page, our example record, the CLI."""
from __future__ import annotations

import json
import random

import pytest
from conftest import EXAMPLE, SHARED, needs_shared, seed

from bilingual_registry import parse_file, parse_text
from bilingual_registry.cli import main
from bilingual_registry.damage import Generator, plant_lost
from scoring import Tally, score_lost
from bilingual_registry.repair import default_knowledge, repair_record

HTML = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"


def _changed(raw, fixed):
    """(key, group, index, side) of every value the repair changed."""
    out = []
    for a, b in zip(raw.fields, fixed.fields):
        assert (a.key, a.group, a.index) == (b.key, b.group, b.index)
        assert (a.zh.label, a.en.label) == (b.zh.label, b.en.label)  # labels are never touched
        for side in ("zh", "en"):
            if getattr(a, side).value != getattr(b, side).value:
                out.append((a.key, a.group, a.index, side))
    return out


def _replay(raw, fixed):
    """Every changed value is exactly its raw value with the applied repairs put in."""
    for a, b in zip(raw.fields, fixed.fields):
        for side in ("zh", "en"):
            value = getattr(a, side).value
            for r in sorted((r for r in b.repairs if r.side == side and r.applied), key=lambda r: -r.at):
                assert value[r.at:r.at + len(r.before)] == r.before
                value = value[:r.at] + r.after + value[r.at + len(r.before):]
            assert value == getattr(b, side).value


@needs_shared
def test_seed_003_all_five_damages_repaired_and_explained():
    [raw] = parse_file(seed("003"), repair=False)
    fixed = repair_record(raw)
    got = [(r.field, r.group, r.index, r.side, r.before, r.after, r.rule, r.applied) for r in fixed.repairs]
    assert got == [
        ("inclusion_criteria", None, None, "en", "PD?1", "PD-1", "lost-hyphen", True),
        ("inclusion_criteria", None, None, "en", "PD?L1", "PD-L1", "lost-hyphen", True),
        ("inclusion_criteria", None, None, "en", "first?line", "first-line", "lost-hyphen", True),
        ("method", "outcomes", 1, "zh", "Kaplan?Meier", "Kaplan-Meier", "lost-hyphen", True),
        ("method", "outcomes", 1, "en", "Kaplan?Meier", "Kaplan-Meier", "lost-hyphen", True),
        ("method", "outcomes", 1, "en", "progression?free", "progression-free", "lost-hyphen", True),
        ("fate", "samples", 0, "en", "0thers", "Others", "lookalike", True),
    ]
    by = {r.before: r for r in fixed.repairs}
    assert "zh side" in by["PD?1"].evidence and "PD-1" in by["PD?1"].evidence
    assert all(r.evidence and r.confidence >= 0.8 for r in fixed.repairs)
    # nothing else in the record changes
    assert _changed(raw, fixed) == [("inclusion_criteria", None, None, "en"), ("method", "outcomes", 1, "zh"),
                                    ("method", "outcomes", 1, "en"), ("fate", "samples", 0, "en")]
    _replay(raw, fixed)
    assert fixed.problems == raw.problems
    inc = fixed.get("inclusion_criteria").en.value
    assert "(PD-1/PD-L1 antibodies) as first-line" in inc
    assert fixed.get("fate", "samples", 0).en.value == "Others"
    # each field carries its own repairs too
    assert [r.before for r in fixed.get("method", "outcomes", 1).repairs] == ["Kaplan?Meier", "Kaplan?Meier", "progression?free"]
    # and parse_file runs the stage by default
    [default] = parse_file(seed("003"))
    assert default.model_dump() == fixed.model_dump()


def test_example_record_planted_damage():
    [raw] = parse_file(EXAMPLE, repair=False)
    fixed = repair_record(raw)
    got = {(r.field, r.before): (r.after, r.rule) for r in fixed.repairs}
    assert got == {
        ("public_title", "PD?1"): ("PD-1", "lost-hyphen"),
        ("public_title", "first?line"): ("first-line", "lost-hyphen"),
        ("applicant_institution", "Chest?Hospital"): ("Chest Hospital", "lost-space"),
        ("treatment_description", "m?"): ("m²", "lost-superscript"),
        ("inclusion_criteria", "?18"): ("≥18", "lost-comparison"),
        ("method", "Kaplan?Meier"): ("Kaplan-Meier", "lost-hyphen"),
    }
    assert all(r.applied and r.side == "en" for r in fixed.repairs)
    assert fixed.get("applicant_website").en.value == "https://example.org/trials?proj=17"
    assert "500 mg/m² and carboplatin" in fixed.get("treatment_description").en.value
    assert fixed.get("inclusion_criteria").en.value.startswith("1. Aged ≥18 years;")
    _replay(raw, fixed)


@needs_shared
def test_detail_page_lost_spaces_in_hospital_names():
    [raw] = parse_file(HTML, repair=False)
    fixed = repair_record(raw)
    lost = [(r.before, r.after, r.rule) for r in fixed.repairs if r.rule.startswith("lost-")]
    assert lost == [("Chest?Hospital", "Chest Hospital", "lost-space"),
                    ("Tumor?Hospital", "Tumor Hospital", "lost-space"),
                    ("Tumor?Hospital", "Tumor Hospital", "lost-space")]
    names = [f.en.value for f in fixed.fields if f.key == "institution"]
    assert "Shanghai Chest Hospital" in names and "Nantong Tumor Hospital" in names
    assert not any("?" in n for n in names)
    _replay(raw, fixed)


@needs_shared
def test_a_lost_character_in_a_controlled_value_is_read_from_its_vocabulary():
    """`Prospective?registration` in a real page's text copy: the registration-status vocabulary has
    `Prospective registration`, which outweighs the general rule that a lost character between two words
    is most often a hyphen."""
    from bilingual_registry import render

    [page] = parse_file(SHARED / "corpus" / "text" / "ChiCTR2000030574.partial.txt")
    text = render(page)
    assert text.count("Prospective registration") == 1
    damaged = parse_text(text.replace("Prospective registration", "Prospective?registration"))
    [field] = [f for f in damaged.fields if f.key == "registration_status"]
    assert field.en.value == "Prospective registration"
    [fix] = field.repairs
    assert (fix.before, fix.after, fix.rule, fix.applied) == ("Prospective?registration", "Prospective registration",
                                                             "lost-space", True)
    assert "registration_status vocabulary" in fix.evidence


def test_below_threshold_is_reported_not_applied():
    [raw] = parse_file(EXAMPLE, repair=False)
    fixed = repair_record(raw, threshold=0.99)
    assert fixed.repairs and not any(r.applied for r in fixed.repairs)
    assert _changed(raw, fixed) == []
    assert fixed.get("public_title").en.value == raw.get("public_title").en.value


def test_no_repair_gives_the_raw_alignment():
    [raw] = parse_file(EXAMPLE, repair=False)
    assert raw.repairs == [] and "PD?1" in raw.get("public_title").en.value
    [on] = parse_file(EXAMPLE)
    assert on.repairs and on.model_dump() != raw.model_dump()
    assert repair_record(raw).model_dump() == on.model_dump()


def test_unexplained_damage_is_flagged_not_guessed():
    text = ("注册号：\n\nRegistration number：\n\nChiCTR2600000001\n\n研究目的：\n\n数据锟斤拷丢失\n\n"
            "Objectives of Study：\n\nTo test the zorp?blick assay.")
    raw = parse_text(text, repair=False)
    fixed = repair_record(raw)
    assert _changed(raw, fixed) == []
    new = fixed.problems[len(raw.problems):]
    assert sorted(p.code for p in new) == ["lost-character", "unrepaired-mojibake-lost"]


def test_mojibake_lookalikes_and_normalisation_in_a_record():
    text = ("研究目的：\n\n" + "基于深度学习".encode().decode("gbk") + "\n\n"
            "Objectives of Study：\n\nSj\u00c3\u00b6gren\u00e2\u20ac\u2122s syndrome&nbsp;in ＰＤ－１ users\u200b.\n\n"
            "性别：\n\n男女均可\n\nGender：\n\nВoth")
    fixed = parse_text(text)
    assert fixed.get("objectives").zh.value == "基于深度学习"
    assert fixed.get("objectives").en.value == "Sjögren’s syndrome in PD-1 users."
    assert fixed.get("gender").en.value == "Both"
    assert {r.rule for r in fixed.repairs} == {"mojibake-gbk", "mojibake-latin1", "html-entity", "fullwidth-ascii",
                                              "zero-width", "lookalike"}


def test_traditional_chinese_and_chinese_question_marks_stay():
    text = ("研究目的：\n\n評估無進展生存期？是否有效？\n\nObjectives of Study：\n\nIs it effective?")
    raw = parse_text(text, repair=False)
    assert parse_text(text).model_dump() == raw.model_dump()


def test_clean_generated_records_are_not_changed():
    for record in Generator(7).clean(150):
        assert repair_record(record) is record


def test_planted_lost_characters_precision_and_recall():
    rng, tally = random.Random(3), Tally({}, {}, {}, {})
    for clean in Generator(3).clean(200):
        damaged, plants = plant_lost(clean, rng)
        score_lost(clean, damaged, repair_record(damaged), tally)
    planted, restored = sum(tally.planted.values()), sum(tally.restored.values())
    made, right = sum(tally.made.values()), sum(tally.right.values())
    assert planted >= 500
    assert right / made >= 0.99 and restored / planted >= 0.95


def test_glossary_is_read():
    k = default_knowledge()
    assert k.fills.get(("first", "line")) == "-"
    assert "Others" in k.vocab[("fate", "en")]


def test_cli_lists_repairs(capsys):
    assert main(["repairs", str(EXAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:4] == ["file", "field", "side", "at"]
    assert len(lines) == 7
    assert any('"Chest?Hospital"\t"Chest Hospital"\tlost-space' in line for line in lines)
    assert main(["repairs", str(EXAMPLE), "--format", "jsonl", "--threshold", "0.99"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    repairs = [r for r in rows if "problem" not in r]
    assert len(repairs) == 6 and not any(r["applied"] for r in repairs)
    # each `?` left in place is reported where it is: PD?1 at 35 leaves its `?` at 37
    left = {(r["problem"]["field"], r["problem"]["side"], r["problem"]["at"]) for r in rows if "problem" in r}
    assert ("public_title", "en", 37) in left and len(left) == 6


def test_cli_parse_no_repair(capsys):
    assert main(["parse", str(EXAMPLE), "--no-repair", "--format", "jsonl"]) == 0
    data = json.loads(capsys.readouterr().out)
    [raw] = parse_file(EXAMPLE, repair=False)
    assert data == json.loads(raw.model_dump_json())


@pytest.mark.parametrize("value", ["https://example.org/a?b=1&c=2", "a?b@example.org", "ChiCTR2600120951"])
def test_identifiers_alone_are_untouched(value):
    text = f"研究目的：\n\n{value}\n\nObjectives of Study：\n\nsee {value} (first?line)"
    fixed = parse_text(text)
    assert value in fixed.get("objectives").en.value
    assert fixed.get("objectives").en.value.endswith("(first-line)")


def test_damage_inside_damage_is_one_repair():
    text = "研究目的：\n\nPD-1抑制剂\n\nObjectives of Study：\n\nＰＤ?１ inhibitor"
    fixed = parse_text(text)
    [r] = fixed.repairs
    assert (r.before, r.after, r.rule) == ("ＰＤ?１", "PD-1", "lost-hyphen+fullwidth-ascii")
    assert fixed.get("objectives").en.value == "PD-1 inhibitor"
