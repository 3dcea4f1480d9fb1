"""The English row (`convert.to_english`): golden rows written by reading seed 003 and the 2024 page.

Every expected value below was copied from the record's own text (the seed export, the saved page), not
from our output; where the row computes a value (a sum, a date form) the comment says from what.
"""
from __future__ import annotations

import datetime as dt
import pickle

import pytest

from bilingual_registry import parse_file
from bilingual_registry.convert import arrow_schema, column_names, to_english
from bilingual_registry.convert.columns import columns
from bilingual_registry.model import Field, Record, Side, Source

from conftest import EXAMPLE, SHARED, needs_shared, seed

PAGE = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"


@pytest.fixture(scope="module")
def seed003():
    [record] = parse_file(seed("003"))
    return record


@pytest.fixture(scope="module")
def page2024():
    [record] = parse_file(PAGE)
    return record


SEED003_TIDY = {
    "TrialID": "ChiCTR2600120951",
    "Last Refreshed on": dt.datetime(2026, 3, 23, 17, 16, 13),          # 2026-03-23 17:16:13
    "Public title": "Deep Learning-Based Multicenter Study on Intelligent Diagnosis and Treatment Response "
                    "Assessment of Solid Tumors",
    "Acronym": None,                                                    # English Acronym: (empty)
    "Primary sponsor": "Wuxi people’s Hospital",
    "Date registration": dt.date(2026, 3, 23),                          # 2026-03-23 00:00:00
    "Date registration3": "20260323",
    "Source Register": "ChiCTR",
    "Recruitment Status": "Recruiting",
    "Inclusion agemin": 18.0,                                           # 最小 Min age 18 years
    "Inclusion agemax": None,                                           # 最大 Max age years
    "Inclusion gender": "Both",
    "Date enrollement": dt.date(2026, 3, 23),                           # Recruiting time: From 2026-03-23 …
    "Target size": 500,                                                 # Responder 250 + Non-Responder 250
    "Study type": "Observational study",
    "Study design": "Cohort study",
    "Phase": "0",
    "Phase (plain)": "Exploratory/pilot study",                         # 探索性研究/预试验
    "Countries": ["China"],
    "Contact Firstname": "XiaoYun Hu",                                  # Applicant: XiaoYun Hu
    "Contact Lastname": None,
    "Contact Address": "No. 299 Qingyang Road, Wuxi City",
    "Contact Email": "drxyh@foxmail.com",
    "Contact Tel": "+86 510 82700775",                                  # Applicant telephone
    "Contact Affiliation": "The Affiliated Wuxi People's Hospital of Nanjing Medical University",
    "Condition": "Solid tumors; Non-small cell lung cancer (NSCLC), symptoms mainly include persistent cough, "
                 "hemoptysis (blood in sputum), chest pain, shortness of breath, hoarseness, and unexplained "
                 "weight loss and fatigue.",
    "Primary outcome": ["Model prediction accuracy (Area Under the Curve,AUC / Sensitivity)"],
    "Secondary outcome": ["Progression-Free Survival (PFS)", "Objective Response Rate ORR",
                          "Dynamic Heterogeneity Index"],
    "Secondary ID": [],
    "Source Name": "Wild Goose Formation Talent Program: Discipline Leader - Hu Xiaoyun - 2025",
    "Secondary Sponsor": ["Wuxi people’s Hospital"],
    "Ethics Status": "Yes",
    "Ethics Approval Date": dt.date(2026, 2, 3),
    "Ethics Contact Name": "Peng Yan",
    "Ethics Contact Address": "Wuxi Qingyang road 299",
    "Ethics Contact Phone": "+86 510 85350835",
    "Ethics Contact Email": "76489926@qq.com",
    "results ipd plan": "No",                                           # 否No
    "results ipd description": "This study adopts a strict privacy protection strategy and does not share raw data.",
    "Prospective registration": True,                                   # registered 2026-03-23, enrolment from 2026-03-23
    "Audit state": "Successful",
    "Registration status": "Prospective registration",
    "Study leader": "Xiaoyun Hu",
    "Study leader telephone": "+86 510 85350345",
    "Study leader address": "Wuxi Qingyang road 299",
    "Study leader affiliation": "Wuxi people’s Hospital",
    "Applicant postcode": None,
    "Ethics approval number": "KY26030",
    "Ethics committee": "Research Ethics Committee of Wuxi People's Hospital",
    "Study end date": dt.date(2029, 2, 23),
    "Recruitment end date": dt.date(2029, 2, 23),
    "Sites": [{"country": "China", "province": "Jiangsu", "city": None, "institution": "Wuxi people’s Hospital",
               "institution_level": "Tertiary A"}],
    "Secondary sponsors": [{"country": "China", "province": "Jiangsu", "city": None,
                            "institution": "Wuxi people’s Hospital", "address": "Wuxi Qingyang road 299"}],
    "Samples": [{"sample_name": "NA", "tissue": None, "fate": "Others", "note": None}],   # 0thers repaired
    "Blinding": "None",
    "Results public access": "Private",
    "Results public access (plain)": "Not public",
    "DSMC": "No",                                                       # 无/No
}


