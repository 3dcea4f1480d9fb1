"""What an input is, from its content alone: users save pages as `.json`, exports as `.txt`, and so on.

`detect` looks at the first characters of the decoded text (markup, a JSON bracket, or plain text) and at
the first registration number in it. File names are never consulted.
"""
from __future__ import annotations

import regex

from ..errors import RecordError
from ..patterns import TIMEOUT
from .decode import decode
from .ictrp import is_csv_export, is_xml_export

SNIFF_BYTES = 64 * 1024
FORMATS = ("text", "html", "xml", "json", "ictrp-csv", "ictrp-xml", "other")
REGISTRIES = ("ChiCTR", "ITMCTR", "other")
_REGNO = regex.compile(r"\b(ChiCTR|ITMCTR|ChiMCTR)[-A-Z]*\d{6,}")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<table", "<div", "<meta", "<title", "<p ", "<p>")
_XML_ROOTS = ("<trials", "<triall", "<trial")


def _skip_prolog(head: str) -> str:
    """Drop leading blanks and comments so the first real tag decides."""
    head = head.lstrip()
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return ""
        head = head[end + 3:].lstrip()
    return head


def markup_kind(text: str) -> str | None:
    """'html', 'xml' or None for text that does not start as markup.

    >>> markup_kind('<?xml version="1.0"?><trials><Triall/></trials>')
    'xml'
    >>> markup_kind('<!DOCTYPE html><html><body></body></html>')
    'html'
    >>> markup_kind('<?xml version="1.0"?>\\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><html>')
    'html'
    >>> markup_kind('注册号：<ChiCTR2400084905>') is None
    True
    """
    head = _skip_prolog(text[:SNIFF_BYTES])[:8192]
    if not head.startswith("<"):  # a text export: no need to lower 8,000 characters to know it
        return None
    head = head.lower()
    if any(m in head for m in _HTML_MARKERS[:2]):
        return "html"
    if head.startswith("<?xml") or head.startswith("<!doctype") or head.startswith(_XML_ROOTS):
        return "xml"
    if any(m in head[:4096] for m in _HTML_MARKERS):
        return "html"
    return None


def text_format(text: str) -> str:
    """'html', 'xml', 'json', 'ictrp-xml', 'ictrp-csv' or 'text' for decoded text.

    >>> text_format("TrialID,Public title,Scientific title,Primary sponsor,Countries\\nChiCTR2000029953,…")
    'ictrp-csv'
    """
    kind = markup_kind(text)
    if kind == "xml" and is_xml_export(text[:4096]):
        return "ictrp-xml"
    if kind:
        return kind
    if text[:SNIFF_BYTES].lstrip()[:1] in ("{", "["):
        return "json"
    return "ictrp-csv" if is_csv_export(text[:SNIFF_BYTES]) else "text"


def detect_text(text: str) -> tuple[str, str]:
    """(format, registry) of decoded text.

    >>> detect_text('注册号：\\nRegistration number:\\nITMCTR2000002960\\n')
    ('text', 'ITMCTR')
    >>> detect_text('{"registration_number": "ChiCTR2400084905"}')
    ('json', 'ChiCTR')
    >>> detect_text('NCT01234567 Brief Title')
    ('text', 'other')
    """
    fmt = text_format(text)
    m = _REGNO.search(text, timeout=TIMEOUT)
    registry = "other" if m is None else ("ChiCTR" if m[1] == "ChiCTR" else "ITMCTR")
    return fmt, registry


def detect(data: bytes) -> tuple[str, str]:
    """(format, registry) of raw bytes: format is one of FORMATS, registry ChiCTR|ITMCTR|other.

    Binary data, archives and undecodable bytes are 'other'.

    >>> detect(b'<?xml version="1.0"?><trials><Triall><main><trial_id>ChiCTR2000034346</trial_id>')
    ('xml', 'ChiCTR')
    >>> detect(b'PK\\x03\\x04\\x14\\x00\\x00\\x00')
    ('other', 'other')
    """
    try:
        text, _ = decode(data)
    except RecordError:
        return "other", "other"
    sample = text[:8192]
    if sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f") > len(sample) // 100:
        return "other", "other"  # control characters: binary that happened to decode
    return detect_text(text)
