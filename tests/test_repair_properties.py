"""Properties of the repair stage: idempotent, identifiers untouched, --no-repair is the raw alignment."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual_registry import align, parse_text, render
from bilingual_registry.damage import OTHER_KINDS, Generator, plant_lost, plant_other
from bilingual_registry.document import Document
from bilingual_registry.labels import default_schema
from bilingual_registry.model import Field, Record, Side, Source
from bilingual_registry.repair import default_knowledge, repair_record
from bilingual_registry.sources.text import read_text

GEN = Generator(11)
CLEAN = GEN.clean(40)
VOCAB_KEYS = {k for k, _ in default_knowledge().vocab}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from([
    "PD", "1", "L1", "first", "line", "Kaplan", "Meier", "Chest", "Hospital", "kg/m", "18", "years", "µg", "the",
    "non", "small", "cell", "Sj", "gren", "TNF", "α", "患者", "年龄", "≥", "岁", "以上", "Others", "0thers",
    "Ã©", "â€™", "鍩轰簬", "锟斤拷", "ＰＤ", "－", "&nbsp;", "&amp;", "\u200b", "\u2028", "？", "。", "，",
])
SEPS = st.sampled_from(["", " ", "?", "-", "?", " ", "\n", "–", "/", ". "])
IDENTIFIERS = st.sampled_from([
    "https://example.org/trials?proj=17&x=1", "http://www.chictr.org.cn/showproj.html?proj=246", "www.a-b.cn/x?y=z",
    "first?line@example.org", "pd?1.trial@hospital.cn", "ChiCTR2600120951", "ChiCTR-IOR-14005408", "NCT01234567",
    "ITMCTR2024000089",
])


@st.composite
def text(draw):
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        parts += [draw(PIECES), draw(SEPS)]
    return "".join(parts).strip()


@st.composite
def record(draw):
    """A record whose values mix damage, clean text and every kind of evidence; a few controlled values."""
    keys = ["public_title", "objectives", "inclusion_criteria", "method", "fate", "gender", "study_type"]
    fields = []
    for key in keys:
        zh, en = draw(text()), draw(text())
        fields.append(Field(key=key, zh=Side(label="标签", value=zh), en=Side(label="Label", value=en)))
    return Record(fields=fields)


def _values(r: Record):
    return [(f.zh.value, f.en.value) for f in r.fields]


@SETTINGS
@given(record())
def test_repair_is_idempotent_on_mixed_damage(r):
    once = repair_record(r)
    twice = repair_record(once)
    assert _values(twice) == _values(once)
    assert not any(rep.applied for rep in twice.repairs[len(once.repairs):])


@SETTINGS
@given(record())
def test_repairs_replay_on_the_raw_values(r):
    """Each applied repair's `at`/`before` are in the value as aligned: replaying them gives the result."""
    fixed = repair_record(r)
    for raw, new in zip(r.fields, fixed.fields):
        assert (raw.zh.label, raw.en.label) == (new.zh.label, new.en.label)
        for side in ("zh", "en"):
            value = getattr(raw, side).value
            applied = sorted((x for x in new.repairs if x.side == side and x.applied), key=lambda x: -x.at)
            for x in applied:
                assert value[x.at:x.at + len(x.before)] == x.before
                value = value[:x.at] + x.after + value[x.at + len(x.before):]
            assert value == getattr(new, side).value
    assert [x for f in fixed.fields for x in f.repairs] == fixed.repairs


@SETTINGS
@given(st.integers(0, len(CLEAN) - 1), st.integers(0, 10**6), st.sampled_from(("lost",) + OTHER_KINDS))
def test_repair_is_idempotent_on_planted_damage(n, seed, kind):
    rng = random.Random(seed)
    clean = CLEAN[n]
    damaged, _ = plant_lost(clean, rng, 5) if kind == "lost" else plant_other(clean, rng, kind, VOCAB_KEYS)
    once = repair_record(damaged)
    assert _values(repair_record(once)) == _values(once)


TRADITIONAL = "繁體醫院臨床試驗藥物療效評價檢測診斷資料統計隨機對照組與觀察實驗發展國際經濟關係問題頭腦門開車鐵龍鳥魚馬"


@SETTINGS
@given(st.text(alphabet=TRADITIONAL + "，。（）", min_size=1, max_size=40))
def test_traditional_chinese_is_never_rewritten(zh):
    r = Record(fields=[Field(key="objectives", zh=Side(label="研究目的", value=zh), en=Side(label="Objectives", value="x"))])
    assert repair_record(r) is r


@SETTINGS
@given(st.lists(st.tuples(text(), IDENTIFIERS), min_size=1, max_size=4), text())
def test_urls_emails_and_registration_numbers_are_never_touched(pairs, tail):
    en = " ".join(f"{t} {ident}" for t, ident in pairs) + " " + tail
    zh = "见" + "；".join(ident for _, ident in pairs)
    r = Record(fields=[Field(key="objectives", zh=Side(label="研究目的", value=zh), en=Side(label="Objectives", value=en))])
    fixed = repair_record(r)
    for _, ident in pairs:
        assert fixed.fields[0].en.value.count(ident) >= en.count(ident)
        assert fixed.fields[0].zh.value.count(ident) >= zh.count(ident)
    for rep in fixed.repairs:
        value = en if rep.side == "en" else zh
        for _, ident in pairs:
            start = value.find(ident)
            while start >= 0:
                assert rep.at + len(rep.before) <= start or rep.at >= start + len(ident), (rep, ident)
                start = value.find(ident, start + 1)


@SETTINGS
@given(st.integers(0, len(CLEAN) - 1), st.integers(0, 10**6))
def test_no_repair_output_equals_the_raw_alignment(n, seed):
    damaged, _ = plant_lost(CLEAN[n], random.Random(seed), 5)
    rendered = render(damaged)
    raw = align(Document(blocks=read_text(rendered, default_schema()), source=Source(format="text")))
    off = parse_text(rendered, repair=False)
    assert off.model_dump() == raw.model_dump()
    assert off.repairs == [] and all(f.repairs == [] for f in off.fields)
    on = parse_text(rendered)
    assert on.model_dump() == repair_record(raw).model_dump()
