"""WHO ICTRP exports of ChiCTR records: every row read, no value lost, CSV and XML agree, damage repaired
only where the text says how, lost text never filled."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from functools import cache

import pytest
from conftest import SHARED, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bilingual_registry.api import parse_bytes, parse_file
from bilingual_registry.errors import HostileInput, NotARecord
from bilingual_registry.glossary.tables import words_of
from bilingual_registry.repair.bestfit import Context, list_comma
from bilingual_registry.repair.knowledge import Knowledge
from bilingual_registry.sources.ictrp import DATAFIELDS, clean, column_key, iso_date

ICTRP = SHARED / "corpus" / "ictrp"
CSV = ICTRP / "ICTRP_COVID19-1135-trials_2020-04-15.chictr500.csv"
XML = ICTRP / "ICTRP-Results_18Mar2020.chictr120.xml"
PLACEHOLDERS = {"NA", "NULL", "1900-01-01", "01/01/1900", "Jan  1 1900 12:00AM"}
# The 58 columns of the current CSV export (reference/registry.md §5.2).
CURRENT_58 = ("TrialID,Last Refreshed on,Public title,Scientific title,Acronym,Primary sponsor,Date registration,"
              "Date registration3,Export date,Source Register,web address,Recruitment Status,other records,"
              "Inclusion agemin,Inclusion agemax,Inclusion gender,Date enrollement,Target size,Study type,"
              "Study design,Phase,Countries,Contact Firstname,Contact Lastname,Contact Address,Contact Email,"
              "Contact Tel,Contact Affiliation,Inclusion Criteria,Exclusion Criteria,Condition,Intervention,"
              "Primary outcome,Secondary outcome,Secondary ID,Source Name,Secondary Sponsor,Ethics Status,"
              "Ethics Approval Date,Ethics Contact Name,Ethics Contact Address,Ethics Contact Phone,"
              "Ethics Contact Email,results yes no,results date posted,results url link,results url protocol,"
              "results date completed,results date first publication,results summary,results baseline char,"
              "results adverse events,results outcome measures,results ipd plan,results ipd description,"
              "Prospective registration,Bridging flag truefalse,Bridged type").split(",")


@cache
def _raw_csv_records() -> tuple:
    """The 500-row CSV read once, with no repair (tests only read it)."""
    return tuple(parse_file(CSV, repair=False))


def _csv_rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def _xml_rows(path) -> list[dict[str, str]]:
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    return [{el.tag: el.text or "" for el in trial} for trial in root.iter("Trial")]


def _haystack(record) -> str:
    return "\n".join([f.en.value for f in record.fields] + [u.text for u in record.unpaired])


def _pieces(cell: str) -> list[str]:
    """What of a cell must be found in the record: its text cut where the reader cuts lists and groups."""
    return [p.strip() for p in re.split(r"[;:\n]", clean(cell)) if p.strip()]


def _assert_nothing_lost(rows: list[dict[str, str]], records) -> int:
    by_number = {r.registration_number: r for r in records}
    checked = 0
    for row in rows:
        record = by_number[row.get("TrialID", "").strip()]
        hay = _haystack(record)
        for column, cell in row.items():
            if not cell.strip() or cell.strip() in PLACEHOLDERS:
                continue
            for piece in _pieces(cell):
                piece = re.sub(r"^(?:In|Ex)clusion criteria\s*", "", piece)  # the field's label
                assert piece in hay or iso_date(piece) in hay, (record.registration_number, column, piece)
                checked += 1
    return checked


@needs_shared
def test_all_500_csv_rows_read_with_nothing_lost():
    records = _raw_csv_records()
    rows = _csv_rows(CSV)
    assert len(records) == len(rows) == 500
    assert all(r.registry == "ChiCTR" and r.source.format == "ictrp-csv" for r in records)
    assert _assert_nothing_lost(rows, records) > 10_000


@needs_shared
def test_all_120_xml_trials_read_with_nothing_lost():
    records = parse_file(XML, repair=False)
    rows = _xml_rows(XML)
    assert len(records) == len(rows) == 120
    assert all(r.source.format == "ictrp-xml" for r in records)
    assert _assert_nothing_lost(rows, records) > 2_000


def _by_place(record) -> dict:
    return {(f.key, f.group, f.index): f.en.value for f in record.fields}


@needs_shared
def test_a_trial_gives_the_same_fields_from_the_csv_and_the_xml():
    """The two files were exported a month apart: a trial refreshed in between may say other things."""
    csv_records = {r.registration_number: r for r in _raw_csv_records()}
    trials = compared = 0
    refreshed = ("last_refreshed_on", None, None)
    for x in parse_file(XML, repair=False):
        if x.registration_number not in csv_records:
            continue
        c, x_fields = _by_place(csv_records[x.registration_number]), _by_place(x)
        if c[refreshed] != x_fields[refreshed]:
            continue
        trials += 1
        for place in c.keys() & x_fields.keys():
            assert c[place] == x_fields[place], (x.registration_number, place)
            compared += 1
    assert trials >= 110 and compared > 3000


@needs_shared
@pytest.mark.parametrize("path", sorted(ICTRP.glob("rows/*.ictrp.*")) if SHARED.is_dir() else [],
                         ids=lambda p: p.name)
def test_single_rows_read_alike_from_csv_and_xml(path):
    [record] = parse_file(path, repair=False)
    assert record.registration_number == path.name.split(".")[0]
    twin = path.with_suffix(".xml" if path.suffix == ".csv" else ".csv")
    if not twin.exists():
        return
    [other] = parse_file(twin, repair=False)
    a, b = _by_place(record), _by_place(other)
    if a[("last_refreshed_on", None, None)] == b[("last_refreshed_on", None, None)]:  # not updated in between
        assert all(a[k] == b[k] for k in a.keys() & b.keys())


@needs_shared
def test_groups_contacts_and_dates_are_split_as_on_a_page():
    [record] = [r for r in _raw_csv_records() if r.registration_number == "ChiCTR2000029953"]
    assert [(m["group_name"].en.value, m["sample_size"].en.value, m["intervention"].en.value)
            for m in record.members("interventions")] == [("survival group", "200", "none"), ("died", "200", "none")]
    assert [m["outcome_name"].en.value for m in record.members("outcomes")][:2] == [
        "duration of in hospital", "in hospital mortality"]
    assert record.get("applicant").en.value == "Yan Zhao"
    assert record.get("applicant_institution").en.value.startswith("Emergency Department of Zhongnan")
    assert record.get("last_refreshed_on").en.value == "2020-02-17"
    assert record.get("recruitment_period").en.value == "From 2020-02-01"
    assert any(u.text == "Export date: 4/15/2020 4:11:24 PM" for u in record.unpaired)
    assert {p.code for p in record.problems} >= {"english-only", "ictrp-one-contact"}


@needs_shared
def test_line_breaks_are_one_kind():
    for record in _raw_csv_records()[:100]:
        for f in record.fields:
            assert "<br>" not in f.en.value and "\r" not in f.en.value, (record.registration_number, f.key)


def _first_row() -> dict[str, str]:
    return _csv_rows(CSV)[0]


def _write(columns: list[str], rows: list[list[str]], header: bool = True) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    if header:
        w.writerow(columns)
    w.writerows(rows)
    return out.getvalue().encode()


@needs_shared
def test_other_registries_rows_are_skipped_and_counted_not_failed():
    row = _first_row()
    columns = list(row)
    nct = dict(row, TrialID="NCT04280705")
    isrctn = dict(row, TrialID="ISRCTN12345678")
    told = []
    records = parse_bytes(_write(columns, [list(nct.values()), list(row.values()), list(isrctn.values())]),
                          "mixed.csv", on_skipped=lambda name, counts: told.append((name, counts)))
    assert [r.registration_number for r in records] == ["ChiCTR2000029953"]
    assert told == [("mixed.csv", Counter({"NCT": 1, "ISRCTN": 1}))]
    assert not any("NCT" in p.message for p in records[0].problems)
    with pytest.raises(NotARecord, match="no ChiCTR/ITMCTR trial.*NCT"):
        parse_bytes(_write(columns, [list(nct.values())]), "nct-only.csv")


@needs_shared
def test_the_58_column_layout_and_the_headerless_weekly_export():
    row = {column_key(k): v for k, v in _first_row().items()}
    current = [row.get(column_key(c), "") for c in CURRENT_58]
    current[CURRENT_58.index("Secondary outcome")] = "Viral clearance;Chest CT;"
    [r58] = parse_bytes(_write(CURRENT_58, [current]), "current.csv", repair=False)
    assert [m["outcome_type"].en.value for m in r58.members("outcomes")].count("Secondary indicator") == 2
    weekly = [row.get(column_key(c), "") for c in DATAFIELDS]
    weekly[DATAFIELDS.index("Scientific_Contact_Firstname")] = "Zhao Yan"
    weekly[DATAFIELDS.index("Ethics_Status")] = "Approved"
    [rw] = parse_bytes(_write(list(DATAFIELDS), [weekly], header=False), "weekly.csv", repair=False)
    assert rw.registration_number == "ChiCTR2000029953" and rw.get("study_leader").en.value == "Zhao Yan"
    assert rw.get("ethics_approved").en.value == "Approved"
    assert "ictrp-one-contact" not in {p.code for p in rw.problems}
    assert rw.get("public_title").en.value == r58.get("public_title").en.value


@needs_shared
@pytest.mark.parametrize("path", sorted(ICTRP.glob("damaged/*.csv")) if SHARED.is_dir() else [],
                         ids=lambda p: p.name)
def test_damaged_excerpts_read_and_lost_text_is_never_filled(path):
    raw = parse_file(path, repair=False)
    repaired = parse_file(path)
    assert raw and len(raw) == len(repaired)
    for before, after in zip(raw, repaired):
        for f0, f1 in zip(before.fields, after.fields):
            for run in re.findall(r"\?{2,}", f0.en.value):
                assert run in f1.en.value, (after.registration_number, f1.key)  # kept, not guessed
        lost = [p for p in after.problems if p.code == "lost-text"]
        assert len(lost) >= sum(len(re.findall(r"\?{2,}", f.en.value)) for f in before.fields)
        assert not any("??" in r.before and r.applied for r in after.repairs)


@needs_shared
def test_best_fit_damage_is_repaired_with_its_evidence():
    records = {r.registration_number: r
               for r in parse_file(ICTRP / "damaged" / "ictrp_COVID19-1135-trials_2020-04-15.chictr_damaged.csv")}
    [record] = [r for r in records.values() if r.registration_number == "ChiCTR2000029637"]
    exclusion = record.get("exclusion_criteria").en.value
    assert exclusion.startswith("①Allergic constitution") and "\n②Patients who do not agree" in exclusion
    rules = Counter(r.rule for rec in records.values() for r in rec.repairs if r.applied)
    assert rules["bestfit-circled-digit"] >= 10 and rules["bestfit-celsius"] >= 2 and rules["bestfit-list-comma"] >= 5
    roman = [r for rec in records.values() for r in rec.repairs if r.rule == "bestfit-roman"]
    assert roman and not any(r.applied for r in roman)  # NYHA ?-?: proposed, only a page can confirm


def test_ictrp_xml_with_entities_is_refused():
    data = b"""<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x "y">]><Trials_downloaded_from_ICTRP><Trial>
    <TrialID>ChiCTR2000029953</TrialID><Public_title>&x;</Public_title></Trial></Trials_downloaded_from_ICTRP>"""
    with pytest.raises(HostileInput):
        parse_bytes(data, "evil.xml")


def test_a_cut_csv_is_a_clear_error():
    data = b"TrialID,Public title,Scientific title,Primary sponsor,Countries\nChiCTR2000029953,A,B\n"
    with pytest.raises(NotARecord, match="line 2 has 3 cells"):
        parse_bytes(data, "cut.csv")


@needs_shared
def test_a_csv_in_windows_1252_is_read_as_ictrp_writes_it():
    row = dict(_first_row(), **{"Primary outcome": "IL-1ß;ß2-microglobulin;Temperature ≤ 37 °C;"})
    data = _write(list(row), [list(row.values())]).decode().replace("≤", "<=").encode("cp1252")
    [record] = parse_bytes(data, "cp1252.csv")
    assert record.source.encoding == "cp1252"
    assert [m["outcome_name"].en.value for m in record.members("outcomes")] == [
        "IL-1β", "β2-microglobulin", "Temperature <= 37 °C"]


PIECES = st.sampled_from(["?", "??", "????", " ", ";", ":", "\n", "1", "12", "37.3", "=", ">=", "ß", "109", "/L",
                          "×", "NYHA", "level", "Phase", "grade", "IFN-", "IL-1", "Hospital", "Renmin", "A", "B",
                          "temperature", "age", "Patients", "criteria", ".", ")", "-", ",", "QTc", "480ms", "China"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join), st.booleans())
def test_best_fit_rules_keep_lengths_and_never_fill_a_run(value, names):
    context = Context(["study_phase", "applicant" if names else "inclusion_criteria"], ["2", value],
                      frozenset({"applicant"}))
    for fix in context.fixes(value, "applicant" if names else "inclusion_criteria"):
        assert value[fix.at:fix.at + len(fix.before)] == fix.before
        assert fix.after is None or len(fix.after) == len(fix.before)
        assert fix.after is None or "??" not in fix.before, (value, fix)  # a run of `?` is never filled


def test_the_list_comma_after_a_names_last_word_reads_the_words_from_the_glossary():
    sites = "Hebei Yiling Hospital?Renmin Hospital of Wuhan University"
    assert [(f.at, f.after) for f in list_comma(sites, False)] == [(21, "、")]
    assert list_comma(sites, False, Knowledge.from_rows([], [], words=[])) == []  # no words.tsv: no evidence
    # `Group` and `Co` are institution words but end no whole name: `Group?Co`, `Co?Ltd` stay for other rules
    assert list_comma("Shijiazhuang Yiling Pharmaceutical Group?Co?Ltd", False) == []
    assert words_of("name-end") <= words_of("institution") and "hospital" in words_of("name-end")


def test_xml_rows_of_other_registries_are_skipped_and_counted():
    trial = ("<Trial><TrialID>{}</TrialID><Public_title>A title</Public_title><Target_size>A:10;B:12;</Target_size>"
             "<Intervention>A:drug;B:placebo;</Intervention><Export_date>3/18/2020</Export_date></Trial>")
    data = ("<?xml version='1.0' encoding='UTF-8' ?><Trials_downloaded_from_ICTRP>"
            + trial.format("NCT04280705") + trial.format("ITMCTR2000002960") + "</Trials_downloaded_from_ICTRP>").encode()
    told = []
    [record] = parse_bytes(data, "x.xml", on_skipped=lambda name, counts: told.append(dict(counts)))
    assert told == [{"NCT": 1}] and record.registry == "ITMCTR" and record.source.format == "ictrp-xml"
    assert [(m["group_name"].en.value, m["sample_size"].en.value, m["intervention"].en.value)
            for m in record.members("interventions")] == [("A", "10", "drug"), ("B", "12", "placebo")]
    assert [u.text for u in record.unpaired] == ["Export_date: 3/18/2020"]


@needs_shared
def test_the_criteria_lose_ictrps_label_and_keep_their_text():
    [record] = [r for r in _raw_csv_records() if r.registration_number == "ChiCTR2000029953"]
    assert record.get("inclusion_criteria").en.value.startswith("2019-nCoV-infected pneumonia diagnosed patients")
    assert record.get("exclusion_criteria").en.value.startswith("Patients diagnosed with pneumonia of age <15")


@needs_shared
@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolons", "tabs"])
def test_a_derived_file_saved_with_other_delimiters_is_read_alike(delimiter):
    rows = _csv_rows(CSV)[:3]
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(rows[0])
    w.writerows(list(r.values()) for r in rows)
    records = parse_bytes(out.getvalue().encode(), "derived.txt", repair=False)
    assert [_by_place(r) for r in records] == [_by_place(r) for r in _raw_csv_records()[:3]]
