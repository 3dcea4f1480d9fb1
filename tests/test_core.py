"""The text reader and aligner on real layouts: seed 003 (golden), the shared corpus, our example."""
from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE, ROOT, corpus_texts, needs_shared, seed

from bilingual_registry import parse_file, parse_text, render
from bilingual_registry.errors import OtherRegistry


def _view(record):
    return [
        dict(key=f.key, group=f.group, index=f.index, zh=f.zh.model_dump(), en=f.en.model_dump(), shared=f.shared)
        for f in record.fields
    ]


@needs_shared
def test_seed_003_matches_golden_field_by_field():
    golden = json.loads((ROOT / "tests" / "golden" / "seed003.json").read_text(encoding="utf-8"))
    [record] = parse_file(seed("003"), repair=False)
    got = _view(record)
    assert len(got) == len(golden["fields"]) == 103
    for want, have in zip(golden["fields"], got):
        assert have == want, want["key"]
    assert record.registration_number == golden["registration_number"]
    assert record.registry == "ChiCTR"
    assert record.header.version == "V1.0" and record.header.version_created == "2026/03/23 17:16:18"
    assert record.unpaired == [] and record.problems == []
    assert record.source.encoding == "utf-8" and len(record.source.sha256) == 64


@needs_shared
def test_seed_003_groups_and_lines():
    [record] = parse_file(seed("003"), repair=False)
    assert [len(record.members(g)) for g in ("secondary_sponsors", "interventions", "sites", "outcomes", "samples")] == [1, 2, 1, 4, 1]
    # 干预措施 is a section header outside the group and a member field inside it
    header = record.get("interventions")
    assert header.group is None and header.zh.value == "" and header.en.label == "Interventions"
    assert record.get("intervention", "interventions", 1).zh.value.startswith("非小细胞肺癌免疫联合化疗非应答")
    leader_phone = record.get("study_leader_phone")
    assert leader_phone.lines == [87, 92] and leader_phone.en.label == "Study leader's telephone"


@needs_shared
def test_full_width_punctuation_reads_the_same():
    text = seed("003").read_text(encoding="utf-8")
    wide = "\n".join(ln[:-1] + "：" if ln.endswith(":") else ln for ln in text.split("\n"))
    assert wide != text
    assert _view(parse_text(wide)) == _view(parse_text(text))


@needs_shared
@pytest.mark.parametrize("path", corpus_texts(), ids=lambda p: p.name)
def test_shared_partial_pages_align_up_to_the_cut(path):
    [record] = parse_file(path, repair=False)
    last_line = len(path.read_text(encoding="utf-8").replace("\r\n", "\n").rstrip("\n").split("\n"))
    cut = [p for p in record.problems if p.code == "truncated"]
    assert len(cut) == 1 and cut[0].severity == "error"
    assert cut[0].lines[1] >= last_line - 1
    # nothing unpaired before the cut: only the fragment of a label cut in half, on the last line
    assert all(u.lines[1] >= last_line - 1 for u in record.unpaired)
    before_cut = [f for f in record.fields if f.lines[1] < cut[0].lines[0] - 8]
    assert len(before_cut) >= 15
    for f in before_cut:
        assert f.zh.label and f.en.label, f.key
    assert not [p for p in record.problems if p.code == "unknown-label"]
    assert record.registry == path.name.split("-")[0].rstrip(".partialtx0123456789")
    assert record.registration_number == path.name.split(".")[0]
    assert record.get("public_title").en.value and record.get("public_title").zh.value