@needs_shared
def test_seed003_tidy_row_column_by_column(seed003):
    row = to_english(seed003)
    for column, expected in SEED003_TIDY.items():
        assert row[column] == expected, column
    assert [i["group_name"] for i in row["Intervention"]] == ["Responder", "Non-Responder"]
    assert [i["sample_size"] for i in row["Intervention"]] == [250, 250]
    assert row["Intervention"][1]["intervention"].startswith("Risk factors and radiomic features associated with non-response")
    assert row["Inclusion Criteria"].startswith("1.This study will enroll patients diagnosed with non-small cell lung cancer")
    assert "(PD-1/PD-L1 antibodies) as first-line" in row["Inclusion Criteria"]       # PD?1, first?line repaired
    assert [o["outcome_type"] for o in row["Outcomes"]] == ["Primary indicator"] + ["Secondary indicator"] * 3
    assert "Kaplan-Meier method" in row["Outcomes"][1]["method"]


@needs_shared
def test_seed003_provenance(seed003):
    p = to_english(seed003)["provenance"]
    assert p["Public title"] == "en"
    assert p["Contact Tel"] == "shared"                    # one phone number under both labels
    assert p["Inclusion Criteria"] == "repaired"           # PD?1 → PD-1
    assert p["Samples"] == "repaired"                      # 0thers → Others
    assert p["Target size"] == p["Date registration"] == p["Inclusion agemin"] == "derived"
    assert p["Phase (plain)"] == "vocab"
    assert p["Acronym"] == p["Inclusion agemax"] == p["Export date"] == p["Study subject ID"] == "missing"
    assert set(p) == set(column_names("tidy")) - {"provenance"}
    assert set(p.values()) <= {"en", "shared", "vocab", "repaired", "derived", "missing", "ictrp"}


@needs_shared
def test_seed003_ictrp_style(seed003):
    row = to_english(seed003, style="ictrp")
    assert all(isinstance(v, str) for k, v in row.items() if k != "provenance")
    assert row["Target size"] == "Responder:250;Non-Responder:250;"
    assert row["Primary outcome"] == "Model prediction accuracy (Area Under the Curve,AUC / Sensitivity);"
    assert row["Secondary outcome"] == "Progression-Free Survival (PFS);Objective Response Rate ORR;Dynamic Heterogeneity Index;"
    assert row["Intervention"].startswith("Responder:Risk factors") and row["Intervention"].endswith("lung cancer;")
    assert row["Inclusion gender"] == "Both" and row["Inclusion agemin"] == "18" and row["Inclusion agemax"] == ""
    assert row["Last Refreshed on"] == "23 March 2026" and row["Date registration"] == "2026-03-23"
    assert row["Date enrollement"] == "2026-03-23" and row["Date registration3"] == "20260323"
    assert row["Countries"] == "China"
    assert row["Inclusion Criteria"].startswith("Inclusion criteria: 1.This study will enroll")
    assert "\r<br>2.Regarding treatment regimens" in row["Inclusion Criteria"]        # ICTRP's line break
    assert row["Exclusion Criteria"].startswith("Exclusion criteria: 1.Patients with poor CT image quality")
    assert row["Ethics Status"] == "Approved" and row["Ethics Approval Date"] == "Feb  3 2026 12:00AM"
    assert row["Prospective registration"] == row["Retrospective flag"] == "Yes"
    assert row["Recruitment Status"] == "Recruiting"


