"""The XLSX report: a sheet of findings with both sides side by side and the flagged characters in red, an
autofilter and a frozen header; a sheet of totals by check and severity.

Written with xlsxwriter; every text goes in with `write_string`, so nothing a registrant typed becomes a
formula or a link. A cell holds at most 32,767 characters (Excel's limit): longer text is cut with `…`.
"""
from __future__ import annotations

import io

import xlsxwriter

from ...model import Finding, Record, Span
from .table import COLUMNS, SEVERITIES, row, totals

_CELL_MAX = 32767
_WIDTHS = {"record": 18, "severity": 9, "check": 18, "field": 16, "group": 11, "index": 6, "zh_label": 14,
           "en_label": 18, "side": 6, "zh_text": 50, "en_text": 60, "zh_flagged": 16, "en_flagged": 20,
           "message": 50, "suggestion": 30, "zh_spans": 10, "en_spans": 10, "source": 24}
_SEVERITY_COLOURS = {"error": "#F8D7DA", "warning": "#FFF3CD", "info": "#D9ECF7"}


def _cut(text: str) -> str:
    return text if len(text) <= _CELL_MAX else text[:_CELL_MAX - 1] + "…"


def _pieces(text: str, spans: list[Span]) -> list[tuple[bool, str]]:
    """`text` cut at the spans' edges: (flagged?, piece) in order, no empty piece.

    >>> _pieces("Wuxi Qingyang road 299", [Span(start=14, end=18)])
    [(False, 'Wuxi Qingyang '), (True, 'road'), (False, ' 299')]
    """
    marks = [False] * len(text)
    for s in spans:
        for i in range(max(s.start, 0), min(s.end, len(text))):
            marks[i] = True
    out: list[tuple[bool, str]] = []
    for ch, on in zip(text, marks):
        if out and out[-1][0] == on:
            out[-1] = (on, out[-1][1] + ch)
        else:
            out.append((on, ch))
    return out


def _write_text(sheet, r: int, c: int, text: str, spans: list[Span], plain, hit, cell) -> None:
    """The text with its flagged characters in red bold (a rich string needs two pieces or more)."""
    pieces = _pieces(_cut(text), spans)
    if len(pieces) < 2:
        sheet.write_string(r, c, _cut(text), cell)
        return
    parts: list = []
    for on, piece in pieces:
        parts += [hit if on else plain, piece]
    sheet.write_rich_string(r, c, *parts, cell)


def render(findings: list[Finding], records: list[Record]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top"})
    plain = book.add_format({})
    hit = book.add_format({"bold": True, "font_color": "#C00000", "underline": 1})
    sev_cells = {s: book.add_format({"bg_color": colour, "valign": "top", "bold": s == "error"})
                 for s, colour in _SEVERITY_COLOURS.items()}

    sheet = book.add_worksheet("Findings")
    for c, name in enumerate(COLUMNS):
        sheet.write_string(0, c, name, head)
        sheet.set_column(c, c, _WIDTHS.get(name, 14))
    zh_col, en_col = COLUMNS.index("zh_text"), COLUMNS.index("en_text")
    for r, f in enumerate(findings, start=1):
        for c, value in enumerate(row(f)):
            if c == zh_col:
                _write_text(sheet, r, c, f.zh_text, f.zh_spans, plain, hit, cell)
            elif c == en_col:
                _write_text(sheet, r, c, f.en_text, f.en_spans, plain, hit, cell)
            elif value == "":
                sheet.write_blank(r, c, None, cell)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, cell)
            else:
                sheet.write_string(r, c, _cut(value), sev_cells.get(value, cell) if COLUMNS[c] == "severity" else cell)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(findings), 1), len(COLUMNS) - 1)

    tsheet = book.add_worksheet("Totals")
    header = ["check", *SEVERITIES, "total"]
    for c, name in enumerate(header):
        tsheet.write_string(0, c, name, head)
    tsheet.set_column(0, 0, 24)
    by_check = totals(findings)
    for r, (check, counts) in enumerate(sorted(by_check.items()), start=1):
        tsheet.write_string(r, 0, check)
        for c, s in enumerate(SEVERITIES, start=1):
            tsheet.write_number(r, c, counts[s])
        tsheet.write_number(r, len(header) - 1, sum(counts.values()))
    last = len(by_check) + 1
    tsheet.write_string(last, 0, "all checks", head)
    for c, s in enumerate(SEVERITIES, start=1):
        tsheet.write_number(last, c, sum(counts[s] for counts in by_check.values()), head)
    tsheet.write_number(last, len(header) - 1, len(findings), head)
    tsheet.freeze_panes(1, 0)
    tsheet.autofilter(0, 0, last - 1 if by_check else 1, len(header) - 1)
    book.close()
    return buf.getvalue()