@needs_shared
def test_itmctr_both_labels_then_both_values_and_mislabel():
    [record] = parse_file(SHARED_TEXT("ITMCTR2000002960"), repair=False)
    status = record.get("registration_status")
    assert (status.zh.value, status.en.value, status.shared) == ("预注册", "Prospective registration", False)
    assert record.get("scientific_title_acronym").en.label == "Scientific title acronym"
    sid = record.get("study_subject_id")
    assert sid.shared and sid.en.value == "2020年新型冠状病毒防控应急攻关项目(201100310400)"
    website = record.get("applicant_website")
    assert website.en.label == "Study leader's website(voluntary supply)"
    assert record.get("study_leader_website").en.label == "Study leader's website (voluntary supply)"
    assert [p.field for p in record.problems if p.code == "paired-by-position"] == ["applicant_website"]


@needs_shared
def test_pipe_table_rendering_is_read_cell_by_cell():
    [record] = parse_file(SHARED_TEXT("ChiCTR2500106894"), repair=False)
    audit = record.get("audit_status")
    assert (audit.zh.value, audit.en.value) == ("通过审核", "Successful")
    assert record.get("registration_number").shared
    assert record.get("study_leader").zh.value == "胡鹏" and record.get("study_leader").en.value == "Peng Hu"
    assert record.get("study_leader_phone").zh.value == "+86 176 2307 0839"
    assert record.get("applicant_fax").en.label == "Applicant Fax"
    assert [u.text for u in record.unpaired] == ["Appli"]


@needs_shared
def test_old_aspx_page_keeps_the_page_chrome_in_the_header():
    [record] = parse_file(SHARED_TEXT("ChiCTR2000032717"), repair=False)
    assert record.header.title.startswith("Efficacy and safety of high-dose vitamin C")
    assert [p.text.split("\n")[0] for p in record.header.preamble][0] == "Today is 2020-06-06"
    assert record.get("secondary_ids").shared and record.get("secondary_ids").en.value == "ChiMCTR2000003284"


def SHARED_TEXT(number: str):
    return next(p for p in corpus_texts() if p.name.startswith(number + "."))


@needs_shared
@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_other_registries_are_refused_by_name(prefix):
    with pytest.raises(OtherRegistry) as err:
        parse_file(seed(prefix))
    msg = str(err.value)
    assert seed(prefix).name in msg
    assert "looks like a ClinicalTrials.gov record (NCT" in msg and "not a ChiCTR record" in msg


def test_example_record_in_repo():
    [record] = parse_file(EXAMPLE, repair=False)
    assert record.problems == [] and record.unpaired == []
    assert record.registration_number == "ChiCTR2699000001"
    assert [m["group_name"].en.value for m in record.members("interventions")] == ["Experimental group", "Control group"]
    assert [m["sample_size"].en.value for m in record.members("interventions")] == ["180", "180"]
    assert record.get("ethics_approved").zh.value == "是" and record.get("ethics_approved").en.value == "Yes"
    assert record.get("dsmc").en.value == "Yes" and record.get("ipd_sharing").zh.value == "是"
    assert record.get("recruitment_status").en.value == "Not yet recruiting"
    funding = record.get("funding_sources")
    assert funding.zh.value == "示例市科学技术委员会：重点项目（26Y11900100）"
    assert funding.en.value.startswith("Example City Science and Technology Commission: Key Project")
    assert record.get("fate", "samples", 0).zh.value == "使用后销毁"


def test_render_parse_round_trip_on_example():
    [record] = parse_file(EXAMPLE, repair=False)
    again = parse_text(render(record), repair=False)
    assert _view(again) == _view(record)
    assert render(again) == render(record)
    wide = parse_text(render(record, colon="："), repair=False)
    assert _view(wide) == _view(record)


LAYOUT = """注册号:

Registration number:

ChiCTR2600000001

研究类型:

干预性研究

Study type:

Interventional study

研究所处阶段:

III期临床试验

Study phase:

3

性别:

男女均可

Gender:

Both

试验分期依据:

按方案

Basis of phase:

Per protocol

注册人:

Name of Registration:

2026-01-01
"""


