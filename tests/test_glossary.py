"""The glossary: our files validate, formats round-trip, lookups and find work, on real records too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilingual_registry.cli import main
from bilingual_registry.glossary import (
    TERM_COLUMNS, VOCAB_COLUMNS, Glossary, Term, VocabEntry, check_file, check_terms, read_terms, read_vocab,
    terms_to_text, vocab_to_text,
)
from bilingual_registry.labels import default_schema, glossary_dir
from bilingual_registry.tbx import TBXError, from_tbx, to_tbx

SHARED = Path(__file__).parents[1] / "../shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (real records) is not here")
GLOSSARY = Glossary.default()


def _seed() -> Path:
    return next((SHARED / "seeds").glob("003_*.txt"))


# ---------------------------------------------------------------------------------------------- our files

def test_our_files_validate_clean():
    fields = {d.key for d in default_schema().defs}
    assert check_file(glossary_dir() / "terms.tsv") == []
    assert check_file(glossary_dir() / "vocab.tsv", fields) == []


def test_headers_are_exactly_the_agreed_columns():
    for name, columns in (("terms.tsv", TERM_COLUMNS), ("vocab.tsv", VOCAB_COLUMNS)):
        header = (glossary_dir() / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert tuple(header.split("\t")) == columns


def test_terms_cover_the_domains_and_the_repair_compounds():
    assert len(GLOSSARY.terms) >= 800
    domains = {t.domain for t in GLOSSARY.terms}
    assert {"oncology", "imaging", "surgery", "cardiology", "infectious_disease", "tcm", "acupuncture",
            "statistics", "outcomes", "trial_design"} <= domains
    english = " ".join(f"{t.en} {' '.join(t.en_variants)} {' '.join(t.abbreviations)}" for t in GLOSSARY.terms)
    for compound in ("progression-free", "first-line", "Kaplan-Meier", "PD-1", "PD-L1", "non-small cell"):
        assert compound in english


def test_every_term_has_a_source_and_a_domain():
    assert all(t.source and t.domain for t in GLOSSARY.terms)
    assert all(v.source and v.plain_en for v in GLOSSARY.vocab)


def test_vocab_keeps_the_registry_english_verbatim():
    def en(field: str, zh: str) -> str:
        return next(v.en for v in GLOSSARY.vocab_for(field) if v.zh == zh)

    assert en("study_type", "流行病学研究") == "Epidemilogical research"
    assert en("study_type", "卫生服务研究") == "Health services reaserch"
    assert en("study_phase", "诊断试验新技术临床试验") == "Diagnostic New Technique Clincal Study"
    assert en("study_phase", "III期临床试验") == "3"
    assert en("study_phase", "探索性研究/预试验") == "0"
    assert en("study_phase", "其它") == "N/A"
    assert [v.plain_en for v in GLOSSARY.lookup_vocab("3", "study_phase")] == ["Phase 3"]


# ---------------------------------------------------------------------------------------------- checks

def test_check_reports_duplicates_conflicts_empty_sides_and_bad_characters():
    terms = [Term("随访", "follow-up"), Term("随访", "follow-up visit"), Term("脱落", ""),
             Term("失访", "loss to follow?up"), Term("隨機", "randomization"),
             Term("盲法", "blinding", forbidden=("follow-up",))]
    codes = {(i.line, i.code) for i in check_terms(terms)}
    assert codes == {(3, "duplicate"), (4, "empty-side"), (5, "bad-char"), (6, "bad-char"), (7, "conflict")}


def test_validate_command_exits_1_on_problems(tmp_path, capsys):
    assert main(["glossary", "validate"]) == 0
    bad = tmp_path / "bad.tsv"
    bad.write_text("\t".join(TERM_COLUMNS) + "\n随访\tfollow-up\t\t\t\tx\tme\n随访\tfollow up\t\t\t\tx\tme\n",
                   encoding="utf-8")
    assert main(["glossary", "validate", str(bad)]) == 1
    assert "duplicate" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------- formats

@pytest.mark.parametrize("version", [3, 2])
def test_tbx_round_trip_is_lossless(version):
    data = to_tbx(GLOSSARY.terms, version)
    assert from_tbx(data) == GLOSSARY.terms


def test_tbx_v3_shape():
    data = to_tbx([Term("无进展生存期", "progression-free survival", ("progression free survival",), ("PFS",),
                        ("progress-free survival",), "outcomes", "test")]).decode()
    assert '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca"' in data
    assert "<conceptEntry" in data and "<langSec" in data and "<termSec>" in data
    assert "deprecatedTerm-admn-sts" in data and ">abbreviation<" in data


def test_tbx_reader_never_resolves_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    evil = (f'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="c1">'
            '<langSec xml:lang="zh"><termSec><term>术语&x;</term></termSec></langSec>'
            '<langSec xml:lang="en"><termSec><term>term</term></termSec></langSec>'
            '</conceptEntry></body></text></tbx>').encode()
    assert all("SECRET" not in t.zh for t in from_tbx(evil))
    with pytest.raises(TBXError):
        from_tbx(b"<html/>")


def test_tbx_reads_v2_martif_from_other_tools():
    data = ('<?xml version="1.0" encoding="utf-8"?><martif type="TBX" xml:lang="zh"><text><body>'
            '<termEntry><langSet xml:lang="zh-CN"><tig><term>安慰剂</term></tig></langSet>'
            '<langSet xml:lang="en-US"><tig><term>placebo</term></tig>'
            '<tig><term>dummy</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>'
            '</langSet></termEntry></body></text></martif>').encode()
    assert from_tbx(data) == [Term("安慰剂", "placebo", forbidden=("dummy",))]


@pytest.mark.parametrize("fmt,suffix", [("tsv", ".tsv"), ("csv", ".csv")])
def test_tabular_round_trips_are_lossless(tmp_path, fmt, suffix):
    terms_file = tmp_path / f"terms{suffix}"
    terms_file.write_text(terms_to_text(GLOSSARY.terms, fmt), encoding="utf-8")
    assert read_terms(terms_file) == GLOSSARY.terms
    vocab_file = tmp_path / f"vocab{suffix}"
    vocab_file.write_text(vocab_to_text(GLOSSARY.vocab, fmt), encoding="utf-8")
    assert read_vocab(vocab_file) == GLOSSARY.vocab


def test_export_and_import_commands_round_trip(tmp_path):
    tbx = tmp_path / "g.tbx"
    tsv = tmp_path / "g.tsv"
    assert main(["glossary", "export", "--format", "tbx", "-o", str(tbx)]) == 0
    assert main(["glossary", "import", str(tbx), "-o", str(tsv)]) == 0
    assert read_terms(tsv) == GLOSSARY.terms
    assert tsv.read_text(encoding="utf-8") == (glossary_dir() / "terms.tsv").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- lookup

@pytest.mark.parametrize("query", ["无进展生存期", "無進展生存期", "PFS", "progression-free survival",
                                   "Progression Free Survival", "PROGRESSION-FREE SURVIVAL"])
def test_lookup_both_ways(query):
    assert [t.zh for t in GLOSSARY.lookup(query)] == ["无进展生存期"]


def test_lookup_plural_and_width():
    assert "非小细胞肺癌" in [t.zh for t in GLOSSARY.lookup("non-small-cell lung cancers")]
    assert "非小细胞肺癌" in [t.zh for t in GLOSSARY.lookup("ＮＳＣＬＣ")]


def test_lookup_vocab_by_zh_en_variant_and_id():
    assert [v.zh for v in GLOSSARY.lookup_vocab("Tianjing", "province")] == ["天津", "天津市"]
    assert [v.en for v in GLOSSARY.lookup_vocab("1008002", "registration_status")] == ["Retrospective registration"]
    assert [v.zh for v in GLOSSARY.lookup_vocab("Health Services Research")] == ["卫生服务研究"]


# ---------------------------------------------------------------------------------------------- find

def test_find_traditional_characters_with_original_offsets():
    text = "晚期非小細胞肺癌患者的無進展生存期"
    hits = GLOSSARY.find(text)
    found = {(h.term.zh, text[h.start:h.end]) for h in hits}
    assert ("非小细胞肺癌", "非小細胞肺癌") in found
    assert ("无进展生存期", "無進展生存期") in found


def test_find_width_hyphen_space_and_plural_variants():
    text = "Ｐatients with non‑small‑cell lung cancers; median progression free survival (ＰＦＳ)"
    by_zh = {h.term.zh: h for h in GLOSSARY.find(text)}
    assert by_zh["非小细胞肺癌"].text == "non‑small‑cell lung cancers"
    assert by_zh["中位无进展生存期"].text == "median progression free survival"
    assert by_zh["无进展生存期"].text == "ＰＦＳ"


def test_find_respects_word_boundaries_and_abbreviation_case():
    hits = GLOSSARY.find("The stage of the image or the package")
    assert [h.text for h in hits] == []
    assert [h.text for h in GLOSSARY.find("OR 1.5")] == ["OR"]


def test_find_longest_match_wins():
    assert [h.term.zh for h in GLOSSARY.find("中位无进展生存期")] == ["中位无进展生存期"]
    assert [h.text for h in GLOSSARY.find("PD-L1抑制剂")] == ["PD-L1抑制剂"]


def test_find_marks_forbidden_renderings():
    hits = GLOSSARY.find("a severe adverse event occurred")
    assert [(h.form, h.term.zh) for h in hits] == [("forbidden", "严重不良事件")]


def test_segment_keeps_glossary_terms_and_latin_spans_whole():
    words = GLOSSARY.segment("帕博利珠单抗联合化疗治疗PD-L1阳性非小细胞肺癌，kg/m2")
    assert "帕博利珠单抗" in words and "非小细胞肺癌" in words and "PD-L1" in words and "kg/m2" in words


# ---------------------------------------------------------------------------------------------- merging

def test_user_glossary_wins(tmp_path):
    user = tmp_path / "user.tsv"
    user.write_text("\t".join(TERM_COLUMNS) + "\n"
                    "無進展生存期\tPFS time\t\tPFS\t\toncology\tmy team\n"
                    "腕踝针\twrist-ankle acupuncture\t\t\t\tacupuncture\tmy team\n", encoding="utf-8")
    merged = GLOSSARY.merge(Glossary.load(user))
    assert [t.en for t in merged.lookup("无进展生存期")] == ["PFS time"]
    assert [t.zh for t in merged.lookup("wrist-ankle acupuncture")] == ["腕踝针"]
    assert len(merged.terms) == len(GLOSSARY.terms) + 1
    assert [h.term.en for h in merged.find("无进展生存期")] == ["PFS time"]


def test_user_vocab_wins(tmp_path):
    user = tmp_path / "vocab.tsv"
    user.write_text("\t".join(VOCAB_COLUMNS) + "\nprovince\t天津\tTianjin Municipality\tTianjin\t\t\tmine\n",
                    encoding="utf-8")
    merged = GLOSSARY.merge(Glossary.load(user))
    assert [v.en for v in merged.lookup_vocab("天津", "province")] == ["Tianjin Municipality"]


def test_cli_lookup_with_user_glossary(tmp_path, capsys):
    user = tmp_path / "user.tsv"
    user.write_text("\t".join(TERM_COLUMNS) + "\n安慰剂\tdummy pill\t\t\t\tx\tme\n", encoding="utf-8")
    assert main(["glossary", "lookup", "安慰剂", "-g", str(user)]) == 0
    assert "dummy pill" in capsys.readouterr().out
    assert main(["glossary", "lookup", "no-such-term-here"]) == 1


# ---------------------------------------------------------------------------------------------- real records

@needs_shared
def test_find_on_seed_003_both_sides():
    from bilingual_registry.api import parse_file
    from bilingual_registry.glossary import iter_fields

    record = parse_file(_seed())[0]
    found = {(side, h.term.zh, h.text) for _, side, value in iter_fields(record) for h in GLOSSARY.find(value)}
    for expected in [("zh", "非小细胞肺癌", "非小细胞肺癌"), ("en", "非小细胞肺癌", "non-small cell lung cancer"),
                     ("zh", "无进展生存期", "无进展生存期"), ("en", "无进展生存期", "Progression-Free Survival"),
                     ("zh", "客观缓解率", "客观缓解率"), ("en", "客观缓解率", "Objective Response Rate"),
                     ("zh", "实体瘤疗效评价标准", "RECIST"), ("en", "实体瘤疗效评价标准", "RECIST"),
                     ("zh", "程序性死亡受体1", "PD-1")]:
        assert expected in found, expected


@needs_shared
def test_find_command_on_seed_003(capsys):
    assert main(["glossary", "find", str(_seed()), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"zh", "en"} == {r["side"] for r in rows if r["zh"] == "无进展生存期"}
    assert main(["glossary", "find", str(_seed()), "--summary"]) == 0
    assert "非小细胞肺癌\tnon-small cell lung cancer" in capsys.readouterr().out


VOCAB_FIELDS = {v.field for v in GLOSSARY.vocab}


def _record_files() -> list[Path]:
    corpus = SHARED / "corpus"
    return [_seed(), *sorted((corpus / "text").glob("*.txt")), *sorted((corpus / "html").glob("*.html")),
            *sorted((corpus / "xml").glob("*.xml"))]


@needs_shared
def test_every_controlled_value_in_the_shared_records_is_in_vocab():
    from bilingual_registry.api import parse_file
    from bilingual_registry.errors import RecordError

    missing, checked = [], 0
    for path in _record_files():
        try:
            records = parse_file(path)
        except RecordError:
            continue
        for record in records:
            for f in record.fields:
                if f.key not in VOCAB_FIELDS:
                    continue
                for side in ("zh", "en"):
                    value = getattr(f, side).value.strip()
                    if value:
                        checked += 1
                        if not GLOSSARY.lookup_vocab(value, f.key):
                            missing.append((path.name, f.key, side, value))
    assert checked > 100
    assert missing == []


@needs_shared
def test_itmctr_api_codes_are_registry_ids_in_vocab():
    items = json.loads((SHARED / "corpus/json/itmctr_api_sample.json").read_text(encoding="utf-8"))
    api_fields = {"registration_status": "registration_status", "recruiting_status": "recruitment_status",
                  "gender": "gender", "ethic_committee_approved": "ethics_approved", "ipd_sharing": "ipd_sharing"}
    for item in items:
        for api_key, field in api_fields.items():
            code = item.get(api_key)
            if code:
                assert GLOSSARY.lookup_vocab(code, field), (api_key, code)


# ---------------------------------------------------------------------------------------------- learn

@needs_shared
def test_learn_gives_sensible_top_candidates(tmp_path):
    from bilingual_registry.glossary_learn import learn

    inputs = [SHARED / "corpus/json/itmctr_api_sample.json", _seed()]
    top = learn(inputs)[:20]
    pairs = {(c.zh, c.en) for c in top}
    assert ("首都医科大学附属北京中医医院",
            "Beijing Hospital of Traditional Chinese Medicine Affiliated Capital Medical University") in pairs
    assert ("时空图卷积网络", "Spatio-Temporal Graph Convolutional Networks") in pairs
    assert all(c.status in ("new", "conflict") for c in top)
    assert top == sorted(top, key=lambda c: -c.score)
    known = learn(inputs, include_known=True)
    assert any(c.zh == "客观缓解率" and c.status == "known" for c in known)


@needs_shared
def test_learn_command_writes_candidates(tmp_path, capsys):
    out = tmp_path / "candidates.tsv"
    files = [str(p) for p in _record_files()] + [str(SHARED / "corpus/json/itmctr_api_sample.json")]
    assert main(["glossary", "learn", *files, "-o", str(out), "--top", "20"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("zh\ten\tabbreviation\tscore")
    assert len(lines) == 21


def test_learn_pairs_from_a_bireg_json_record(tmp_path):
    from bilingual_registry.glossary_learn import learn
    from bilingual_registry.model import Field, Record, Side

    rec = Record(registration_number="ChiCTR0000000001", fields=[
        Field(key="outcome_name", group="outcomes", index=0, zh=Side(label="指标中文名", value="脑血管反应性"),
              en=Side(label="Outcome", value="Cerebrovascular reactivity (CVR)")),
        Field(key="objectives", zh=Side(value="评估时空图卷积网络(ST-GCN)的价值"),
              en=Side(value="to assess Spatio-Temporal Graph Convolutional Networks (ST-GCN)")),
    ])
    path = tmp_path / "records.jsonl"
    path.write_text(rec.model_dump_json() + "\n", encoding="utf-8")
    got = {(c.zh, c.en, c.abbreviation) for c in learn([path])}
    assert ("脑血管反应性", "Cerebrovascular reactivity", "CVR") in got
    assert ("时空图卷积网络", "Spatio-Temporal Graph Convolutional Networks", "ST-GCN") in got


def test_vocab_entry_and_term_rows_round_trip():
    t = Term("客观缓解率", "objective response rate", ("overall response rate",), ("ORR",), (), "outcomes", "x")
    assert Term.from_row(t.row()) == t
    v = VocabEntry("study_type", "卫生服务研究", "Health services reaserch", "Health services research",
                   ("56", "72"), ("Health Services Research",), "x")
    assert VocabEntry.from_row(v.row()) == v


def test_find_offsets_survive_astral_and_expanding_characters():
    text = "𠀀非小细胞肺癌 ﬁrst-line ㎏ PD‑1"
    hits = {h.term.zh: (h.start, h.end) for h in GLOSSARY.find(text)}
    assert text[slice(*hits["非小细胞肺癌"])] == "非小细胞肺癌"
    assert text[slice(*hits["一线"])] == "ﬁrst-line"
    assert text[slice(*hits["程序性死亡受体1"])] == "PD‑1"


def test_learn_over_a_folder_skips_only_the_unreadable_files(tmp_path):
    from bilingual_registry.glossary_learn import learn

    example = Path(__file__).resolve().parents[1] / "corpus" / "ChiCTR2699000001.txt"
    (tmp_path / "a.txt").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.md").write_text("just notes", encoding="utf-8")
    skipped: list = []
    candidates = learn([tmp_path], skipped=skipped)
    assert [Path(p).name for p, _ in skipped] == ["notes.md"]
    assert any(c.zh == "示例市胸科医院" and c.en == "Example Chest Hospital" for c in candidates)
