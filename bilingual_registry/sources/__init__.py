"""Reading inputs: the only place that touches files. Bytes → text → Document, or a typed error."""
from __future__ import annotations

import hashlib
import re
from typing import Callable

from ..document import Block, Document
from ..errors import NotARecord, OtherRegistry
from ..labels import Schema, default_schema
from ..limits import line_cut, lines_cut_problem
from ..parts import Source, Unpaired
from .decode import bad_bytes_problem, decode_counted, only_head
from .detect import text_format
from .text import read_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Registries whose records we recognise in order to refuse them by name.
# Literal prefixes and bounded runs: linear, so the standard library's `re` with no time limit.
_OTHER_REGISTRIES = (
    (re.compile(r"\bNCT\d{8}\b"), "a ClinicalTrials.gov record"),
    (re.compile(r"\bISRCTN\d{8}\b"), "an ISRCTN record"),
    (re.compile(r"\b(?:EUCTR)?\d{4}-\d{6}-\d{2}\b"), "an EU clinical trials register record"),
    (re.compile(r"\bCTRI/\d{4}/\d+/\d+\b"), "a CTRI (India) record"),
    (re.compile(r"\bJPRN-\w+\b|\bjRCT\w+\b|\bUMIN\d{9}\b"), "a Japanese registry (JPRN/jRCT/UMIN) record"),
    (re.compile(r"\bACTRN\d{14}\b"), "an ANZCTR record"),
    (re.compile(r"\bDRKS\d{8}\b"), "a DRKS record"),
    (re.compile(r"\bKCT\d{7}\b"), "a CRIS (Korea) record"),
    (re.compile(r"\bIRCT\d+N\d+\b"), "an IRCT record"),
)
MIN_DISTINCT_LABELS = 4
_NOT_A_PAGE = {
    "xml": "this is an XML export, which parse_bytes/parse_file read into records directly",
    "json": "this is a JSON document, which parse_bytes/parse_file read (ITMCTR data-API records) directly",
    "ictrp-csv": "this is a WHO ICTRP CSV export, which parse_bytes/parse_file read into records directly",
    "ictrp-xml": "this is a WHO ICTRP XML export, which parse_bytes/parse_file read into records directly",
}


def check_is_record(blocks: list[Block], whole_text: Callable[[], str], path: str | None, schema: Schema) -> None:
    """Refuse inputs with too few registry labels, naming the registry they look like."""
    keys: set[str] = set()
    han = False
    for b in blocks:
        if b.kind != "value":
            for s in schema.lookup(b.text):
                keys.add(s.field.key)
                han = han or s.lang == "zh"
        if len(keys) >= MIN_DISTINCT_LABELS:
            return
    text = whole_text()
    for pattern, what in _OTHER_REGISTRIES:
        m = pattern.search(text)
        if m:
            raise OtherRegistry(path, f"looks like {what} ({m[0]}), not a ChiCTR record")
    raise NotARecord(path)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_blocks(text: str, schema: Schema) -> tuple[list[Block], list[Unpaired], list]:
    """The blocks of a text export, read from at most as many lines as a record of its size can have
    (`limits.line_cut`): a text of millions of 2-byte lines would cost a block each before any cap in
    the aligner. What lies past the cut comes back as one Unpaired, with the problem saying so."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = line_cut(text)
    if cut is None:
        return read_text(text, schema), [], []
    kept, lines = text.count("\n", 0, cut), text.count("\n") + 1
    rest = Unpaired(text=text[cut:], lines=[kept + 1, lines], why=f"lines past the first {kept:,} of the text")
    size = len(text.encode("utf-8", "surrogatepass"))
    return read_text(text[:cut], schema), [rest], [lines_cut_problem(lines, kept, size)]


def read_bytes(data: bytes, path: str | None = None, schema: Schema | None = None) -> Document:
    """Bytes of one page or text export → Document (or a typed error naming `path`); callers limit the size."""
    text, encoding, bad = decode_counted(data, path, whole=False)
    return read_decoded(data, text, encoding, bad, text_format(text), path, schema)


def read_decoded(data: bytes, text: str, encoding: str, bad: int, fmt: str, path: str | None = None,
                 schema: Schema | None = None) -> Document:
    """`read_bytes` for bytes already decoded (`decode_counted(data, whole=False)`) and sniffed
    (`text_format(text)`), so a file is decoded and sniffed once."""
    schema = schema or default_schema()
    partial = only_head(data, encoding, bad)  # then the HTML reader takes the bytes
    unpaired: list = []
    problems = [bad_bytes_problem(bad)] if bad else []
    if fmt == "html":
        from .html import read_html  # lxml, loaded for the first page
        blocks = read_html(text, schema, path, data if partial else None, unpaired, problems)
    elif fmt == "text":
        text, partial = (data.decode("utf-8") if partial else text), False
        blocks, unpaired, cut = text_blocks(text, schema)
        problems += cut
    else:
        raise NotARecord(path, _NOT_A_PAGE.get(fmt))
    check_is_record(blocks, (lambda: data.decode("utf-8")) if partial else (lambda: text), path, schema)
    return Document(blocks=blocks, source=Source(path=path, format=fmt, encoding=encoding, sha256=sha256(data)),
                    problems=problems, unpaired=unpaired)
