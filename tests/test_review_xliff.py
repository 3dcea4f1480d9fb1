"""XLIFF 2.0 export and apply: round trips, explained edits, units refused by name, a CAT tool's file with its
namespaces and inline markup, and hostile or foreign XLIFF refused with a typed error."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from bilingual_registry import parse_file
from bilingual_registry.errors import HostileInput, XliffError
from bilingual_registry.labels import keys_with
from bilingual_registry.review.xliff import NS, RULE, apply_xliff, export_xliff, read_xliff

from conftest import EXAMPLE, SHARED, corpus_texts, needs_shared, seed
from seed_findings import seed_003_findings

X = {"x": NS}


@pytest.fixture(scope="module")
def example():
    [record] = parse_file(EXAMPLE)
    return record


def _set_target(data: bytes, unit: str, text: str) -> bytes:
    root = etree.fromstring(data)
    [target] = root.xpath(f"//x:unit[@id='{unit}']//x:target", namespaces=X)
    for child in list(target):
        target.remove(child)
    target.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_export_has_one_unit_per_paired_field_with_stable_ids(example):
    root = etree.fromstring(export_xliff([example]))
    assert root.get("version") == "2.0" and root.get("srcLang") == "zh-CN" and root.get("trgLang") == "en"
    [file_el] = root.xpath("x:file", namespaces=X)
    assert file_el.get("original") == "ChiCTR2699000001"
    ids = file_el.xpath("x:unit/@id", namespaces=X)
    with_value = [f for f in example.fields if f.zh.value or f.en.value]
    assert len(ids) == len(with_value) == len(set(ids))
    assert "interventions.1.group_name" in ids and "public_title" in ids
    assert "interventions" not in ids  # a group header has no value
    [unit] = file_el.xpath("x:unit[@id='interventions.1.group_name']", namespaces=X)
    assert unit.xpath("string(.//x:source)", namespaces=X) == "对照组"
    assert unit.xpath("string(.//x:target)", namespaces=X) == "Control group"
    assert unit.get("name") == "组别 / Group"
    shared = {u.get("id") for u in file_el.xpath("x:unit[@translate='no']", namespaces=X)}
    neutral = keys_with("language-neutral")
    assert shared == {uid for uid, f in zip(ids, with_value)
                      if f.shared or (f.key in neutral and f.zh.value == f.en.value)}
    assert "registration_number" in shared and "interventions.0.sample_size" in shared


def test_unchanged_xliff_gives_the_identical_record(example):
    applied = apply_xliff(export_xliff([example]), [example], "review.xlf")
    assert applied.records == [example] and not applied.edits and not applied.refused


@settings(max_examples=40, deadline=None)
@given(zh=st.text(max_size=30), en=st.text(max_size=30))
def test_any_text_survives_the_round_trip(example, zh, en):
    fields = [f.model_copy(update={"zh": f.zh.model_copy(update={"value": zh}),
                                   "en": f.en.model_copy(update={"value": en})}) if f.key == "objectives" else f
              for f in example.fields]
    record = example.model_copy(update={"fields": fields})
    applied = apply_xliff(export_xliff([record]), [record], "r.xlf")
    assert applied.records == [record] and not applied.refused


def test_one_edited_target_changes_only_that_value(example):
    data = _set_target(export_xliff([example]), "interventions.1.group_name", "Control group (chemotherapy alone)")
    applied = apply_xliff(data, [example], "reviewed.xlf")
    [after] = applied.records
    changed = [(b.key, b.group, b.index) for a, b in zip(example.fields, after.fields) if a != b]
    assert changed == [("group_name", "interventions", 1)]
    field = after.get("group_name", "interventions", 1)
    assert field.en.value == "Control group (chemotherapy alone)" and field.zh.value == "对照组"
    [edit] = applied.edits
    assert (edit.rule, edit.side, edit.at, edit.before, edit.after) == (RULE, "en", 13, "", " (chemotherapy alone)")
    assert "reviewed.xlf" in edit.evidence and "interventions.1.group_name" in edit.evidence
    assert field.repairs[-1] == edit and after.repairs[-1] == edit
    assert after.problems == example.problems


def test_blank_changes_made_by_a_tool_are_no_edit(example):
    value = example.get("public_title").en.value
    data = _set_target(export_xliff([example]), "public_title", "  " + value.replace(" ", "\n  ", 3) + " ")
    assert apply_xliff(data, [example], "r.xlf").records == [example]


def test_units_that_no_longer_match_are_refused_by_name(example):
    data = export_xliff([example])
    root = etree.fromstring(data)
    [src] = root.xpath("//x:unit[@id='objectives']//x:source", namespaces=X)
    src.text = "另一个研究目的"
    root.xpath("//x:unit[@id='objectives']//x:target", namespaces=X)[0].text = "Another objective"
    root.xpath("//x:unit[@id='registration_number']//x:target", namespaces=X)[0].text = "ChiCTR2699000002"
    root.xpath("//x:unit[@id='interventions.0.group_name']", namespaces=X)[0].set("id", "interventions.7.group_name")
    root.xpath("//x:unit[@id='target_disease']//x:target", namespaces=X)[0].text = "Advanced NSCLC"
    applied = apply_xliff(etree.tostring(root), [example], "back.xlf")
    codes = {(p.code, p.field) for p in applied.refused}
    assert codes == {("xliff-source-changed", "objectives"), ("xliff-no-translate", "registration_number"),
                     ("xliff-unknown-unit", None)}
    assert all("back.xlf: unit " in p.message and p.severity == "error" for p in applied.refused)
    assert any("interventions.7.group_name" in p.message for p in applied.refused)
    [after] = applied.records
    assert after.get("objectives") == example.get("objectives")
    assert after.get("registration_number") == example.get("registration_number")
    assert after.get("target_disease").en.value == "Advanced NSCLC"  # the good unit still applies
    assert after.problems[-3:] == applied.refused


CAT_XLIFF = """<?xml version="1.0" encoding="utf-8"?>
<!-- exported by a CAT tool -->
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0"
       xmlns:fs="urn:oasis:names:tc:xliff:fs:2.0" xmlns:mq="http://www.memoq.com/ns/2.0"
       version="2.1" srcLang="zh-Hans-CN" trgLang="en-US">
  <file id="f1" original="ChiCTR2699000001" mq:project="registry review">
    <mda:metadata><mda:metaGroup category="tool"><mda:meta type="name">CAT</mda:meta></mda:metaGroup></mda:metadata>
    <unit id="target_disease" name="研究疾病 / Target disease" fs:fs="p">
      <notes><note category="review" priority="1">reviewer: use the glossary term</note></notes>
      <originalData><data id="d1">&lt;b&gt;</data></originalData>
      <segment id="s1" state="final" mq:status="Confirmed">
        <source>晚期<mrk id="m1" type="term" ref="#t1">非小细胞肺癌</mrk></source>
        <target>Advanced <pc id="p1" dataRefStart="d1"><mrk id="m2" type="term">non-small-cell lung cancer</mrk></pc><ph id="ph1" dataRef="d1"/></target>
      </segment>
    </unit>
    <unit id="objectives">
      <segment id="s2" state="reviewed">
        <source>评价PD-1抑制剂联合化疗对比单纯化疗一线治疗晚期非小细胞肺癌的无进展生存期和客观缓解率。</source>
        <target>To compare progression-free survival and objective response rate of a PD-1 inhibitor plus chemotherapy versus chemotherapy alone as first-line treatment for advanced non-small cell lung cancer.</target>
      </segment>
    </unit>
    <?cat-tool checkpoint="3"?>
    <unit id="inclusion_criteria">
      <segment id="s3" state="final"><source>1. 年龄≥18岁；</source><target>1. Aged ≥18 years;</target></segment>
      <ignorable><source>
