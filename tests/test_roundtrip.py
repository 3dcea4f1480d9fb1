"""Properties: render → parse gives the record back, batched layouts pair the same way, no block is lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual_registry import parse_text, render
from bilingual_registry.align import split_mixed
from bilingual_registry.labels import clean_label, default_schema, match_key
from bilingual_registry.model import Field, Record, Side

from conftest import SHARED

SCHEMA = default_schema()
TOP = [d for d in SCHEMA.defs if d.role == "field" and d.key != "registrant"]
HEADERS = {d.key: d for d in SCHEMA.defs if d.role == "header"}
MEMBERS = {g: [d for d in SCHEMA.defs if d.group == g] for g in HEADERS}
REGISTRANT = SCHEMA.get("registrant")
# where the page puts each repeated group
GROUPS_AFTER = {"primary_sponsor_address": ("secondary_sponsors",),
                "recruitment_period": ("interventions", "sites", "outcomes", "samples")}

CJK = "研究患者治疗组对照肺癌随机中心医院数据评估安全有效观察"
WORD = st.one_of(
    st.text(alphabet=CJK, min_size=1, max_size=6),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8),
    st.integers(0, 99999).map(str),
)
SEP = st.sampled_from([" ", " ", ", ", ": ", "：", "-", "/", "(", ") ", "; ", "。"])


@st.composite
def line(draw):
    parts = [draw(WORD)]
    for _ in range(draw(st.integers(0, 3))):
        parts += [draw(SEP), draw(WORD)]
    return "".join(parts).strip(" :：")


@st.composite
def value(draw):
    """A value: empty, one line, several lines, or paragraphs separated by a blank line."""
    if draw(st.booleans()):
        return ""
    paragraphs = ["\n".join(draw(st.lists(line(), min_size=1, max_size=2)))
                  for _ in range(draw(st.integers(1, 2)))]
    return "\n\n".join(p for p in paragraphs if p)


def _readable(text: str) -> bool:
    """A value the text layout can carry: no paragraph of it starts with a label."""
    for paragraph in text.split("\n\n") if text else ():
        first = paragraph.split("\n", 1)[0]
        if SCHEMA.lookup(first) or any(SCHEMA.lookup(first[: i + 1]) for i, ch in enumerate(first) if ch in ":："):
            return False
    return True


@st.composite
def field(draw, defn, group=None, index=None):
    zl = clean_label(draw(st.sampled_from((defn.zh_label, *defn.zh_variants))))
    el = clean_label(draw(st.sampled_from((defn.en_label, *defn.en_variants))))
    zh, en = draw(value()), draw(value())
    if not (_readable(zh) and _readable(en)):
        zh = en = ""
    shared = draw(st.booleans()) and bool(zh) and "\n\n" not in zh
    if shared and defn.value_kind != "mono" and split_mixed(zh):
        shared = False
    if shared:
        en = zh
    elif defn.value_kind == "mono" and zh == en and zh:
        shared = True
    return Field(key=defn.key, group=group, index=index, zh=Side(label=zl, value=zh), en=Side(label=el, value=en),
                 shared=shared)


@st.composite
def records(draw):
    fields = []
    for defn in TOP:
        if draw(st.integers(0, 3)) == 0:
            fields.append(draw(field(defn)))
        for g in GROUPS_AFTER.get(defn.key, ()):
            head = draw(field(HEADERS[g]))
            head.zh.value = head.en.value = ""
            head.shared = False
            fields.append(head)
            for i in range(draw(st.integers(0, 6))):
                fields += [draw(field(d, g, i)) for d in MEMBERS[g]]
    fields.append(draw(field(REGISTRANT)))
    return Record(registration_number=None, fields=fields)


def _view(record):
    return [(f.key, f.group, f.index, f.zh.label, f.zh.value, f.en.label, f.en.value, f.shared) for f in record.fields]


def batched(record: Record, sizes: list[int], colon: str) -> str:
    """Write fields the way pages batch them: a few Chinese label/value pairs, then their English twins."""
    out, i, fields = [], 0, record.fields
    while i < len(fields):
        n = sizes[i % len(sizes)]
        run = []
        for f in fields[i:i + n]:
            if f.shared or f.group != fields[i].group or f.index != fields[i].index or not (f.zh.label and f.en.label):
                break  # a shared value, another group member, a side with no label: written as render writes it
            run.append(f)
        if not run:
            out.append(render(Record(fields=[fields[i]]), colon).rstrip("\n"))
            i += 1
            continue
        for lang in ("zh", "en"):
            for f in run:
                side, other = getattr(f, lang), getattr(f, "en" if lang == "zh" else "zh")
                out.append(side.label + colon)
                out.append(side.value or ("\u00a0" if other.value else ""))
        i += len(run)
    return "\n\n".join(b for b in out if b) + "\n"


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(records(), st.sampled_from([":", "："]))
def test_render_then_parse_gives_the_record_back(record, colon):
    text = render(record, colon)
    parsed = parse_text(text, repair=False)
    assert _view(parsed) == _view(record)
    assert parsed.unpaired == []
    assert render(parsed, colon) == text


@SETTINGS
@given(records(), st.lists(st.integers(1, 3), min_size=1, max_size=4), st.sampled_from([":", "："]))
def test_batched_layout_pairs_by_meaning(record, sizes, colon):
    parsed = parse_text(batched(record, sizes, colon), repair=False)
    assert _view(parsed) == _view(record)


def _texts(record: Record) -> str:
    parts = [p.text for p in record.header.preamble] + [u.text for u in record.unpaired]
    for f in record.fields:
        parts += [f.zh.label, f.zh.value, f.en.label, f.en.value]
    return match_key("".join(parts))


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from([d.zh_label + ":" for d in SCHEMA.defs] + [d.en_label for d in SCHEMA.defs]),
                          line()), min_size=1, max_size=40))
def test_no_block_is_ever_lost(blocks):
    """Whatever order labels and values come in, every block's text ends up somewhere in the record."""
    record = parse_text("\n\n".join(blocks), repair=False)
    everything = _texts(record)
    for b in blocks:
        # a value shown once after both labels may be split into its Chinese and English halves
        assert all(match_key(part) in everything for part in (split_mixed(b) or (b,))), b


