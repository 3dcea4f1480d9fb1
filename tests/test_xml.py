"""The XML export (`<trials><Triall>`): English-only records on the bilingual keys, and page + XML merging."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED, needs_shared

from bilingual_registry.api import parse_bytes, parse_file
from bilingual_registry.cli import main
from bilingual_registry.errors import NotARecord, RecordError
from bilingual_registry.merge import merge, merge_all, same
from bilingual_registry.sources.xml import read_xml

REAL_XML = SHARED / "corpus" / "xml" / "ChiCTR2000034346.xml"
OUR_XML = ROOT / "corpus" / "xml" / "ChiCTR2400084905.xml"
PAGE = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"


def values(record):
    return {(f.key, f.group, f.index): f.en.value for f in record.fields}


@needs_shared
def test_real_export_maps_to_bilingual_keys():
    [r] = parse_file(REAL_XML)
    v = values(r)
    assert r.registration_number == "ChiCTR2000034346" and r.registry == "ChiCTR"
    assert r.source.format == "xml" and r.source.encoding == "UTF-8"
    assert v[("registration_date", None, None)] == "2020-07-02"
    assert v[("primary_sponsor", None, None)] == "Jianxing He"
    assert v[("study_phase", None, None)] == "Retrospective study"
    assert v[("recruitment_period", None, None)] == "From 2020-04-10"
    # contacts: Public → applicant, Scientific → study leader
    assert v[("applicant", None, None)] == "Jianxing He" and v[("study_leader", None, None)] == "Ran Zhong"
    assert v[("applicant_email", None, None)] == "drjianxing.he@gmail.com"
    assert v[("study_leader_phone", None, None)] == "+86 15622150974"
    assert "&" in v[("study_leader_affiliation", None, None)]
    assert v[("exclusion_criteria", None, None)] == ("(1) missing detailed information\n"
                                                     "(2) Types of surgery not available previously in our hospital")
    assert v[("gender", None, None)] == "Both"
    assert v[("funding_sources", None, None)].startswith("China National Science Foundation (81871893).")
    assert (v[("ethics_approved", None, None)], v[("ethics_approval_date", None, None)]) == ("Approved", "2020-04-01")
    assert v[("ethics_contact_name", None, None)] == "Jun rong Liu"
    # flattened lists become group members
    assert [(m["group_name"].en.value, m["sample_size"].en.value, m["intervention"].en.value)
            for m in r.members("interventions")] == [("2019 Y", "2418", "N/A"), ("2020 Y", "821", "N/A")]
    assert [m["country"].en.value for m in r.members("sites")] == ["China"]
    assert [(m["outcome_name"].en.value, m["outcome_type"].en.value) for m in r.members("outcomes")] == \
        [("decrease", "Primary indicator")]
    assert r.members("secondary_sponsors") == []


@needs_shared
def test_export_is_english_only_and_keeps_what_has_no_field():
    [r] = parse_file(REAL_XML)
    assert all(f.zh.label == "" and f.zh.value == "" for f in r.fields)
    assert any(p.code == "english-only" for p in r.problems)
    assert [u.text for u in r.unpaired] == ["url: http://www.chictr.org.cn/showproj.aspx?proj=55654"]
    assert r.get("registration_number").en.label == "Registration number"
    assert r.get("registration_number").lines == [6, 6]


def test_several_trials_in_one_export():
    one = OUR_XML.read_bytes().split(b"<Triall>", 1)[1].split(b"</Triall>", 1)[0]
    data = b"<?xml version='1.0'?><trials>" + b"<Triall>" + one + b"</Triall>" + \
        b"<Triall>" + one.replace(b"ChiCTR2400084905", b"ChiCTR2400084906") + b"</Triall></trials>"
    records = parse_bytes(data, "two.xml")
    assert [r.registration_number for r in records] == ["ChiCTR2400084905", "ChiCTR2400084906"]


@pytest.mark.parametrize("data", [b"<trials><nothing/></trials>", b"<?xml version='1.0'?><trials><Triall>"])
def test_xml_that_is_no_export_is_refused(data):
    with pytest.raises(NotARecord):
        read_xml(data, "bad.xml")


def test_same_folds_case_blanks_dates_and_vocab():
    assert same("ethics_approval_date", "2023-12-22", "2023-12-22 00:00:00")
    assert same("age_range", "Min age 18 years\nMax age  years", "最小 Min age 18 岁 years\n最大 Max age 岁 years")
    assert not same("age_range", "Min age 20 years", "最小 Min age 18 岁 years")
    assert not same("registration_date", "", "2020-01-01")


@needs_shared
def test_page_merged_with_its_export_reports_exactly_the_differences():
    [page] = parse_file(PAGE, repair=False)
    [export] = parse_file(OUR_XML)
    merged = merge(page, export)
    differs = [p for p in merged.problems if p.code == "xml-differs"]
    assert sorted(p.field for p in differs) == ["exclusion_criteria", "inclusion_criteria"]
    assert all(p.severity == "warning" and p.lines for p in differs)
    assert not [p for p in merged.problems if p.code == "xml-only"]
    assert len(merged.fields) == len(page.fields) and page.problems == []  # the page record is left as it was


@needs_shared
def test_merge_reports_a_changed_value_and_fills_a_missing_one():
    [page] = parse_file(PAGE, repair=False)
    data = OUR_XML.read_bytes().replace(b"<phase>3</phase>", b"<phase>2</phase>").replace(
        b"<type_enrolment/>", b"<type_enrolment/>").replace(b"<hc_code/>", b"<hc_code>C34.9</hc_code>").replace(
        b"control group\xef\xbc\x88Part B\xef\xbc\x89:276;", b"control group\xef\xbc\x88Part B\xef\xbc\x89:300;", 1)
    [export] = parse_bytes(data, "changed.xml")
    merged = merge(page, export)
    by_field = {(p.code, p.field) for p in merged.problems}
    assert ("xml-differs", "study_phase") in by_field
    assert ("xml-differs", "sample_size") in by_field
    assert ("xml-filled", "target_disease_code") in by_field
    assert merged.get("target_disease_code").en.value == "C34.9"
    assert merged.get("study_phase").en.value == "3"  # the page's value stays


@needs_shared
def test_merge_refuses_another_trials_export():
    [page] = parse_file(PAGE, repair=False)
    [other] = parse_file(REAL_XML)
    with pytest.raises(RecordError):
        merge(page, other)
    merged, unmatched = merge_all([page], [other])
    assert merged == [page] and unmatched == [other]


@needs_shared
def test_cli_parse_page_with_xml(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(PAGE), "--xml", str(OUR_XML), "--format", "jsonl", "--no-repair", "-o", str(out)]) == 0
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {p["field"] for p in record["problems"] if p["code"] == "xml-differs"} == {"inclusion_criteria",
                                                                                    "exclusion_criteria"}


def test_the_export_is_repaired_as_every_record_is():
    """The 2024 page's XML export writes its arms' English with full-width brackets (`experimental
    group（Part A）`): parsed, they are folded to ASCII with each repair explained, as the text and page
    readers do; with repair off they stay."""
    [record] = parse_file(OUR_XML)
    names = [f.en.value for f in record.fields if f.key == "group_name"]
    assert "experimental group(Part A)" in names and not any("（" in n for n in names)
    assert {(r.field, r.before, r.after, r.rule) for r in record.repairs} == {
        ("group_name", "（", "(", "fullwidth-ascii"), ("group_name", "）", ")", "fullwidth-ascii")}
    [raw] = parse_file(OUR_XML, repair=False)
    assert "experimental group（Part A）" in [f.en.value for f in raw.fields] and not raw.repairs