def test_unknown_label_is_paired_kept_and_reported():
    record = parse_text(LAYOUT)
    f = record.get("unknown")
    assert (f.zh.label, f.zh.value, f.en.label, f.en.value) == ("试验分期依据", "按方案", "Basis of phase", "Per protocol")
    assert [p.code for p in record.problems] == ["unknown-label"]
    assert "试验分期依据" in record.problems[0].message


def test_unknown_field_has_one_problem_naming_both_labels_and_spanning_both():
    (p,) = parse_text(LAYOUT).problems
    assert "'试验分期依据' / 'Basis of phase'" in p.message
    lines = LAYOUT.split("\n")
    assert lines[p.lines[0] - 1] == "试验分期依据:" and lines[p.lines[1] - 1] == "Basis of phase:"


def test_aligning_leaves_the_reader_blocks_as_they_were():
    from dataclasses import astuple

    from bilingual_registry.align import align_data
    from bilingual_registry.document import Document
    from bilingual_registry.labels import default_schema
    from bilingual_registry.sources.text import read_text

    blocks = read_text(LAYOUT + "\n\n试验分期:\n\n", default_schema())  # cut off: the last block is looked at
    before = [astuple(b) for b in blocks]
    assert any(b.kind == "" for b in blocks)  # the text reader leaves kinds for the aligner to decide
    align_data(Document(blocks))
    assert [astuple(b) for b in blocks] == before


def test_crlf_cr_and_labels_with_values_on_one_line():
    crlf = parse_text(LAYOUT.replace("\n", "\r\n"))
    cr = parse_text(LAYOUT.replace("\n", "\r"))
    assert _view(crlf) == _view(cr) == _view(parse_text(LAYOUT))
    tight = parse_text("注册号：ChiCTR2600000001\nRegistration number：ChiCTR2600000001\n\n研究类型：干预性研究\n\n"
                       "Study type：Interventional study\n\n性别：男女均可\n\nGender：Both")
    assert tight.get("study_type").zh.value == "干预性研究" and tight.get("study_type").en.value == "Interventional study"
    assert tight.get("registration_number").zh.value == "ChiCTR2600000001"


def test_value_with_colons_and_list_lines_stays_one_value():
    text = ("经费或物资来源:\n\n雁阵人才计划：学科带头人\n1. 国家自然科学基金\n2. 省重点项目\n\n"
            "Source(s) of funding:\n\nWild Goose Program: Discipline Leader - Hu - 2025\n1. NSFC\n2. Key Project\n\n"
            "研究类型:\n\n观察性研究\n\nStudy type:\n\nObservational study\n\n性别:\n\n男性\n\nGender:\n\nMale\n\n"
            "盲法:\n\n无\n\nBlinding:\n\nNone")
    f = parse_text(text).get("funding_sources")
    assert f.zh.value == "雁阵人才计划：学科带头人\n1. 国家自然科学基金\n2. 省重点项目"
    assert f.en.value == "Wild Goose Program: Discipline Leader - Hu - 2025\n1. NSFC\n2. Key Project"


def test_several_records_in_one_file_are_split():
    first = EXAMPLE.read_text(encoding="utf-8")
    second = first.replace("ChiCTR2699000001", "ChiCTR2699000002").replace("ChiCTR2699000002 版本V1.0", "标题行\n\nChiCTR2699000002 版本V1.1")
    third = "第三个记录的标题\n\n" + first.split("\n\n", 1)[1].replace("ChiCTR2699000001", "ChiCTR2699000003")
    from bilingual_registry.align import align_records
    from bilingual_registry.document import Document
    from bilingual_registry.labels import default_schema
    from bilingual_registry.sources.text import read_text

    records = align_records(Document(read_text(first + "\n" + second + "\n" + third, default_schema())))
    assert [r.registration_number for r in records] == ["ChiCTR2699000001", "ChiCTR2699000002", "ChiCTR2699000003"]
    assert [r.header.version for r in records] == ["V1.0", "V1.1", None]
    assert [len(r.fields) for r in records] == [95, 95, 95]
    assert records[2].header.title == "第三个记录的标题"
    assert records[0].get("registrant").zh.value == "2026-05-12 09:29:41"
    assert all(r.problems == [] and r.unpaired == [] for r in records)


