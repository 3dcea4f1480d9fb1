"""ITMCTR data-API JSON: every record read, every value kept (in a field or in `unpaired`), codes shown
as the vocabulary's words or reported, and bad JSON refused with a typed error."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ROOT, SHARED, needs_shared
from hypothesis import given, settings, strategies as st

from bilingual_registry import parse_bytes, parse_file
from bilingual_registry.cli import main
from bilingual_registry.errors import HostileInput, NotARecord
from bilingual_registry.glossary import Glossary

OURS = ROOT / "corpus" / "json" / "ITMCTR2699000002.api.json"
SAMPLE = SHARED / "corpus" / "json" / "itmctr_api_sample.json"


def _plain(value) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _norm(value) -> str:
    """A value as the page shows it; a timestamp in Beijing time, as the registry's pages give times."""
    text = _plain(value)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    if when.tzinfo is not None:
        when = when.astimezone(timezone(timedelta(hours=8)))
    return when.strftime("%Y-%m-%d %H:%M:%S")


_CODES = {"registration_status": "registration_status", "recruiting_status": "recruitment_status",
          "gender": "gender", "ethic_committee_approved": "ethics_approved", "ipd_sharing": "ipd_sharing",
          "safety_committee": "dsmc", "study_type": "study_type", "study_phase": "study_phase",
          "study_design": "study_design"}
_VOCAB = Glossary.default()


def _lost(item: dict, record) -> list[str]:
    """The API values that are nowhere in the record (fields as aligned, unpaired texts, header); a code
    counts as kept when its field shows it or the vocabulary entry with that registry id."""
    lost = []
    for name, field in _CODES.items():
        code, f = _norm(item.get(name) or ""), record.get(field)
        if code and f.en.value != code and not any(code in v.registry_id for v in _VOCAB.lookup_vocab(f.en.value, field)):
            lost.append(name)
    item = {k: v for k, v in item.items() if k not in _CODES}
    shown = [v for f in record.fields for v in (f.zh.value, f.en.value)] + [record.header.version_created or ""]
    shown += [r.before for r in record.repairs]  # a repaired value still holds its text, repaired
    kept = " ".join(u.text for u in record.unpaired)
    for name, value in item.items():
        if value in (None, "", [], False) or isinstance(value, list):
            continue
        text = _norm(value)
        if not any(text in s for s in shown) and _plain(value) not in kept \
                and text != record.header.version:
            lost.append(name)
    return lost


def test_our_record_reads_as_the_page_shows_it():
    [record] = parse_file(OURS)
    assert record.registry == "ITMCTR" and record.registration_number == "ITMCTR2699000002"
    assert record.source.format == "json" and record.source.sha256
    assert record.header.version == "v1.0.0" and record.header.version_created == "2026-05-12 09:30:00"
    get = lambda key: record.get(key)  # noqa: E731
    assert (get("registration_status").zh.value, get("registration_status").en.value) == ("补注册", "Retrospective registration")
    assert (get("recruitment_status").zh.value, get("gender").en.value) == ("正在进行", "Both")
    assert get("registration_date").en.value == "2026-05-12 09:29:59"  # send_number_time, UTC → Beijing time
    assert get("study_period").en.value == "From 2026-06-01 00:00:00 To 2027-12-31 00:00:00"
    assert get("age_range").en.value == "最小 Min age 18 years\n最大 Max age 75 years"
    assert get("secondary_ids").en.value == "ChiCTR2699000003 ; ChiMCTR2699000002"
    assert get("objectives").zh.value == "评价针刺对PD-1抑制剂相关乏力的疗效。\n次要目的：评价安全性。"  # \r\n folded
    assert get("applicant_address").en.value == "No. 1 Example Road, Example District, Beijing"  # trimmed
    assert get("applicant_phone").shared and not get("public_title").shared
    assert get("study_leader_affiliation") is None  # the API serves no such value: no empty field stands for it
    assert (get("public_title").zh.label, get("public_title").en.label) == ("注册题目", "Public title")
    # fields stand in page order, as the glossary lists them
    keys = [f.key for f in record.fields]
    assert keys.index("registration_number") < keys.index("public_title") < keys.index("gender") < keys.index("dsmc")
    # codes the vocabulary does not hold are kept and reported, one problem each
    unknown = {p.field: p.message for p in record.problems if p.code == "unknown-code"}
    assert set(unknown) == {"study_type", "study_phase", "study_design", "dsmc"} and "'-1'" in unknown["dsmc"]
    assert get("dsmc").en.value == "-1"
    # what the page has no field for is kept, group items included
    kept = {u.text.split(":")[0] for u in record.unpaired}
    assert {"business_id", "intervention_total_sample_size", "follow_up_length", "first_submit_time",
            "intervention[0]", "key"} <= kept
    assert "send_number_time" not in kept and "gold_standard_zh" not in kept  # used, and empty
    # repair runs on API records like on pages, evidence from the other language
    assert [(r.field, r.before, r.after) for r in record.repairs] == [
        ("public_title", "PD?1", "PD-1"), ("inclusion_criteria", "?18", "≥18")]
    assert parse_file(OURS, repair=False)[0].get("public_title").en.value.startswith("Acupuncture for PD?1")