@needs_shared
def test_seed003_with_chinese(seed003):
    row = to_english(seed003, with_chinese=True)
    assert row["Public title (zh)"] == "基于深度学习的实体瘤智能诊断与疗效评估的多中心研究"
    assert row["Contact Firstname (zh)"] == "胡晓云"
    assert row["Countries (zh)"] == ["中国"]
    assert row["Sites (zh)"][0]["institution_level"] == "三级甲等"
    assert row["Secondary outcome (zh)"] == ["无进展生存期", "客观缓解率", "动态异质性指数"]
    assert (row["Phase (zh)"], row["Study type (zh)"], row["DSMC (zh)"]) == ("探索性研究/预试验", "观察性研究", "无")
    assert list(row) == list(column_names("tidy", True))
    assert "Public title (zh)" not in to_english(seed003)


@needs_shared
def test_page2024_tidy_row(page2024):
    row = to_english(page2024)
    assert row["TrialID"] == "ChiCTR2400084905"
    assert row["Public title"].startswith("SUNRAY-01, A Global Pivotal Study in Participants with KRAS G12C-Mutant")
    assert row["Date registration"] == dt.date(2024, 5, 28)
    assert row["Last Refreshed on"] == dt.datetime(2024, 5, 28, 8, 56, 14)
    assert row["Date enrollement"] == dt.date(2024, 6, 1)              # 从 From 2024-06-01 至 To 2026-06-01
    assert row["Recruitment end date"] == dt.date(2026, 6, 1)
    assert row["Study end date"] == dt.date(2029, 10, 1)
    assert row["Target size"] == 192 + 192 + 276 + 276                  # four groups' 样本量
    assert row["Phase"] == "3" and row["Phase (plain)"] == "Phase 3"    # III期临床试验 / 3
    assert row["Study type"] == "Interventional study" and row["Study design"] == "Parallel"
    assert row["Study design (plain)"] == "Randomized parallel controlled"
    assert row["Recruitment Status"] == "Not yet recruiting"           # 尚未开始 Not yet recruiting
    assert row["Inclusion agemin"] == 18.0 and row["Inclusion agemax"] is None   # 最小 Min age 18 岁 years
    assert row["Inclusion gender"] == "Both"
    assert row["Countries"] == ["China"]
    assert row["Contact Firstname"] == "Jiao Zhang" and row["Study leader"] == "cheng ying"
    assert row["Contact Email"] == "zhang_jiao2@lilly.com" and row["Contact Tel"] == "+86 156 8305 3632"
    assert row["Contact Affiliation"] == "Eli Lilly Suzhou Pharmaceutical Co., Ltd."
    assert row["Primary sponsor"] == "Jilin Cancer Hospital" and row["Source Name"] == "Eli Lilly and Company"
    assert row["Condition"] == "KRAS G12C-Mutant, Locally Advanced or Metastatic Non-Small Cell Lung Cancer"
    assert row["Primary outcome"] == ["progression-free survival"]
    assert row["Secondary outcome"] == ["Overall survival", "overall response rate"]
    assert row["Ethics Approval Date"] == dt.date(2023, 12, 22) and row["Ethics Contact Name"] == "Zhang Ning"
    assert row["Ethics approval number"] == "202311-105-02；202311-105-01"
    assert row["Blinding"] == "Double blinded" and row["DSMC"] == "Yes" and row["results ipd plan"] == "No"
    assert len(row["Sites"]) == 43 and row["Sites"][3]["institution"] == "Shanghai Chest Hospital"   # Chest?Hospital
    assert [s["fate"] for s in row["Samples"]] == ["Destruction after use"] * 4
    assert row["Prospective registration"] is True                      # 2024-05-28 ≤ 2024-06-01
    assert [g["group_name"] for g in row["Intervention"]][0] == "experimental group(Part A)"
    assert row["Acronym"] == ("LY3537982 in Combination with Pembrolizumab and LY3537982 in Combination with "
                              "Pembrolizumab, Pemetrexed and Platinum for the First-line Treatment with KRAS "
                              "G12C-Mutant Advanced NSCLC")
    assert row["Scientific title"].startswith("SUNRAY-01, A Global Pivotal Study in Participants with KRAS G12C-Mutant,Locally")
    assert row["Contact Address"] == "19F Tower 1 HKRI, Taikoo Hui, No.288, Shi Men Yi Road Shanghai 200041, P.R. China"
    assert row["Inclusion Criteria"].startswith("1. Histologically or cytologically confirmed NSCLC with Stage IIIB-IIIC")
    assert row["Exclusion Criteria"].startswith("13. Have a documented additional validated targetable oncogenic driver")
    assert row["Secondary Sponsor"] == ["Jilin Cancer Hospital"] and row["Secondary ID"] == []
    assert row["Ethics Status"] == "Yes" and row["Ethics committee"] == "Jilin Province Cancer Hospital Institutional Review Board"
    assert row["Ethics Contact Phone"] == "+86 431 8059 6067" and row["Ethics Contact Email"] == "JPCHIRB@163.com"
    assert row["results ipd description"] == "NA" and row["Data management"] == "NA"     # as registered
    assert row["Registrant"] == "2024-05-28 08:55:58"
    assert row["Source Register"] == "ChiCTR" and row["web address"] is None