EXAMPLE_TEXT = (Path(__file__).resolve().parents[1] / "corpus" / "ChiCTR2699000001.txt").read_text(encoding="utf-8")


@SETTINGS
@given(st.integers(200, len(EXAMPLE_TEXT) - 400))
def test_a_record_cut_anywhere_keeps_what_it_has_and_says_where_it_stopped(cut):
    text = EXAMPLE_TEXT[:cut]
    record = parse_text(text, repair=False)
    [problem] = [p for p in record.problems if p.code == "truncated"]
    assert problem.lines[1] == text.rstrip("\n").count("\n") + 1
    full = parse_text(EXAMPLE_TEXT, repair=False)
    complete = [f for f in record.fields if f.lines[1] < problem.lines[0] - 12]
    assert _view(Record(fields=complete)) == _view(Record(fields=full.fields[: len(complete)]))


@SETTINGS
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8), st.randoms())
def test_shuffled_and_duplicated_blocks_never_crash_or_lose_text(picks, rnd):
    blocks = EXAMPLE_TEXT.split("\n\n")
    chosen = [blocks[p % len(blocks)] for p in picks] + blocks[:40]
    rnd.shuffle(chosen)
    record = parse_text("\n\n".join(chosen), repair=False)
    everything = _texts(record)
    for b in chosen:
        assert all(match_key(part) in everything for part in (split_mixed(b) or (b,))), b


def _real_records() -> list:
    from bilingual_registry import parse_file

    from conftest import ROOT

    corpus = SHARED / "corpus"
    paths = [*sorted((corpus / "text").glob("*.txt")), *sorted((corpus / "html").glob("*.html")),
             *sorted((corpus / "json").glob("*.json")), *sorted((corpus / "xml").glob("*.xml")),
             *sorted((SHARED / "seeds").glob("003_*.txt")), *sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file())]
    return [(p.name, r) for p in paths for r in parse_file(p, repair=False)]


def _values(record: Record) -> list:
    return [(f.group, f.index, f.key, f.zh.value, f.en.value) for f in record.fields]