</source></ignorable>
      <segment id="s4" state="final"><source>2. 经组织学或细胞学确诊的IIIB-IV期非小细胞肺癌；</source><target>2. Histologically or cytologically confirmed stage IIIB-IV non-small cell lung cancer;</target></segment>
      <ignorable><source>
</source><target>
</target></ignorable>
      <segment id="s5" state="final"><source>3. ECOG评分0-1分。</source><target>3. ECOG performance status 0-1.</target></segment>
    </unit>
  </file>
</xliff>
"""


def test_a_cat_tools_xliff_with_namespaces_and_inline_markup(example):
    files = read_xliff(CAT_XLIFF.encode(), "memoq.xlf")
    assert [u.id for u in files[0].units] == ["target_disease", "objectives", "inclusion_criteria"]
    assert files[0].units[0].source == "晚期非小细胞肺癌"  # the <mrk> wrapper goes, its text stays
    assert files[0].units[0].target == "Advanced non-small-cell lung cancer"  # <pc>, <mrk> kept as text, <ph> none
    criteria = example.get("inclusion_criteria")
    assert (files[0].units[2].source, files[0].units[2].target) == (criteria.zh.value, criteria.en.value)  # joined
    applied = apply_xliff(CAT_XLIFF.encode(), [example], "memoq.xlf")
    [after] = applied.records
    assert [(e.field, e.at, e.before, e.after) for e in applied.edits] == [("target_disease", 18, " ", "-")]
    assert after.get("target_disease").en.value == "Advanced non-small-cell lung cancer"
    assert not applied.refused
    assert [f.key for a, f in zip(example.fields, after.fields) if a != f] == ["target_disease"]


def test_translate_toolkits_xliff2_reads_our_export_and_writes_an_edit_we_apply(example):
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    store = xliff2.Xliff2File(export_xliff([example]))
    units = {u.getid(): u for u in store.units}
    assert units["public_title"].source == example.get("public_title").zh.value
    assert units["public_title"].target == example.get("public_title").en.value
    units["applicant"].target = "Ming Wang"
    applied = apply_xliff(bytes(store), [example], "tt.xlf")
    [edit] = applied.edits
    old = example.get("applicant").en.value
    assert edit.field == "applicant" and old[:edit.at] + edit.after + old[edit.at + len(edit.before):] == "Ming Wang"
    assert applied.records[0].get("applicant").en.value == "Ming Wang"


@needs_shared
def test_seed_003_findings_become_notes_and_the_truncation_can_be_fixed():
    [record] = parse_file(seed("003"))
    data = export_xliff([record], seed_003_findings(record))
    root = etree.fromstring(data)
    [note] = root.xpath("//x:unit[@id='outcomes.2.time_point']//x:note", namespaces=X)
    assert note.get("priority") == "1" and note.get("appliesTo") == "target" and "truncation" in note.text
    assert len(root.xpath("//x:unit[@id='applicant_address']//x:note", namespaces=X)) == 0
    assert len(root.xpath("//x:unit[@id='secondary_sponsors.0.address']//x:note", namespaces=X)) == 1
    fixed = record.get("time_point", "outcomes", 2).en.value + " time point for judging the objective response rate."
    applied = apply_xliff(_set_target(data, "outcomes.2.time_point", fixed), [record], "seed003.xlf")
    assert applied.records[0].get("time_point", "outcomes", 2).en.value == fixed
    assert [(e.at, e.before) for e in applied.edits] == [(len(fixed) - len(" time point for judging the objective "
                                                                           "response rate."), "")]


@pytest.mark.parametrize("data, error, words", [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">&b;</xliff>',
     HostileInput, "entities"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">&e;</xliff>',
     HostileInput, "entities"),
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file source-language="zh"/></xliff>',
     XliffError, "XLIFF 1.2, not XLIFF 2.0"),
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr"><file id="f"/></xliff>',
     XliffError, "en into fr"),
    (b"not xml at all", XliffError, "not well-formed"),
    (b'<trials/>', XliffError, "<trials>"),
])
def test_foreign_or_hostile_xliff_is_refused_with_a_typed_error(example, data, error, words):
    with pytest.raises(error, match=words) as exc:
        apply_xliff(data, [example], "bad.xlf")
    assert str(exc.value).startswith("bad.xlf: ")


@needs_shared
def test_the_real_pages_survive_export_and_apply_unchanged():
    paths = [SHARED / "corpus" / "html" / "ChiCTR2400084905.html", seed("003"), *corpus_texts()]
    records = [r for p in paths for r in parse_file(p)]
    data = export_xliff(records)
    applied = apply_xliff(data, records, "corpus.xlf")
    assert applied.records == records and not applied.edits and not applied.refused and not applied.unmatched
    assert data.count(b"<unit ") == sum(1 for r in records for f in r.fields if f.zh.value or f.en.value)