@needs_shared
def test_every_sample_record_reads_and_loses_nothing():
    items = json.loads(SAMPLE.read_text(encoding="utf-8"))
    records = parse_file(SAMPLE, repair=False)
    assert [r.registration_number for r in records] == [i["registration_number"] for i in items]
    for item, record in zip(items, records):
        assert _lost(item, record) == [], record.registration_number
        for name in ("publictitle", "study_objectives", "inclusion_criteria"):
            assert record.get({"publictitle": "public_title", "study_objectives": "objectives"}.get(name, name)).zh.value \
                == _norm(item[name + "_zh"] or "")
        assert record.get("registration_status").en.value in ("Prospective registration", "Retrospective registration")
        assert not [p for p in record.problems if p.code == "unknown-code" and p.field in
                    ("registration_status", "recruitment_status", "gender", "ethics_approved", "ipd_sharing")]


def test_a_reply_a_list_and_one_record_read_alike():
    reply = json.loads(OURS.read_text(encoding="utf-8"))
    item = reply["data"]["rows"][0]
    as_reply = parse_bytes(OURS.read_bytes(), "r.json", repair=False)
    as_list = parse_bytes(json.dumps([item, item], ensure_ascii=False).encode(), "l.json", repair=False)
    as_one = parse_bytes(json.dumps(item, ensure_ascii=False).encode("utf-16"), "o.json", repair=False)
    assert len(as_list) == 2 and as_one[0].source.encoding == "utf-16"
    dump = lambda r: [f.model_dump() for f in r.fields]  # noqa: E731
    assert dump(as_reply[0]) == dump(as_list[1]) == dump(as_one[0])


@pytest.mark.parametrize("data, error, words", [
    (b"[" * 100_000 + b"]" * 100_000, HostileInput, "nests deeper"),
    (b'{"registration_number": "ITMCTR2699000002", "publictitle_zh": ', NotARecord, "not well-formed"),
    (b'[{"title": "a trial"}]', NotARecord, "not ITMCTR data-API records"),
    (b"[]", NotARecord, "not ITMCTR data-API records"),
    (b'{"data": {"rows": [1, 2]}}', NotARecord, "not ITMCTR data-API records"),
], ids=["deep", "cut", "other-json", "empty-list", "rows-not-records"])
def test_bad_json_is_refused_by_name(data, error, words):
    with pytest.raises(error) as info:
        parse_bytes(data, "bad.json")
    assert "bad.json" in str(info.value) and words in str(info.value)


def test_cli_parses_api_json(capsys):
    assert main(["parse", str(OURS), "--format", "jsonl"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["registration_number"] == "ITMCTR2699000002" and out["source"]["format"] == "json"


_TEXT = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
_PAIRS = ("publictitle", "applicant", "study_objectives", "inclusion_criteria", "blinding", "gold_standard")
_SINGLES = ("applicant_telephone", "applicant_email", "target_disease_code", "follow_up_length",
            "intervention_total_sample_size", "business_id", "version")


@settings(max_examples=60, deadline=None)
@given(pairs=st.fixed_dictionaries({f"{n}_{lang}": _TEXT for n in _PAIRS for lang in ("zh", "en")}),
       singles=st.fixed_dictionaries({n: _TEXT for n in _SINGLES}),
       gender=st.sampled_from(["1006001", "1006003", "9999999", "", None]))
def test_no_api_value_is_ever_lost(pairs, singles, gender):
    item = {"registration_number": "ITMCTR2699000009", **pairs, **singles, "gender": gender}
    item["publictitle_zh"] = item["publictitle_zh"] or "标题"
    [record] = parse_bytes(json.dumps(item, ensure_ascii=False).encode(), "p.json", repair=False)
    assert _lost(item, record) == []
    code = _norm(gender or "")
    if code == "9999999":
        assert any(p.code == "unknown-code" and p.field == "gender" for p in record.problems)
    assert len({(f.key, f.group, f.index) for f in record.fields}) == len(record.fields)
