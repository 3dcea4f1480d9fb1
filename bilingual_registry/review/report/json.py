"""The JSON report: every finding as the model serialises it, with the records reviewed and the totals."""
from __future__ import annotations

import json

from ...model import Finding, Record
from .table import SEVERITIES, totals

REPORT_VERSION = 1


def render(findings: list[Finding], records: list[Record]) -> bytes:
    """One JSON object: `records` (number and source of each record reviewed), `totals` (by severity, and by
    check then severity) and `findings` (the Finding contract, in the engine's order)."""
    by_check = totals(findings)
    report = {
        "report_version": REPORT_VERSION,
        "records": [{"registration_number": r.registration_number, "source": r.source.path} for r in records],
        "totals": {
            "findings": len(findings),
            "by_severity": {s: sum(c[s] for c in by_check.values()) for s in SEVERITIES},
            "by_check": {check: {s: c[s] for s in SEVERITIES if c[s]} for check, c in by_check.items()},
        },
        "findings": [f.model_dump(mode="json") for f in findings],
    }
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
