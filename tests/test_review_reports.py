"""Review reports: JSON, CSV (formula cells neutralised), XLSX (sheets, filter, frozen header, totals) and the
HTML page (escaped text, marks at the findings' spans), from hand-built findings on real-looking records."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections import Counter

import lxml.html
import openpyxl
import pytest
from hypothesis import given, strategies as st

from bilingual_registry import parse_file
from bilingual_registry.model import GROUPS, Finding, Span
from bilingual_registry.review.report import render_report, report_format
from bilingual_registry.review.report.csv import safe_cell
from bilingual_registry.review.report.table import COLUMNS

from conftest import EXAMPLE, needs_shared, seed
from seed_findings import HOSTILE_EN, HOSTILE_ZH, hostile_example, seed_003_findings

FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile():
    [record] = parse_file(EXAMPLE)
    return hostile_example(record)


@pytest.fixture(scope="module")
def seed_003():
    [record] = parse_file(seed("003"))
    return record, seed_003_findings(record)


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_report_format_is_known_by_extension():
    assert [report_format(p) for p in ("r.html", "r.htm", "R.XLSX", "r.csv", "r.json")] == \
        ["html", "html", "xlsx", "csv", "json"]
    with pytest.raises(ValueError, match="r.txt"):
        report_format("r.txt")


def test_csv_neutralises_every_formula_start(hostile):
    record, findings = hostile
    nasty = [Finding(check="numbers", severity="error", message=m, en_text=t, suggestion=s)
             for m, t, s in (("=1+1", "+cmd|' /C calc'!A0", "-2+3"), ("@SUM(A1:A9)", "\t=1", "\r=2"))]
    rows = _csv_rows(render_report(findings + nasty, [record], "csv"))
    assert rows[0] == list(COLUMNS)
    body = rows[1:]
    assert len(body) == len(findings) + 2
    cells = [c for r in body for c in r]
    assert not [c for c in cells if c.startswith(FORMULA)], "a cell a spreadsheet would run"
    en = COLUMNS.index("en_text")
    assert body[0][en] == "'" + HOSTILE_EN  # the record's own formula text, neutralised, nothing else changed
    assert [r[COLUMNS.index("message")] for r in body[-2:]] == ["'=1+1", "'@SUM(A1:A9)"]
    assert [r[en] for r in body[-2:]] == ["'+cmd|' /C calc'!A0", "'\t=1"]
    assert [r[COLUMNS.index("suggestion")] for r in body[-2:]] == ["'-2+3", "'\r=2"]
    # flagged characters are the spans' text
    assert body[0][COLUMNS.index("en_flagged")] == '<img src=x onerror="window.__pwned = 2">'
    assert body[1][COLUMNS.index("en_flagged")] == "PD-1"


@given(st.text())
def test_safe_cell_keeps_text_and_never_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA)
    assert cell == text or cell == "'" + text


def test_json_report_holds_every_finding_and_the_totals(hostile):
    record, findings = hostile
    report = json.loads(render_report(findings, [record], "json"))
    assert [Finding.model_validate(f) for f in report["findings"]] == findings
    assert report["records"] == [{"registration_number": "ChiCTR2699000001", "source": record.source.path}]
    assert report["totals"]["findings"] == 5
    assert report["totals"]["by_severity"] == {"error": 1, "warning": 3, "info": 1}
    assert report["totals"]["by_check"] == {"markup": {"error": 1, "warning": 1}, "lost-character": {"warning": 2},
                                            "name-consistency": {"info": 1}}


def test_xlsx_report_has_filter_frozen_header_sides_and_totals(hostile):
    record, findings = hostile
    book = openpyxl.load_workbook(io.BytesIO(render_report(findings, [record], "xlsx")))
    assert book.sheetnames == ["Findings", "Totals"]
    sheet = book["Findings"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{len(findings) + 1}"
    zh, en = COLUMNS.index("zh_text") + 1, COLUMNS.index("en_text") + 1
    assert en == zh + 1  # the two sides side by side
    first = sheet.cell(row=2, column=en)
    assert first.value == HOSTILE_EN and first.data_type == "s"  # text, not a formula
    assert sheet.cell(row=2, column=zh).value == HOSTILE_ZH
    assert [sheet.cell(row=r, column=COLUMNS.index("field") + 1).value for r in range(2, 7)] == \
        ["primary_sponsor", "public_title", "scientific_title", "applicant", None]
    totals = book["Totals"]
    assert totals.freeze_panes == "A2"
    table = {r[0]: r[1:] for r in totals.iter_rows(min_row=2, values_only=True)}
    expected = Counter((f.check, f.severity) for f in findings)
    for check in {f.check for f in findings}:
        counts = tuple(expected[(check, s)] for s in ("error", "warning", "info"))
        assert table[check] == (*counts, sum(counts))
    assert table["all checks"] == (1, 3, 1, 5)


def _page(findings, records):
    return lxml.html.document_fromstring(render_report(findings, records, "html"))


def test_html_shows_markup_as_text_and_runs_only_its_own_script(hostile):
    record, findings = hostile
    page = _page(findings, [record])
    scripts = page.xpath("//script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    assert page.xpath("//img") == [] and page.xpath("//*[@onerror]") == []
    row = page.xpath("//tr[th[@title='primary_sponsor']]")[0]
    zh_cell, en_cell = row.xpath("./td[@lang]")
    assert zh_cell.text_content() == HOSTILE_ZH
    assert en_cell.text_content() == HOSTILE_EN
    assert "<b>Example Chest Hospital</b>" in row.text_content()  # a suggestion is text too
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert not page.xpath("//link|//iframe|//object|//*[@src]")


def _marks(page, finding_id: str, lang: str) -> str:
    return "".join(m.text_content() for m in page.xpath(f"//td[@lang='{lang}']//mark")
                   if finding_id in (m.get("data-ids") or "").split())


def test_html_marks_each_finding_at_its_spans(hostile):
    record, findings = hostile
    page = _page(findings, [record])
    assert _marks(page, "f1", "en") == '<img src=x onerror="window.__pwned = 2">'
    assert _marks(page, "f1", "zh") == "<script>"
    assert _marks(page, "f2", "en") == "PD-1"
    assert _marks(page, "f4", "zh") == "王明"
    whole = page.xpath("//div[@class='record-findings']//li")
    assert [li.get("id") for li in whole] == ["f5"]  # no field: listed for the whole record


@needs_shared
def test_html_of_seed_003_marks_its_defects_in_place(seed_003):
    record, findings = seed_003
    page = _page(findings, [record])
    ids = {f"f{n}": f for n, f in enumerate(findings, start=1)}
    for fid, f in ids.items():
        for lang, text, spans in (("zh", f.zh_text, f.zh_spans), ("en", f.en_text, f.en_spans)):
            assert _marks(page, fid, lang) == "".join(text[s.start:s.end] for s in spans), (fid, f.check, lang)
    assert _marks(page, "f1", "en") == "was used as the"
    assert len(page.xpath("//li[@data-finding]")) == len(findings)
    assert len(page.xpath("//section[@class='record']")) == 1


def test_html_lists_findings_of_records_not_given():
    orphan = Finding(check="truncation", severity="error", message="cut <off>", registration_number="ChiCTR0",
                     field="objectives", en_text="It was", en_spans=[])
    page = _page([orphan], [])
    assert [li.get("data-check") for li in page.xpath("//li[@data-finding]")] == ["truncation"]
    assert "cut <off>" in page.text_content()


def test_a_long_batch_shows_only_the_fields_with_findings(hostile):
    record, findings = hostile
    copies = [record.model_copy(update={"registration_number": f"ChiCTR26990000{n:02d}"}) for n in range(21)]
    on_first = [f for f in findings if f.field]  # the field findings, on the first record only
    long_page = _page(on_first, copies)
    assert sorted(th.get("title") for th in long_page.xpath("//tr[contains(@class,'field')]/th")) == \
        sorted(f.field for f in on_first)
    assert long_page.xpath("//input[@id='only-flagged']/@disabled")
    assert len(long_page.xpath("//section[@class='record']")) == 21
    short_page = _page(on_first, copies[:20])
    assert len(short_page.xpath("//tr[contains(@class,'field')]")) == 20 * len(
        [f for f in record.fields if not (f.group is None and f.key in GROUPS and not (f.zh.value or f.en.value))])
    assert not short_page.xpath("//input[@id='only-flagged']/@disabled")


def test_a_finding_goes_to_the_record_of_its_number_that_holds_its_text(hostile):
    record, _ = hostile
    cut = "To compare progression-free survival and"
    copy = record.model_copy(update={"fields": [
        f.model_copy(update={"en": f.en.model_copy(update={"value": cut})}) if f.key == "objectives" else f
        for f in record.fields]})
    field = copy.get("objectives")
    finding = Finding(check="truncated", severity="error", message="cut", registration_number=copy.registration_number,
                      field="objectives", zh_text=field.zh.value, en_text=cut, en_spans=[Span(start=37, end=40)])
    page = _page([finding], [record, copy])
    assert page.xpath("//li[@data-finding]/ancestor::section/@id") == ["record-1"]
    assert _marks(page, "f1", "en") == "and"
