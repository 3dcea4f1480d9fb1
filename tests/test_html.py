"""The detail-page HTML reader: the real 2024 page (golden, every field), the generations we rebuilt by
hand from text copies, markup features one by one, and HTML ≡ its own text copy."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED, needs_shared
from lxml import etree

from bilingual_registry.api import parse_bytes, parse_file
from bilingual_registry.labels import default_schema
from bilingual_registry.sources.html import read_html

REAL_PAGE = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"
OUR_PAGES = sorted((ROOT / "corpus" / "html").glob("*.html"))
ALL_PAGES = (sorted((SHARED / "corpus" / "html").glob("*.html")) if SHARED.is_dir() else []) + OUR_PAGES
# our hand-built page → the real text copy it was built from
BUILT_FROM = {
    "ChiCTR2000030306.hvshowproject.html": "ChiCTR2000030306.partial.txt",
    "ChiCTR2000032717.showprojen.aspx.html": "ChiCTR2000032717.partial.txt",
    "ITMCTR2000002960.ProjectView.html": "ITMCTR2000002960.partial.txt",
}


def _view(record):
    return [dict(key=f.key, group=f.group, index=f.index, zh=f.zh.model_dump(), en=f.en.model_dump(), shared=f.shared)
            for f in record.fields]


def _norm(record):
    """Fields with every run of blanks (line breaks included) folded: how a text copy may differ."""
    return [(f.key, f.group, f.index, f.zh.label, " ".join(f.zh.value.split()), f.en.label,
             " ".join(f.en.value.split()), f.shared) for f in record.fields]


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def row(*cells: str, cls: str = "") -> str:
    return f"<tr{f' class={cls!r}' if cls else ''}>" + "".join(cells) + "</tr>"


def lt(*labels: tuple[str, str]) -> str:
    return "<td class='left_title'>" + "".join(f"<p class='{c}'>{t}</p>" for c, t in labels) + "</td>"


def ms(*rows: str) -> str:
    return "<div class='project-ms'><table><tbody>" + "".join(rows) + "</tbody></table></div>"


BASE = [  # enough labels for a record: registration number and date, then the closing field
    row(lt(("cn", "注册号："), ("en", "Registration number：")), "<td>ChiCTR2400000001&nbsp;</td>"),
    row(lt(("cn", "注册时间："), ("en", "Date of Registration：")), "<td>2024-01-01</td>"),
]
STUDY_TYPE = [row(lt(("cn", "研究类型：")), "<td><p class='cn'>观察性研究</p></td>", cls="cn"),
              row(lt(("en", "Study type：")), "<td><p class='en'>Observational study</p></td>", cls="en")]
END = [row(lt(("cn", "注册人："), ("en", "Name of Registration：")), "<td>2024-01-01</td>")]


def one(*rows: str, head: str = ""):
    [record] = parse_bytes(page(ms(*BASE, *rows, *END), head), "t.html", repair=False)
    return record


# -- the real page ------------------------------------------------------------------------------------
@needs_shared
def test_2024_page_matches_golden_field_by_field():
    golden = json.loads((ROOT / "tests" / "golden" / "ChiCTR2400084905.json").read_text(encoding="utf-8"))
    [record] = parse_file(REAL_PAGE, repair=False)
    got = _view(record)
    assert len(got) == len(golden["fields"]) == 328
    for want, have in zip(golden["fields"], got):
        assert have == want, (want["key"], want["group"], want["index"])
    assert record.registration_number == golden["registration_number"] and record.registry == "ChiCTR"
    assert record.header.title == golden["title"]
    assert record.problems == [] and record.unpaired == []
    assert record.source.format == "html" and record.source.encoding == "utf-8" and len(record.source.sha256) == 64
    assert [len(record.members(g)) for g in ("secondary_sponsors", "interventions", "sites", "outcomes", "samples")] \
        == [1, 4, 43, 3, 4]


@needs_shared
def test_2024_page_lines_are_source_lines():
    [record] = parse_file(REAL_PAGE, repair=False)
    source = REAL_PAGE.read_text(encoding="utf-8").split("\n")
    reg = record.get("registration_number")
    assert "注册号" in source[reg.lines[0] - 1] and "ChiCTR2400084905" in source[reg.lines[1] - 1]
    size = record.get("sample_size", "interventions", 2)
    assert "样本量" in source[size.lines[0] - 1] and "Sample size" in source[size.lines[1] - 1]
    assert all(f.lines[0] <= f.lines[1] for f in record.fields)


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_every_page_parses_without_stray_blocks(path):
    [record] = parse_file(path, repair=False)
    assert record.registration_number and record.source.format == "html"
    assert record.unpaired == []
    assert not [p for p in record.problems if p.code in ("unknown-label", "no-chinese-twin")]


# -- the generations we have only as text copies ------------------------------------------------------
@needs_shared
@pytest.mark.parametrize("name", sorted(BUILT_FROM))
def test_rebuilt_page_reads_like_the_real_text_copy(name):
    [html] = parse_file(ROOT / "corpus" / "html" / name, repair=False)
    [text] = parse_file(SHARED / "corpus" / "text" / BUILT_FROM[name], repair=False)
    assert html.registration_number == text.registration_number
    assert _norm(html) == _norm(text)[: len(html.fields)]
    assert len(text.fields) - len(html.fields) <= 1  # the copy may show the start of one more field
    assert html.header.version == text.header.version


def test_history_version_page_header_and_audit_state():
    [r] = parse_file(ROOT / "corpus" / "html" / "ChiCTR2000030306.hvshowproject.html", repair=False)
    assert (r.header.version, r.header.version_created) == ("V1.2", "2020/03/10 17:07:46")
    audit = r.get("audit_status")
    assert (audit.zh.value, audit.en.value) == ("通过审核", "Successful")
    assert r.fields[0].key == "audit_status"


def test_old_aspx_page_ignores_scripts_chrome_and_comments():
    [r] = parse_file(ROOT / "corpus" / "html" / "ChiCTR2000032717.showprojen.aspx.html", repair=False)
    assert r.header.title.startswith("Efficacy and safety of high-dose vitamin C")
    assert r.get("registration_number").zh.label == "注册号"  # from &#x6CE8;&#20876;号
    assert r.get("registration_date").en.value == "2020-05-08"  # the comment inside the cell is gone
    assert r.get("study_subject_id").en.value == "2020-YJ012"  # the script inside the cell is gone
    assert r.get("study_leader_email").en.value == "czj0606@126.com"
    assert [f.key for f in r.fields].count("registration_number") == 1


def test_itmctr_page_acronym_and_mislabelled_website():
    [r] = parse_file(ROOT / "corpus" / "html" / "ITMCTR2000002960.ProjectView.html", repair=False)
    assert r.registry == "ITMCTR"
    assert r.get("scientific_title_acronym") is not None
    status = r.get("registration_status")
    assert (status.zh.value, status.en.value) == ("预注册", "Prospective registration")
    web = r.get("applicant_website")
    assert web.en.label == "Study leader's website(voluntary supply)"
    assert any(p.code == "paired-by-position" and p.field == "applicant_website" for p in r.problems)
    assert r.get("secondary_ids").en.value == "ChiCTR2000029462 ; ChiMCTR2000002960"


# -- markup features ----------------------------------------------------------------------------------
def test_split_rows_and_bilingual_value_cell():
    r = one(row(lt(("cn", "注册题目：")), "<td><p class='cn'>题目</p></td>", cls="cn"),
            row(lt(("en", "Public title：")), "<td><p class='en'>A title</p></td>", cls="en"),
            row(lt(("cn", "征募研究对象情况："), ("en", "Recruiting status：")),
                "<td><p class='cn'>尚未开始</p><p class='en'>Not yet\n   recruiting</p></td>"))
    t, s = r.get("public_title"), r.get("recruitment_status")
    assert (t.zh.value, t.en.value, t.shared) == ("题目", "A title", False)
    assert (s.zh.value, s.en.value, s.shared) == ("尚未开始", "Not yet recruiting", False)


def test_mixed_label_cell_with_shared_mixed_and_link_values():
    r = one(row(lt(("cn", "申请注册联系人电话："), ("en", "Applicant telephone：")), "<td> +86 10 1234 5678 </td>",
                lt(("cn", "伦理委员会批件附件："), ("en", "Approved file of Ethical Committee：")),
                "<td><a class='getview'>查看附件View</a></td>"),
            row(lt(("cn", "是否共享原始数据："), ("en", "IPD sharing")), "<td><p class='cn'>否No</p></td>"))
    phone, file_, ipd = r.get("applicant_phone"), r.get("ethics_approval_file"), r.get("ipd_sharing")
    assert (phone.zh.value, phone.en.value, phone.shared) == ("+86 10 1234 5678",) * 2 + (True,)
    assert (file_.zh.value, file_.en.value) == ("查看附件", "View")
    assert (ipd.zh.value, ipd.en.value) == ("否", "No")


def test_two_fields_side_by_side_and_gender_in_one_row():
    r = one(row(lt(("cn", "申请注册联系人：")), "<td><p class='cn'>张三</p></td>",
                lt(("cn", "研究负责人：")), "<td><p class='cn'>李四</p></td>", cls="cn"),
            row(lt(("en", "Applicant：")), "<td><p class='en'>Zhang San</p></td>",
                lt(("en", "Study leader：")), "<td><p class='en'>Li Si</p></td>", cls="en"),
            row(lt(("cn", "性别：")), "<td><p class='cn'>男女均可</p></td>", lt(("en", "Gender：")),
                "<td><p class='en'>Both</p></td>"))
    assert [(r.get(k).zh.value, r.get(k).en.value) for k in ("applicant", "study_leader", "gender")] == \
        [("张三", "Zhang San"), ("李四", "Li Si"), ("男女均可", "Both")]


def test_entities_comments_br_and_blank_cells():
    r = one(row(lt(("cn", "研究负责人电话："), ("en", "Study leader's <br/>telephone：")),
                "<td>&#43;86&#x20;10 <!-- old: 1111 -->8888&nbsp;</td>"),
            row(lt(("cn", "注册题目简写：")), "<td><p class='cn'>&nbsp;</p></td>", cls="cn"),
            row(lt(("en", "English Acronym：")), "<td><p class='en'>ACRO</p></td>", cls="en"),
            row(lt(("cn", "纳入标准：")), "<td><p class='cn brRep'>1 甲；<br>\n  2 乙</p></td>", cls="cn"),
            row(lt(("en", "Inclusion criteria")), "<td><p class='en'>1 a;<br>2 b</p></td>", cls="en"))
    phone = r.get("study_leader_phone")
    assert phone.en.label == "Study leader's telephone" and phone.en.value == "+86 10 8888"
    acro = r.get("public_title_acronym")
    assert (acro.zh.value, acro.en.value, acro.shared) == ("", "ACRO", False)
    inc = r.get("inclusion_criteria")
    assert (inc.zh.value, inc.en.value) == ("1 甲；\n2 乙", "1 a;\n2 b")


def test_script_and_style_never_become_blocks():
    head = "<script>var x='<p class=\"cn\">注册题目：</p>';</script><style>p.cn:after{content:'研究类型：'}</style>"
    r = one(row(lt(("cn", "研究类型：")), "<td><p class='cn'>干预性研究<script>document.write('注册题目：')</script></p></td>",
                cls="cn"),
            row(lt(("en", "Study type：")), "<td><style>.x{}</style><p class='en'>Interventional study</p></td>", cls="en"),
            head=head)
    assert [f.key for f in r.fields] == ["registration_number", "registration_date", "study_type", "registrant"]
    assert (r.get("study_type").zh.value, r.get("study_type").en.value) == ("干预性研究", "Interventional study")


def test_nested_group_tables_rowspan_and_age_table():
    group = ("<table class='noComma'><tbody>"
             "<tr><td><p class='cn'>组别：</p></td><td><p class='cn'>试验组</p></td>"
             "<td><p class='cn'>样本量：</p></td><td rowspan='2'> 60 </td></tr>"
             "<tr><td><p class='en'>Group：</p></td><td><p class='en'>Group</p></td>"
             "<td><p class='en'>Sample size：</p></td></tr>"
             "<tr><td><p class='cn'>干预措施：</p></td><td><p class='cn'>针刺</p></td>"
             "<td><p class='cn'>干预措施代码：</p></td><td rowspan='2'></td></tr>"
             "<tr><td><p class='en'>Intervention：</p></td><td><p>acupuncture</p></td>"
             "<td><p class='en'>Intervention code：</p></td></tr></tbody></table>")
    age = ("<table><tr><td><span class='cn'>最小</span> <span class='en'>Min age</span></td><td>18</td>"
           "<td><span class='cn'>岁</span> <span class='en'>years</span></td></tr>"
           "<tr><td><span class='cn'>最大</span> <span class='en'>Max age</span></td><td>65</td>"
           "<td><span class='cn'>岁</span> <span class='en'>years</span></td></tr></table>")
    r = one(row(lt(("cn", "干预措施："), ("en", "Interventions：")), f"<td>{group}{group}</td>"),
            row(lt(("cn", "年龄范围："), ("en", "Participant age：")), f"<td>{age}</td>"))
    members = r.members("interventions")
    assert len(members) == 2
    m = members[1]
    assert (m["group_name"].zh.value, m["group_name"].en.value) == ("试验组", "Group")  # a value that reads as a label
    assert (m["sample_size"].zh.value, m["sample_size"].en.value, m["sample_size"].shared) == ("60", "60", True)
    assert (m["intervention"].zh.value, m["intervention"].en.value) == ("针刺", "acupuncture")
    assert r.get("age_range").en.value == "最小 Min age 18 岁 years\n最大 Max age 65 岁 years"


def test_unknown_label_in_a_group_table_is_still_a_label():
    sponsor = ("<table><tr><td><p class='cn'>国家：</p></td><td>中国</td><td><p class='cn'>邮编：</p></td><td>100000</td></tr>"
               "<tr><td><p class='en'>Country：</p></td><td>China</td><td><p class='en'>Zip：</p></td><td>100000</td></tr>"
               "</table>")
    r = one(row(lt(("cn", "试验主办单位(项目批准或申办者)："), ("en", "Secondary sponsor：")), f"<td>{sponsor}</td>"))
    assert any(p.code == "unknown-label" for p in r.problems)
    assert r.members("secondary_sponsors")[0]["country"].en.value == "China"
    assert "100000" not in r.get("country", "secondary_sponsors", 0).zh.value


def test_layout_table_rows_without_labels_are_chrome():
    body = ("<table><tr><td>网站首页 | 注册号： nothing</td><td>" + ms(*BASE, *STUDY_TYPE, *END) + "</td></tr>"
            "<tr><td>Copyright 注册号：</td></tr></table>")
    [r] = parse_bytes(page(body), "t.html", repair=False)
    assert [f.key for f in r.fields] == ["registration_number", "registration_date", "study_type", "registrant"]
    assert r.get("registrant").en.value == "2024-01-01"


def test_labels_carry_language_hints_and_lines():
    text = page(ms(*BASE, *END)).decode()
    blocks = read_html(text, default_schema())
    assert [(b.kind, b.lang) for b in blocks] == [("label", "zh"), ("label", "en"), ("value", None)] * 3
    assert [b.lines for b in blocks] == [(1, 1)] * 9


# -- HTML ≡ its own text copy ----------------------------------------------------------------------------
_RECORD_PARTS = ("project-ms", "ProjetInfo_ms", "project-view")


def text_copy(data: bytes) -> str:
    """What a user gets by selecting the record on the page and copying it: one block per paragraph or
    cell, a blank cell as a non-breaking space, a table row of plain cells as one line."""
    root = etree.fromstring(data, etree.HTMLParser(remove_comments=True, encoding="utf-8"))
    etree.strip_elements(root, "script", "style", "head", with_tail=False)
    for el in root.iter():
        if el.text:
            el.text = " ".join(el.text.split("\n"))
        if el.tail:
            el.tail = " ".join(el.tail.split("\n"))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks: list[str] = []

    def text(el) -> str:
        lines = (" ".join(ln.split()) for ln in "".join(el.itertext()).split("\n"))
        return "\n".join(ln for ln in lines if ln)

    def add(el) -> None:
        blocks.append(text(el) or "\u00a0")

    def cells_row(tr) -> None:
        cells = [c for c in tr if c.tag in ("td", "th")]
        if not any(c.find(".//p") is not None or c.find(".//table") is not None for c in cells) and \
                not any("left_title" in (c.get("class") or "") for c in cells):
            blocks.append(" ".join(text(c) for c in cells))  # a row of plain cells reads as one line
            return
        for c in cells:
            inner = [x for x in c.iter("table") if next(x.iterancestors("td", "th")) is c]
            if inner:
                for x in inner:
                    table(x)
            elif c.find(".//p") is not None:
                for p in c.iter("p"):
                    add(p)
            else:
                add(c)

    def table(t) -> None:
        for child in t:
            if child.tag == "tr":
                cells_row(child)
            elif child.tag in ("tbody", "thead", "tfoot", "table"):
                table(child)

    for el in root.iter("div", "h3"):
        cls = el.get("class") or ""
        if "tit" in cls or "version" in cls or el.tag == "h3":
            blocks.append(text(el))
        elif any(part in cls.split() for part in _RECORD_PARTS):
            for t in el.iter("table"):
                outer = next(t.iterancestors("table"), None)
                if outer is None or el not in outer.iterancestors():
                    table(t)
    return "\n\n".join(b for b in blocks if b) + "\n"


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_html_and_its_text_copy_give_the_same_fields(path):
    data = path.read_bytes()
    [html] = parse_bytes(data, str(path), repair=False)
    copy = text_copy(data)
    [text] = parse_bytes(copy.encode("utf-8"), "copy.txt", repair=False)
    assert text.source.format == "text"
    assert _norm(html) == _norm(text)
    assert html.registration_number == text.registration_number


def test_gbk_page_with_its_own_charset_reads_the_same():
    path = ROOT / "corpus" / "html" / "ChiCTR2000032717.showprojen.aspx.html"
    utf8 = path.read_bytes()
    gbk = utf8.decode("utf-8").replace("charset=utf-8", "charset=gb2312").encode("gb18030")
    [a] = parse_bytes(utf8, "a.html", repair=False)
    [b] = parse_bytes(gbk, "b.html", repair=False)
    assert b.source.encoding == "gb18030" and _view(a) == _view(b)
    assert [f.lines for f in a.fields] == [f.lines for f in b.fields]


def test_a_page_of_another_registry_is_refused_by_name():
    from bilingual_registry.errors import NotARecord, OtherRegistry
    with pytest.raises(OtherRegistry, match="ClinicalTrials.gov"):
        parse_bytes(page("<table><tr><th>NCT Number</th><td>NCT01234567</td></tr>"
                         "<tr><th>Brief Title</th><td>A study</td></tr></table>"), "nct.html")
    with pytest.raises(NotARecord):
        parse_bytes(page("<div class='nav'><a href='/'>网站首页</a></div>"), "home.html")


def test_a_script_inside_a_label_cell_does_not_hide_the_label():
    r = one(row("<td><p class='cn'>研究类型：</p><script>var t = 1;</script></td>", "<td>观察性研究</td>", cls="cn"),
            row("<td><style>p{}</style><p class='en'>Study type：</p></td>", "<td>Observational study</td>", cls="en"))
    assert (r.get("study_type").zh.value, r.get("study_type").en.value) == ("观察性研究", "Observational study")


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.name)
def test_fast_plain_reading_agrees_with_the_full_walk(path):
    """Most cells are read by `_plain` without walking; it must give what the node-by-node walk gives."""
    from bilingual_registry.sources.html import _plain, _walk_text, parse_html
    data = path.read_bytes()
    root = parse_html(data.decode("utf-8"), str(path), data)
    checked = 0
    for el in root.iter("td", "th", "p", "span", "div"):
        plain = _plain(el)
        if plain is None:
            continue
        text, lines = _walk_text(el)
        assert plain[0] == text, el.sourceline
        if text:  # an empty value has no text to hold a line: each takes the line of its own element
            assert plain[1] == lines, (el.sourceline, text)
        checked += 1
    assert checked > 20


def test_utf8_checked_to_the_end_though_only_the_head_is_decoded():
    """The reader decodes only the head of a UTF-8 page: a bad byte far down must still be seen (it is
    read as U+FFFD and reported), and the refusal of another registry's page must still search the whole text."""
    from bilingual_registry.errors import OtherRegistry
    pad = "<p>" + " " * 70000 + "</p>"
    good = page(ms(*BASE, *STUDY_TYPE, *END) + pad)
    [record] = parse_bytes(good, "a.html", repair=False)
    assert record.source.encoding == "utf-8" and not [p for p in record.problems if p.code == "bad-bytes"]
    [damaged] = parse_bytes(good.replace(b"</body>", b"\xff</body>"), "b.html", repair=False)
    assert [p.code for p in damaged.problems if p.code == "bad-bytes"] == ["bad-bytes"]
    assert damaged.fields == record.fields
    with pytest.raises(OtherRegistry, match="ClinicalTrials.gov"):
        parse_bytes(page(pad + "<table><tr><th>NCT Number</th><td>NCT01234567</td></tr></table>"), "nct.html")