def test_every_real_record_comes_back_from_its_text_export():
    """Each real record (the shared corpus's pages, texts, ITMCTR API records and XML export, seed 003,
    our corpus), written as a text export and read again, has the same fields and values: values that
    begin with their own label (`纳入标准：①…`), English values with lines that look like labels
    (`Research treatment groups:`), a record ending on a short vocabulary value (`No`)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    records = _real_records()
    assert len(records) >= 39
    for name, record in records:
        back = parse_text(render(record), repair=False)
        assert _values(back) == _values(record), (name, record.registration_number)


def test_english_copied_from_the_chinese_label_and_all_stays_the_english_value():
    """A real ITMCTR record whose English inclusion criteria are the Chinese ones copied, label and all
    (`纳入标准` opening the value): the text export reads back with that text as the English value (for
    the review's `identical` check to see), not as a second Chinese label."""
    from bilingual_registry import review

    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    [record] = [r for name, r in _real_records() if r.registration_number == "ITMCTR2026000775"]
    [field] = [f for f in record.fields if f.key == "inclusion_criteria"]
    assert field.zh.value.startswith("纳入标准\n")
    copied = record.model_copy(update={"fields": [
        f.model_copy(update={"en": f.en.model_copy(update={"value": f.zh.value})}) if f is field else f
        for f in record.fields]})
    back = parse_text(render(copied), repair=False)
    assert _values(back) == _values(copied)
    assert any(f.check == "identical" and f.field == "inclusion_criteria" for f in review([back]))


@pytest.mark.parametrize("sizes", [[1], [2], [3], [2, 3], [1, 3, 2], [3, 3, 1, 2]])
def test_every_real_record_batched_pairs_the_same_values(sizes):
    """Each real record written the way pages batch fields (a few Chinese label/value pairs, then their
    English twins) pairs the same values: an English value with a line that looks like a label we do not
    know (`Research treatment groups:`) goes on while the Chinese fields of the batch wait for their own."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    for name, record in _real_records():
        back = parse_text(batched(record, sizes, ":"), repair=False)
        assert _values(back) == _values(record), (name, record.registration_number)


def inline(record: Record, colon: str = "：") -> str:
    """Write each label with its value on the line (`纳入标准：①…`), as copies of a page's table rows do;
    a field shared or with an empty side is written as render writes it."""
    out = []
    for f in record.fields:
        if f.shared or not (f.zh.value and f.en.value and f.zh.label and f.en.label):
            out.append(render(Record(fields=[f]), colon).rstrip("\n"))
        else:
            out += [f"{f.zh.label}{colon}{f.zh.value}", f"{f.en.label}:{f.en.value}"]
    return "\n\n".join(out) + "\n"


def _line_ends_trimmed(values: list) -> list:
    """Values with the blanks that end their lines taken off: a line's first part read after its label is trimmed."""
    trim = lambda text: "\n".join(ln.rstrip() for ln in text.split("\n"))  # noqa: E731
    return [(g, i, k, trim(zh), trim(en)) for g, i, k, zh, en in values]


def test_every_real_record_with_labels_and_values_on_one_line_comes_back():
    """Each real record written with its labels and values on one line reads back with the same values,
    those that open with their own label included (`纳入标准：纳入标准：①…`, `Inclusion criteria:Inclusion Criteria:`)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    for name, record in _real_records():
        back = parse_text(inline(record), repair=False)
        assert _line_ends_trimmed(_values(back)) == _line_ends_trimmed(_values(record)), (name, record.registration_number)


@SETTINGS
@given(records(), st.sampled_from([":", "："]), st.data())
def test_values_that_open_with_their_own_label_are_read_whole(record, colon, data):
    """A registrant may type the field's label into its value (`纳入标准：①…`): a field outside the groups
    whose values open with their own labels reads back with those values, whole."""
    for f in record.fields:
        if f.group is None and not f.shared and f.zh.value and f.en.value and data.draw(st.booleans()):
            f.zh.value = f"{f.zh.label}{data.draw(st.sampled_from([':', '：']))}{f.zh.value}"
            f.en.value = f"{f.en.label}:{data.draw(st.sampled_from(['', ' ']))}{f.en.value}"
    parsed = parse_text(render(record, colon), repair=False)
    assert _values(parsed) == _values(record)
