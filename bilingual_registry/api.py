"""The library's front door: one call from an input to Records (the CLI is a thin layer over these)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Union

from .align import align_data, records_data
from .document import Document
from .errors import RecordError, SomeInputsFailed, TooLarge
from .labels import Schema, default_schema
from .model import Record, Source
from .repair import repair_data
from .sources import DEFAULT_MAX_BYTES, read_bytes, sha256
from .sources.archive import DEFAULT_MAX_TOTAL, is_zip, iter_bytes, iter_inputs
from .sources.decode import decode
from .sources.detect import text_format
from .sources.itmctr_api import read_itmctr_api
from .sources.text import read_text
from .sources.xml import read_xml

Outcome = tuple[str, Union[Record, RecordError]]


def _finish(records: list[dict], repair: bool) -> list[Record]:
    """Aligned records, repaired when asked, validated once each."""
    if repair:
        for data in records:
            repair_data(data)
    return [Record.model_validate(data) for data in records]


def _finish_all(doc: Document, repair: bool) -> list[Record]:
    """Every record of a document: a text file may hold several one after another."""
    return _finish([align_data(doc)] if doc.source.format == "html" else records_data(doc), repair)  # a page is one


def parse_text(text: str, path: str | None = None, repair: bool = True, schema: Schema | None = None) -> Record:
    """Parse the text of one record export (already decoded)."""
    schema = schema or default_schema()
    doc = Document(blocks=read_text(text, schema), source=Source(path=path, format="text"))
    return _finish([align_data(doc)], repair)[0]


def _structured(data: bytes) -> str | None:
    """'xml' or 'json' for an export whose records are built without the aligner, known from its start."""
    head = data[:4096]
    text = head.decode("utf-16", "ignore") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head.decode("utf-8", "ignore")
    kind = text_format(text.lstrip("\ufeff"))
    return kind if kind in ("xml", "json") else None


def _parse_one(data: bytes, path: str | None, repair: bool, max_bytes: int) -> list[Record]:
    try:
        return _read_one(data, path, repair, max_bytes)
    except TimeoutError:  # a pattern's time limit, hit on pathological text
        raise RecordError(path, "the text defeats the parser's patterns (time limit reached); is it a record?") from None


def _read_one(data: bytes, path: str | None, repair: bool, max_bytes: int) -> list[Record]:
    if len(data) > max_bytes:
        raise TooLarge(path, f"the file is {len(data):,} bytes, over the {max_bytes:,}-byte limit a record")
    kind = _structured(data)
    if kind == "xml":
        return read_xml(data, path, Source(path=path, format="xml", sha256=sha256(data)))
    if kind == "json":
        text, encoding = decode(data, path)
        source = Source(path=path, format="json", encoding=encoding, sha256=sha256(data))
        return _finish(read_itmctr_api(text, path, source), repair)
    return _finish_all(read_bytes(data, path), repair)


def _collect(outcomes: Iterable[Outcome], path: str) -> list[Record]:
    """Records of one input; its error when it was one file that failed, SomeInputsFailed when entries failed."""
    outcomes = list(outcomes)
    records = [r for _, r in outcomes if isinstance(r, Record)]
    failures = [(name, r) for name, r in outcomes if isinstance(r, RecordError)]
    if failures and len(outcomes) == 1:
        raise failures[0][1]
    if failures:
        raise SomeInputsFailed(path, records, failures)
    return records


def _outcomes(entries: Iterable[tuple[str, Union[bytes, RecordError]]], repair: bool, max_bytes: int) -> Iterator[Outcome]:
    for name, data in entries:
        if isinstance(data, RecordError):
            yield name, data
            continue
        try:
            for record in _parse_one(data, name, repair, max_bytes):
                yield name, record
        except RecordError as exc:
            yield name, exc


def parse_bytes(data: bytes, path: str | None = None, repair: bool = True,
                max_bytes: int = DEFAULT_MAX_BYTES) -> list[Record]:
    """Parse the bytes of one input (a page, a text export, an XML export or a zip of them).

    Raises a RecordError subclass naming `path` on bad input; for a zip whose entries partly failed,
    SomeInputsFailed carries both the records read and the failures.
    """
    if not is_zip(data):
        return _parse_one(data, path, repair, max_bytes)
    return _collect(_outcomes(iter_bytes(data, path or "<input>", max_bytes), repair, max_bytes), path or "<input>")


def parse_many(paths: Iterable[str | Path], repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               max_total: int = DEFAULT_MAX_TOTAL) -> Iterator[Outcome]:
    """(name, Record) for every record and (name, RecordError) for every input that failed, in order.

    Files, directories and zip archives are all accepted; one failure never hides the other records.
    A path that cannot be opened at all gives an error outcome too.
    """
    for path in paths:
        yield from _outcomes(_readable(path, max_bytes, max_total), repair, max_bytes)


def _readable(path: str | Path, max_bytes: int, max_total: int) -> Iterator[tuple[str, Union[bytes, RecordError]]]:
    """The inputs under `path`; a file that cannot be read becomes an error entry (only reading is guarded,
    so a fault while parsing is never blamed on the file)."""
    entries = iter_inputs(path, max_bytes, max_total)
    while True:
        try:
            entry = next(entries)
        except StopIteration:
            return
        except OSError as exc:
            yield str(path), RecordError(str(path), f"cannot be read: {exc.strerror or exc}")
            return
        yield entry


def parse_file(path: str | Path, repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               max_total: int = DEFAULT_MAX_TOTAL) -> list[Record]:
    """Parse one input file, directory or zip archive into its records.

    A single file that fails raises its own error (OSError when it cannot be opened); a directory or
    archive with failed entries raises SomeInputsFailed, whose `records` still holds every record read.
    """
    return _collect(_outcomes(iter_inputs(path, max_bytes, max_total), repair, max_bytes), str(path))