def test_chinese_and_english_label_on_one_line_without_colons():
    record = parse_text("注册号 Registration number\n\nChiCTR2600000001\n\n研究类型 Study type\n\n干预性研究\n\n"
                        "Interventional study\n\n注册人 Name of Registration\n\n2026-01-01", repair=False)
    assert [(f.key, f.zh.value, f.en.value, f.shared) for f in record.fields] == [
        ("registration_number", "ChiCTR2600000001", "ChiCTR2600000001", True),
        ("study_type", "干预性研究", "Interventional study", False),
        ("registrant", "2026-01-01", "2026-01-01", True),
    ]


def test_nbsp_entities_copied_as_text_are_blank():
    record = parse_text("注册号:\n\nRegistration number:\n\nChiCTR2600000001&nbsp;\n\n研究疾病代码:\n\n&nbsp;\n\n"
                        "Target disease code:\n\nC34\n\n注册人:\n\nName of Registration:\n\n&nbsp;2026-01-01 &nbsp;",
                        repair=False)
    assert record.registration_number == "ChiCTR2600000001"
    code = record.get("target_disease_code")
    assert (code.zh.value, code.en.value, code.shared) == ("", "C34", False)
    assert record.get("registrant").en.value == "2026-01-01"


def test_label_wrapped_over_a_blank_line():
    record = parse_text("研究负责人电话:\n\nStudy leader's\n\ntelephone:\n\n+86 21 1234 5678\n\n"
                        "Collecting sample(s)\n\nfrom participants:\n\n注册人:\n\nName of Registration:\n\n2026-01-01",
                        repair=False)
    phone = record.get("study_leader_phone")
    assert (phone.en.label, phone.en.value, phone.shared, phone.lines) == (
        "Study leader's telephone", "+86 21 1234 5678", True, [1, 7])
    assert record.get("samples").en.label == "Collecting sample(s) from participants"
    assert [p.code for p in record.problems] == ["no-chinese-twin"]


def test_english_only_record_is_one_problem_and_keeps_its_groups():
    text = ("Registration number:\n\nITMCTR2100000001\n\nInterventions:\n\n"
            + "".join(f"Group:\n\n{g}\n\nSample size:\n\n30\n\nIntervention:\n\n{i}\n\nIntervention code:\n\n"
                      for g, i in (("A", "Acupuncture"), ("B", "Sham")))
            + "Gender:\n\nBoth\n\nName of Registration:\n\n2021-01-01")
    record = parse_text(text, repair=False)
    assert [p.code for p in record.problems] == ["english-only"]
    assert [(m["group_name"].en.value, m["intervention"].en.value) for m in record.members("interventions")] == [
        ("A", "Acupuncture"), ("B", "Sham")]
    assert record.registry == "ITMCTR" and record.get("gender").zh.value == ""
    chinese = parse_text("注册号:\n\nChiCTR2600000001\n\n性别:\n\n男性\n\n注册人:\n\n2026-01-01", repair=False)
    assert [p.code for p in chinese.problems] == ["chinese-only"]


def test_fast_blank_split_cuts_as_the_blank_run_pattern_does():
    """`_blank_split` takes `str.split` for plain exports: over any text of newlines, blanks and words it
    gives the chunks and gap sizes the blank-run pattern gives."""
    from itertools import repeat

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from bilingual_registry.sources.text import _BLANK_RUN, _blank_split

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(st.sampled_from(["a", "注册号:", "\n", "\n\n", " ", "\t", "\u3000", "\f"]), max_size=20).map("".join))
    def same(text):
        parts = _BLANK_RUN.split(text)
        assert _blank_split(text) == (parts[0::2], [*map(str.count, parts[1::2], repeat("\n")), 0])

    same()