@needs_shared
def test_page2024_ictrp_style(page2024):
    row = to_english(page2024, style="ictrp")
    assert row["Target size"] == ("experimental group(Part A):192;control group(Part A):192;"
                                  "experimental group(Part B):276;control group(Part B):276;")
    assert row["Phase"] == "3" and row["Recruitment Status"] == "Not Recruiting"   # ICTRP's two statuses
    assert row["Last Refreshed on"] == "28 May 2024"


def test_missing_is_never_filled_from_chinese():
    """A bilingual field with Chinese only stays empty in English (never translated); a controlled value is
    mapped through the glossary; a language-neutral one is shared."""
    record = Record(registration_number="ChiCTR2699000009", fields=[
        Field(key="public_title", zh=Side(label="注册题目", value="一项研究")),
        Field(key="study_phase", zh=Side(label="研究所处阶段", value="III期临床试验")),
        Field(key="applicant_phone", zh=Side(label="申请注册联系人电话", value="+86 10 1234")),
    ])
    row = to_english(record)
    assert (row["Public title"], row["provenance"]["Public title"]) == (None, "missing")
    assert (row["Phase"], row["provenance"]["Phase"]) == ("3", "vocab")
    assert (row["Phase (plain)"], row["Contact Tel"]) == ("Phase 3", "+86 10 1234")
    assert row["provenance"]["Contact Tel"] == "shared"


def test_ictrp_records_say_ictrp():
    record = Record(registration_number="ChiCTR2000029542", source=Source(format="ictrp-csv"), fields=[
        Field(key="public_title", en=Side(label="Public title", value="Study for the efficacy of chloroquine")),
        Field(key="registration_date", en=Side(label="Date of Registration", value="2020-02-03")),
    ])
    p = to_english(record)["provenance"]
    assert p["Public title"] == p["Date registration"] == "ictrp"


@needs_shared
def test_rows_match_the_arrow_schema_and_pickle(seed003):
    pa = pytest.importorskip("pyarrow")
    for style in ("tidy", "ictrp"):
        for with_chinese in (False, True):
            schema = arrow_schema(style, with_chinese)
            row = to_english(seed003, style=style, with_chinese=with_chinese)
            assert schema.names == list(row)
            table = pa.Table.from_pylist([row, to_english(Record(), style=style, with_chinese=with_chinese)], schema=schema)
            assert table.num_rows == 2
    assert pickle.loads(pickle.dumps(to_english)) is to_english
    assert pickle.loads(pickle.dumps(seed003)).registration_number == seed003.registration_number


