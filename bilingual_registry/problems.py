"""The catalogue of problem codes: what each means and how severe it is, in one place.

Every stage builds its problems through `problem()` (`problem_part()` or `problem_data()` where records
are still plain data), so a code is never spelt twice, never made up on the spot, and its severity is the catalogue's.
Adding a code is one line in `CATALOGUE`: `Code("lost-character", "warning", "what it means")`.

>>> problem("truncated", "the record stops at line 12", field="gender").severity
'error'
>>> problem("no-such-code", "x")
Traceback (most recent call last):
KeyError: "problem code 'no-such-code' is not in the catalogue (bilingual_registry/problems.py)"
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import parts
from .parts import Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    doc: str


CATALOGUE: dict[str, Code] = {c.code: c for c in (
    # alignment (align.py)
    Code("truncated", "error", "the record stops before its closing fields; fields after that point are missing"),
    Code("no-english-twin", "info", "a Chinese label with no English label paired to it"),
    Code("no-chinese-twin", "info", "an English label with no Chinese label before it"),
    Code("english-only", "info", "the record has no Chinese labels or values (XML and ICTRP exports, some pages)"),
    Code("chinese-only", "info", "the record has no English labels"),
    Code("unknown-label", "warning", "a label not in glossary/fields.tsv; paired by position and language"),
    Code("paired-by-position", "warning", "an English label naming another field than the open Chinese one"),
    # readers (sources/)
    Code("bad-bytes", "warning", "bytes that are not UTF-8 in a UTF-8 file, shown as U+FFFD"),
    Code("unknown-code", "info", "an ITMCTR API code the glossary's vocabulary does not hold; kept as given"),
    Code("unexpected-type", "warning", "an ITMCTR API value of an unexpected type; kept as given in unpaired"),
    Code("too-many-items", "warning", ("a list, a record's blocks or a text's lines cut at a limit of limits.py; "
                                         "the rest kept as one text in unpaired")),
    Code("ictrp-one-contact", "info", "an ICTRP export's one contact, read as the applicant"),
    # merging a page with its XML export or ICTRP row (merge.py)
    Code("merged-xml", "info", "the record's English values were compared with its XML export"),
    Code("xml-only", "info", "a value only the XML export has"),
    Code("xml-filled", "info", "an English value the page left empty, taken from the XML export"),
    Code("xml-differs", "warning", "the page's English and the XML export's differ"),
    Code("merged-ictrp", "info", "the record's English values were compared with its ICTRP row"),
    Code("ictrp-only", "info", "a value only the ICTRP row has"),
    Code("ictrp-filled", "info", "an English value the page left empty, taken from the ICTRP row"),
    Code("ictrp-differs", "warning", "the page's English and the ICTRP row's differ"),
    Code("ictrp-damaged", "info", "the ICTRP row's English differs from the page's only by export damage"),
    # repair (repair/)
    Code("lost-text", "warning", "a run of `?` standing for text the export lost; never filled"),
    Code("lost-character", "warning", "a `?` standing for a character the export lost that no evidence decides;"
                                      " kept as it is, at its side and offset (identifiers always)"),
    Code("unrepaired-bestfit-greek", "warning", "a `?` that may be a Greek letter lost to a code page"),
    Code("unrepaired-mojibake-lost", "warning", "mojibake whose original characters cannot be recovered"),
    # XLIFF edits applied back (review/xliff.py)
    Code("xliff-unknown-unit", "error", "an XLIFF unit whose id names no field of the record; refused"),
    Code("xliff-source-changed", "error", "an XLIFF unit whose source is no longer the record's Chinese; refused"),
    Code("xliff-no-translate", "error", "an XLIFF unit marked translate=no whose target was changed; refused"),
)}


def _code(code: str) -> Code:
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"problem code {code!r} is not in the catalogue (bilingual_registry/problems.py)") from None


def problem(code: str, message: str, field: Optional[str] = None, lines: Optional[list[int]] = None,
            severity: Optional[Severity] = None):
    """A Problem (the model) of a catalogued code; its severity the catalogue's unless the caller knows better."""
    from .model import Problem  # pydantic: only stages that handle Records ask for a model
    return Problem(code=code, message=message, severity=severity or _code(code).severity, field=field,
                   lines=lines)


def problem_part(code: str, message: str, field: Optional[str] = None, lines: Optional[list[int]] = None,
                 severity: Optional[Severity] = None) -> parts.Problem:
    """The same problem as a `parts.Problem`, for readers and the aligner (no pydantic on the data path)."""
    return parts.Problem(code=code, message=message, severity=severity or _code(code).severity, field=field,
                         lines=lines)


def problem_data(code: str, message: str, field: Optional[str] = None, lines: Optional[list[int]] = None,
                 severity: Optional[Severity] = None, **place) -> dict:
    """The same problem as plain data, for records not yet validated (readers of JSON, repair); `place` is
    where in a value it is (side, at, group, index), for problems about one cell."""
    return {"code": code, "severity": severity or _code(code).severity, "message": message, "field": field,
            "lines": lines, **place}
