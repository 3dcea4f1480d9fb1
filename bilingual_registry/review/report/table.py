"""What the tabular reports (CSV, XLSX) and the totals share: one row per finding, and counts by check and severity."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from ...model import Finding, Span

SEVERITIES = ("error", "warning", "info")

COLUMNS = ("record", "severity", "check", "field", "group", "index", "zh_label", "en_label", "side",
           "zh_text", "en_text", "zh_flagged", "en_flagged", "message", "suggestion", "zh_spans", "en_spans", "source")


def flagged(text: str, spans: Iterable[Span]) -> str:
    """The characters a finding points at, pieces joined by ` … ` (an empty span flags nothing).

    >>> flagged("Wuxi Qingyang road 299", [Span(start=14, end=18)])
    'road'
    >>> flagged("（ORR", [Span(start=0, end=1), Span(start=4, end=4)])
    '（'
    """
    return " … ".join(text[s.start:s.end] for s in spans if s.end > s.start)


def spans_text(spans: Iterable[Span]) -> str:
    """Spans as `start-end` pairs, for a cell: `14-18 20-22`."""
    return " ".join(f"{s.start}-{s.end}" for s in spans)


def row(f: Finding) -> list:
    """One finding as the cells of COLUMNS (plain strings and numbers; empty for what is unknown)."""
    return [f.registration_number or "", f.severity, f.check, f.field or "", f.group or "",
            "" if f.index is None else f.index, f.zh_label or "", f.en_label or "", f.side or "",
            f.zh_text, f.en_text, flagged(f.zh_text, f.zh_spans), flagged(f.en_text, f.en_spans),
            f.message, f.suggestion or "", spans_text(f.zh_spans), spans_text(f.en_spans), f.source or ""]


def severity_rank(severity: str) -> int:
    """0 for the gravest severity: errors sort first."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def totals(findings: Iterable[Finding]) -> dict[str, Counter]:
    """check id → Counter of severities, checks in order of their first finding.

    >>> t = totals([Finding(check="truncation", severity="error", message="m"),
    ...             Finding(check="truncation", severity="warning", message="m")])
    >>> dict(t["truncation"])
    {'error': 1, 'warning': 1}
    """
    out: dict[str, Counter] = {}
    for f in findings:
        out.setdefault(f.check, Counter())[f.severity] += 1
    return out