def test_ictrp_columns_are_spelled_as_ictrp_spells_them():
    """Every column of the real ICTRP CSV export is one of ours, spelled the same (`Date enrollement` [sic])."""
    header = ("TrialID,Last Refreshed on,Public title,Scientific title,Acronym,Primary sponsor,Date registration,"
              "Date registration3,Export date,Source Register,web address,Recruitment Status,other records,"
              "Inclusion agemin,Inclusion agemax,Inclusion gender,Date enrollement,Target size,Study type,"
              "Study design,Phase,Countries,Contact Firstname,Contact Lastname,Contact Address,Contact Email,"
              "Contact Tel,Contact Affiliation,Inclusion Criteria,Exclusion Criteria,Condition,Intervention,"
              "Primary outcome,results date posted,results date completed,results url link,Retrospective flag,"
              "Bridging flag truefalse,Bridged type,results yes no").split(",")
    ours = [c.name for c in columns() if c.ictrp]
    assert set(header) <= set(ours)
    assert len([c for c in ours if c != "Retrospective flag"]) == 58          # the current 58-column export


def test_example_record_converts():
    [record] = parse_file(EXAMPLE)
    row = to_english(record)
    assert row["TrialID"] == "ChiCTR2699000001" and row["Target size"] == 360   # two groups of 180



# properties: whatever the record holds, the row has its columns, and no English is ever invented ---------
from hypothesis import given, settings, strategies as st  # noqa: E402

from bilingual_registry.labels import default_schema  # noqa: E402

_TOP = sorted({d.key for d in default_schema().defs if d.group is None and d.role == "field"})
_text = st.one_of(st.just(""), st.text(alphabet="abc 1-:/年中文?", max_size=12),
                  st.sampled_from(["2026-03-23 00:00:00", "From 2020-01-01 To 2021-02-03", "III期临床试验", "3"]))


@st.composite
def records(draw):
    fields = []
    for key in draw(st.lists(st.sampled_from(_TOP), max_size=25, unique=True)):
        zh, en = draw(_text), draw(_text)
        fields.append(Field(key=key, zh=Side(label=key, value=zh), en=Side(label=key, value=en),
                            shared=bool(zh) and zh == en))
    for i in range(draw(st.integers(0, 3))):
        for key in ("group_name", "sample_size", "intervention"):
            fields.append(Field(key=key, group="interventions", index=i,
                                zh=Side(value=draw(_text)), en=Side(value=draw(_text))))
    return Record(registration_number="ChiCTR2699000003", fields=fields)


@settings(max_examples=60, deadline=None)
@given(records(), st.sampled_from(["tidy", "ictrp"]), st.booleans())
def test_rows_always_have_their_columns_and_invent_nothing(record, style, with_chinese):
    row = to_english(record, style=style, with_chinese=with_chinese)
    assert tuple(row) == column_names(style, with_chinese)
    provenance = row["provenance"]
    by_key = {f.key: f for f in record.fields if f.group is None}
    for col in columns():
        if not col.in_style(style):
            continue
        cell, source = row[col.name], provenance[col.name]
        assert (source == "missing") == (cell in (None, "", [])) or col.rule in ("criteria",)
        if col.rule == "value" and source != "missing":
            f = by_key[col.keys[0]]
            written = cell if style == "tidy" else cell.replace("\r<br>", "\n")
            assert written in (f.en.value.strip(), f.zh.value.strip())
            if written != f.en.value.strip():       # taken from the Chinese side: only a language-neutral value
                assert source == "shared" and not f.en.value.strip()


@needs_shared
def test_the_runners_default_row_fits_its_schema(seed003):
    """`bireg convert` takes its row function and schema from here (`convert.columns` is the module)."""
    pa = pytest.importorskip("pyarrow")
    from bilingual_registry.convert.runner import default_row

    for style in ("tidy", "ictrp"):
        row, schema = default_row(style, with_chinese=True)
        assert pa.Table.from_pylist([row(seed003)], schema=schema).num_rows == 1


