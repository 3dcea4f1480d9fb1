"""The library's front door: one call from an input to Records (the CLI is a thin layer over these)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from .align import align_data, records_data
from .document import Document
from .errors import NotARecord, RecordError, SomeInputsFailed, TooLarge
from .labels import Schema, default_schema
from .model import Record, Source
from .repair import Spellings, repair_data
from .repair.driver import values
from .sources import DEFAULT_MAX_BYTES, read_bytes, sha256
from .sources.archive import DEFAULT_MAX_TOTAL, is_zip, iter_bytes, iter_inputs, reason, shown
from .sources.decode import bad_bytes_problem, decode_counted, wide_encoding
from .sources.detect import SNIFF_BYTES, text_format
from .sources.ictrp import read_csv, read_xml_export
from .sources.itmctr_api import read_itmctr_api
from .sources.text import read_text
from .sources.xml import read_xml

Outcome = tuple[str, Union[Record, RecordError]]
# Told (input name, rows skipped by registry prefix) when an ICTRP export holds rows of other registries.
OnSkipped = Optional[Callable[[str, Counter], None]]


def _finish(records: list[dict], repair: bool, corpus: Spellings | None = None) -> list[Record]:
    """Aligned records, repaired when asked (with the batch's spellings as evidence too, when given),
    validated once each."""
    if repair:
        for data in records:
            if corpus is not None:
                corpus.observe(values(data))  # before its repair: no repair is evidence for another
            repair_data(data, corpus=corpus)
    return [Record.model_validate(data) for data in records]


def _finish_all(doc: Document, repair: bool, corpus: Spellings | None) -> list[Record]:
    """Every record of a document: a text file may hold several one after another."""
    records = [align_data(doc)] if doc.source.format == "html" else records_data(doc)  # a page is one
    for data in records:
        data["problems"].extend(doc.problems)
        data["unpaired"].extend(doc.unpaired)
    return _finish(records, repair, corpus)


def parse_text(text: str, path: str | None = None, repair: bool = True, schema: Schema | None = None,
               corpus: Spellings | None = None) -> Record:
    """Parse the text of one record export (already decoded)."""
    schema = schema or default_schema()
    doc = Document(blocks=read_text(text, schema), source=Source(path=path, format="text"))
    return _finish([align_data(doc)], repair, corpus)[0]


_STRUCTURED = ("xml", "json", "ictrp-xml", "ictrp-csv")


def _structured(data: bytes) -> str | None:
    """'xml', 'json', 'ictrp-xml' or 'ictrp-csv' for an export whose records are built without the
    aligner, known from its start (a headerless ICTRP CSV's first row can be long)."""
    head = data[:SNIFF_BYTES]
    text = head.decode(wide_encoding(head) or "utf-8", "ignore")
    kind = text_format(text.lstrip("\ufeff"))
    return kind if kind in _STRUCTURED else None


def is_ictrp_export(path: str | Path) -> bool:
    """Whether a file (not a folder or archive) is an ICTRP export, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            return _structured(fh.read(64 * 1024)) in ("ictrp-xml", "ictrp-csv")
    except OSError:  # a folder, or a file parse_many will report
        return False


def _parse_one(data: bytes, path: str | None, repair: bool, max_bytes: int,
               corpus: Spellings | None = None, on_skipped: OnSkipped = None) -> list[Record]:
    try:
        return _read_one(data, path, repair, max_bytes, corpus, on_skipped)
    except TimeoutError:  # a pattern's time limit, hit on pathological text
        raise RecordError(path, "the text defeats the parser's patterns (time limit reached); is it a record?") from None


def _read_one(data: bytes, path: str | None, repair: bool, max_bytes: int, corpus: Spellings | None,
              on_skipped: OnSkipped = None) -> list[Record]:
    if len(data) > max_bytes:
        raise TooLarge(path, f"the file is {len(data):,} bytes, over the {max_bytes:,}-byte limit a record")
    kind = _structured(data)
    if kind in ("ictrp-xml", "ictrp-csv"):
        return _read_ictrp(kind, data, path, repair, corpus, on_skipped)
    if kind == "xml":
        return read_xml(data, path, Source(path=path, format="xml", sha256=sha256(data)))
    if kind == "json":
        text, encoding, bad = decode_counted(data, path)
        source = Source(path=path, format="json", encoding=encoding, sha256=sha256(data))
        records = read_itmctr_api(text, path, source)
        for record in records if bad else ():
            record["problems"].append(bad_bytes_problem(bad))
        return _finish(records, repair, corpus)
    return _finish_all(read_bytes(data, path), repair, corpus)


def _read_ictrp(kind: str, data: bytes, path: str | None, repair: bool, corpus: Spellings | None,
                on_skipped: OnSkipped) -> list[Record]:
    """The ChiCTR/ITMCTR rows of an ICTRP export, repaired like any record; rows of other registries
    are told to `on_skipped`, never failures (an export with none of ours is NotARecord)."""
    if kind == "ictrp-xml":
        export = read_xml_export(data, path, Source(path=path, format=kind, sha256=sha256(data)))
    else:
        text, encoding, bad = decode_counted(data, path)
        if not encoding.startswith("utf"):  # not Unicode: ICTRP's own code page, not a Chinese one
            text, encoding, bad = data.decode("cp1252", "replace"), "cp1252", 0
        export = read_csv(text, path, Source(path=path, format=kind, encoding=encoding, sha256=sha256(data)))
        if bad:
            export.records = [r.model_copy(update={"problems": [*r.problems, bad_bytes_problem(bad)]})
                              for r in export.records]
    if export.skipped and on_skipped is not None:
        on_skipped(path or "<input>", export.skipped)
    if not export.records:
        others = ", ".join(f"{n} {p}" for p, n in export.skipped.most_common())
        raise NotARecord(path, f"the ICTRP export holds no ChiCTR/ITMCTR trial ({others or 'no rows'})")
    return _finish([r.model_dump() for r in export.records], repair, corpus)


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


def _outcomes(entries: Iterable[tuple[str, Union[bytes, RecordError]]], repair: bool, max_bytes: int,
              corpus: Spellings | None = None, on_skipped: OnSkipped = None) -> Iterator[Outcome]:
    for name, data in entries:
        if isinstance(data, RecordError):
            yield name, data
            continue
        try:
            for record in _parse_one(data, name, repair, max_bytes, corpus, on_skipped):
                yield name, record
        except RecordError as exc:
            yield name, exc


def parse_bytes(data: bytes, path: str | None = None, repair: bool = True,
                max_bytes: int = DEFAULT_MAX_BYTES, corpus: Spellings | None = None,
                on_skipped: OnSkipped = None) -> list[Record]:
    """Parse the bytes of one input (a page, a text export, an XML export or a zip of them).

    Raises a RecordError subclass naming `path` on bad input; for a zip whose entries partly failed,
    SomeInputsFailed carries both the records read and the failures. An ICTRP export's rows of other
    registries are skipped; `on_skipped(name, counts)` is told how many of each.
    """
    if not is_zip(data):
        return _parse_one(data, path, repair, max_bytes, corpus, on_skipped)
    entries = iter_bytes(data, path or "<input>", max_bytes)
    return _collect(_outcomes(entries, repair, max_bytes, corpus, on_skipped), path or "<input>")


def parse_many(paths: Iterable[str | Path], repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               max_total: int = DEFAULT_MAX_TOTAL, corpus: Spellings | None = None,
               on_skipped: OnSkipped = None) -> Iterator[Outcome]:
    """(name, Record) for every record and (name, RecordError) for every input that failed, in order.

    Files, directories and zip archives are all accepted; one failure never hides the other records.
    A path that cannot be opened at all gives an error outcome too. With a `corpus` (`Spellings()`),
    the spellings of the records read so far are evidence for repairing the next ones. Rows of other
    registries in an ICTRP export are no failures: `on_skipped(name, counts)` is told of them.
    """
    for path in paths:
        yield from _outcomes(_readable(path, max_bytes, max_total), repair, max_bytes, corpus, on_skipped)


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
            yield shown(path), RecordError(shown(path), f"cannot be read: {reason(exc)}")
            return
        yield entry


def parse_file(path: str | Path, repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               max_total: int = DEFAULT_MAX_TOTAL, corpus: Spellings | None = None,
               on_skipped: OnSkipped = None) -> list[Record]:
    """Parse one input file, directory or zip archive into its records.

    A single file that fails raises its own error (OSError when it cannot be opened); a directory or
    archive with failed entries raises SomeInputsFailed, whose `records` still holds every record read.
    """
    return _collect(_outcomes(iter_inputs(path, max_bytes, max_total), repair, max_bytes, corpus, on_skipped),
                    shown(path))
