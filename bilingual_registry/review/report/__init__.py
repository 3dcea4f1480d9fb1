"""Review reports: the same findings written as JSON, CSV, XLSX or one self-contained HTML page.

One module per format, each with `render(findings, records) -> bytes`; `render_report` picks one by name and
`report_format` by a report's file extension, as `bireg review --report out.html` does. Nothing here writes a
file: the command line writes the bytes (whole or not at all).
"""
from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import Iterable

from ...model import Finding, Record

FORMATS = ("json", "csv", "xlsx", "html")
_EXTENSIONS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def report_format(path: str) -> str:
    """The report format a file name asks for, by its extension.

    >>> report_format("out/review.HTML"), report_format("findings.csv")
    ('html', 'csv')
    >>> report_format("review.pdf")
    Traceback (most recent call last):
    ...
    ValueError: review.pdf: no report format for '.pdf'; name the report .html, .xlsx, .csv or .json
    """
    suffix = PurePath(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(f"{path}: no report format for {suffix!r}; name the report .html, .xlsx, .csv or .json")
    return _EXTENSIONS[suffix]


def render_report(findings: Iterable[Finding], records: Iterable[Record] = (), fmt: str = "json") -> bytes:
    """The report of `findings` in format `fmt` (one of FORMATS); `records` give the HTML page its fields."""
    if fmt not in FORMATS:
        raise ValueError(f"no report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f".{fmt}", __name__)
    return module.render(list(findings), list(records))