@needs_shared
def test_registry_xml_export_row():
    """The real "download XML" of ChiCTR2000034346 (English only), read from its elements."""
    [record] = parse_file(SHARED / "corpus" / "xml" / "ChiCTR2000034346.xml")
    row, flat = to_english(record), to_english(record, style="ictrp")
    assert row["TrialID"] == "ChiCTR2000034346" and row["Date registration"] == dt.date(2020, 7, 2)
    assert row["Primary sponsor"] == "Jianxing He"
    assert row["Target size"] == 2418 + 821 and flat["Target size"] == "2019 Y:2418;2020 Y:821;"
    assert flat["Intervention"] == "2019 Y:N/A;2020 Y:N/A;"
    assert row["Recruitment Status"] == "Completed" and flat["Recruitment Status"] == "Not Recruiting"
    assert row["Study type"] == "Health services reaserch"                  # the registry's own spelling
    assert row["Study type (plain)"] == "Health services research"
    assert row["Phase"] == "Retrospective study" and row["Study design"] == "Sequential"
    assert row["web address"] == "http://www.chictr.org.cn/showproj.aspx?proj=55654"   # <url>
    assert row["Date enrollement"] == dt.date(2020, 4, 10) and row["Inclusion gender"] == "Both"
    assert row["Inclusion agemin"] is None and row["Countries"] == ["China"]
    assert row["Contact Firstname"] == "Jianxing He" and row["Contact Tel"] == "+86 13802777270"   # type Public
    assert row["Study leader"] == "Ran Zhong"                                              # type Scientific
    assert row["Primary outcome"] == ["decrease"] and row["Secondary outcome"] == []
    assert row["Source Name"].startswith("China National Science Foundation (81871893).")
    assert row["Ethics Status"] == "Yes" and row["provenance"]["Ethics Status"] == "vocab"   # <status>Approved
    assert flat["Ethics Status"] == "Approved" and row["Ethics Approval Date"] == dt.date(2020, 4, 1)
    assert row["Ethics Contact Name"] == "Jun rong Liu"
    assert row["provenance"]["Public title"] == "en" and row["provenance"]["Acronym"] == "missing"


def test_the_column_map_names_only_rules_and_fields_that_exist():
    from bilingual_registry.convert.columns import struct_keys
    from bilingual_registry.convert.english import RULES

    keys = {d.key for d in default_schema().defs} | {"interventions", "sites", "outcomes", "samples", "secondary_sponsors"}
    names = [c.name for c in columns()]
    assert len(names) == len(set(names))
    for c in columns():
        assert c.rule in RULES, c.name
        assert set(c.keys) <= keys, c.name
        assert set(struct_keys(c.tidy_type)) <= keys, c.name
        assert set(c.styles) <= {"tidy", "ictrp"} and c.styles, c.name


def _plain_inputs():
    """Real records of every kind (seed, page, text copies, ITMCTR API JSON, a damaged seed) and generated
    ones in every layout, one of them with planted damage, so repairs reach the row too."""
    from bilingual_registry.synth.corpus import generate

    found = []
    if SHARED.is_dir():
        found += [(p.name, p.read_bytes()) for p in [seed("003"), PAGE, *sorted((SHARED / "corpus" / "text").glob("*.txt")),
                                                     *sorted((SHARED / "corpus" / "json").glob("*.json"))]]
    return found + [(m.name, m.text.encode("utf-8")) for m in generate(12, seed=7, damaged=0.5)]


@pytest.mark.parametrize("style", ["tidy", "ictrp"])
def test_plain_data_gives_the_records_row(style):
    """`bireg convert` hands `to_english` the aligner's plain data (no Record built): the row, its
    provenance included, must be the one the validated Record gives, cell for cell."""
    from bilingual_registry import parse_bytes

    repaired = 0
    for name, data in _plain_inputs():
        records, plain = parse_bytes(data, name), parse_bytes(data, name, validate=False)
        assert [isinstance(p, dict) for p in plain] == [True] * len(records), name
        for record, data_ in zip(records, plain):
            row = to_english(record, style=style, with_chinese=True)
            assert to_english(data_, style=style, with_chinese=True) == row, name
            repaired += "repaired" in row["provenance"].values()
    assert repaired  # the damaged ones: a repaired English cell read from the plain data's repairs
