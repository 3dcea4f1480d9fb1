"""The library's front door: one call from an input to Records (the CLI is a thin layer over these)."""
from __future__ import annotations

import sys
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Union

from .align import align_data, split_records
from .document import Document
from .errors import (BinaryInput, EmptyInput, NotARecord, OtherRegistry, ReaderFailure, RecordError, Skipped,
                     SomeInputsFailed, TooLarge)
from .labels import Schema, default_schema
from .parts import Source
from .repair import Spellings, repair_data
from .repair.driver import values
from .sources import DEFAULT_MAX_BYTES, check_is_record, read_decoded, sha256, text_blocks
from .sources.archive import (DEFAULT_MAX_TOTAL, Found, is_regular, is_zip, iter_bytes, iter_inputs, open_regular,
                              read_found, reason, shown, walk_inputs)
from .sources.decode import bad_bytes_problem, decode_counted, only_head, wide_encoding
from .sources.detect import SNIFF_BYTES, text_format

if TYPE_CHECKING:
    from .model import Record  # pydantic is loaded only when a Record is asked for (validate=True)

Outcome = tuple[str, Union["Record", RecordError]]
# Told (input name, rows skipped by registry prefix) when an ICTRP export holds rows of other registries.
OnSkipped = Optional[Callable[[str, Counter], None]]


def _finish(records: Iterable[dict], repair: bool, corpus: Spellings | None = None,
            validate: bool = True) -> list[Record] | list[dict]:
    """Aligned records, repaired when asked (with the batch's spellings as evidence too, when given),
    validated once each (or left as plain data for the batch data path, `plain.record_json`)."""
    return list(_finished(records, repair, corpus, validate))


def _finished(records: Iterable[dict], repair: bool, corpus: Spellings | None, validate: bool) -> Iterator:
    """`_finish` one record at a time."""
    if validate:
        from .model import Record
    for data in records:
        if repair:
            if corpus is not None:
                corpus.observe(values(data))  # before its repair: no repair is evidence for another
            repair_data(data, corpus=corpus)
        yield Record.model_validate(data) if validate else data


def _finish_all(doc: Document, repair: bool, corpus: Spellings | None, validate: bool = True,
                lazy: bool = False) -> list[Record] | Iterator:
    """Every record of a document: a text file may hold several one after another. The input's problems
    go to each; what the reader kept aside to the last (a page is one record; a text's cut-off tail
    follows its last record). `lazy`: the records one at a time, each aligned and repaired only when
    asked for, so a batch writing each as it comes never holds the plain data of 20,000 small records."""
    parts = [doc.blocks] if doc.source.format == "html" else split_records(doc.blocks)  # a page is one
    parts.reverse()  # popped in page order: each record's blocks are freed once it is aligned
    source, problems, unpaired = doc.source, doc.problems, doc.unpaired  # not `doc`, which holds every block

    def aligned() -> Iterator[dict]:
        while parts:
            data = align_data(Document(parts.pop(), source))
            data["problems"].extend(problems)
            if not parts:
                data["unpaired"].extend(unpaired)
            yield data

    return _finished(aligned(), repair, corpus, validate) if lazy else _finish(aligned(), repair, corpus, validate)


def parse_text(text: str, path: str | None = None, repair: bool = True, schema: Schema | None = None,
               corpus: Spellings | None = None) -> Record:
    """Parse the text of one record (already decoded): a text export, a saved page, an XML export or an
    ITMCTR data-API reply, told apart by content as `parse_bytes` does, with the same typed errors.

    >>> parse_text("  ")
    Traceback (most recent call last):
    bilingual_registry.errors.EmptyInput: <input>: the file is empty
    >>> parse_text("NCT05607225 A Study of Something\\nBrief Summary: ...")
    Traceback (most recent call last):
    bilingual_registry.errors.OtherRegistry: <input>: looks like a ClinicalTrials.gov record (NCT05607225), not a ChiCTR record
    """
    schema = schema or default_schema()
    if not text.strip():
        raise EmptyInput(path)
    fmt = text_format(text.lstrip("\ufeff"))
    if fmt in _STRUCTURED:
        records = _read_structured(fmt, text.encode("utf-8"), path, repair, corpus, None, text=text, schema=schema)
        if len(records) != 1:
            raise RecordError(path, f"the text holds {len(records)} records; parse_bytes returns them all")
        return records[0]
    unpaired, problems = [], []
    if fmt == "html":
        from .sources.html import read_html  # lxml, loaded for the first page
        blocks = read_html(text, schema, path, None, unpaired, problems)
    else:
        blocks, unpaired, problems = text_blocks(text, schema)
    try:
        check_is_record(blocks, lambda: text, path, schema)
    except OtherRegistry:
        raise
    except NotARecord:  # a snippet of a few fields (or of none) is welcome as text, not as a page
        if fmt == "html":
            raise
    data = align_data(Document(blocks=blocks, source=Source(path=path, format=fmt)), schema)
    data["problems"].extend(problems)
    data["unpaired"].extend(unpaired)
    return _finish([data], repair, corpus)[0]


_STRUCTURED = ("xml", "json", "ictrp-xml", "ictrp-csv")


def _structured(data: bytes) -> str | None:
    """'xml', 'json', 'ictrp-xml' or 'ictrp-csv' for an export whose records are built without the
    aligner, known from its start (a headerless ICTRP CSV's first row can be long)."""
    head = data[:SNIFF_BYTES]
    text = head.decode(wide_encoding(head) or "utf-8", "ignore")
    kind = text_format(text.lstrip("\ufeff"))
    return kind if kind in _STRUCTURED else None


def is_ictrp_export(path: str | Path) -> bool:
    """Whether a file (not a folder or archive) is an ICTRP export, from its first bytes. Only a regular
    file is opened: opening a FIFO blocks until someone writes to it."""
    try:
        if not is_regular(path):
            return False
        with open_regular(path) as fh:
            return _structured(fh.read(64 * 1024)) in ("ictrp-xml", "ictrp-csv")
    except OSError:  # a file that vanished, or one parse_many will report
        return False


def _parse_one(data: bytes, path: str | None, repair: bool, max_bytes: int,
               corpus: Spellings | None = None, on_skipped: OnSkipped = None, validate: bool = True,
               then: Callable | None = None) -> list:
    """The records of one input (`then` applied to each as soon as it is made, when given)."""
    try:
        if then is None:
            return _read_one(data, path, repair, max_bytes, corpus, on_skipped, validate)
        return [then(r) for r in _read_one(data, path, repair, max_bytes, corpus, on_skipped, validate, lazy=True)]
    except TimeoutError:  # a pattern's time limit, hit on pathological text
        raise RecordError(path, "the text defeats the parser's patterns (time limit reached); is it a record?") from None


def _read_one(data: bytes, path: str | None, repair: bool, max_bytes: int, corpus: Spellings | None,
              on_skipped: OnSkipped = None, validate: bool = True, lazy: bool = False) -> list[Record] | Iterator:
    """One file's records: its bytes decoded and its format sniffed once, then read by the format's reader."""
    if len(data) > max_bytes:
        raise TooLarge(path, f"the file is {len(data):,} bytes, over the {max_bytes:,}-byte limit a record")
    try:
        text, encoding, bad = decode_counted(data, path, whole=False)
    except RecordError:  # lxml and the ICTRP reader decode bytes of their own (an XML export's declared code page)
        kind = _structured(data)
        if kind:
            return _read_structured(kind, data, path, repair, corpus, on_skipped, validate=validate)
        raise
    fmt = text_format(text.lstrip("\ufeff"))
    if fmt in _STRUCTURED:
        whole = data.decode("utf-8") if only_head(data, encoding, bad) else text
        return _read_structured(fmt, data, path, repair, corpus, on_skipped, validate=validate,
                                decoded=(whole, encoding, bad))
    if text.startswith("\ufeff"):  # a second byte-order mark: a page reader takes it for text, as it always has
        fmt = text_format(text)
    return _finish_all(read_decoded(data, text, encoding, bad, fmt, path), repair, corpus, validate, lazy)


def _read_structured(kind: str, data: bytes, path: str | None, repair: bool, corpus: Spellings | None,
                     on_skipped: OnSkipped, text: str | None = None, schema: Schema | None = None,
                     validate: bool = True, decoded: tuple[str, str, int] | None = None) -> list[Record]:
    """The records of an export built without the aligner: ICTRP, XML, `bireg parse` JSON, ITMCTR API JSON.
    `text`: the input already decoded (parse_text); `decoded`: `decode_counted(data)` already done.
    Each reader is loaded on first use (lxml is not cheap)."""
    if kind in ("ictrp-xml", "ictrp-csv"):
        return _read_ictrp(kind, data, path, repair, corpus, on_skipped, validate, decoded)
    if kind == "xml":  # read into Records by lxml, then finished (repaired) as every other record is
        from .sources.xml import read_xml
        records = read_xml(data, path, Source(path=path, format="xml", sha256=sha256(data)), schema)
        return _finish((r.model_dump() for r in records), repair, corpus, validate) if repair else records
    encoding, bad = "utf-8", 0
    if text is None:
        text, encoding, bad = decoded or decode_counted(data, path)
    from .sources.itmctr_api import read_itmctr_api
    from .sources.ours import read_our_json
    ours = read_our_json(text)
    if ours is not None:
        return ours
    source = Source(path=path, format="json", encoding=encoding, sha256=sha256(data))
    records = read_itmctr_api(text, path, source, schema)
    for record in records if bad else ():
        record["problems"].append(bad_bytes_problem(bad))
    return _finish(records, repair, corpus, validate)


def _read_ictrp(kind: str, data: bytes, path: str | None, repair: bool, corpus: Spellings | None,
                on_skipped: OnSkipped, validate: bool = True, decoded: tuple[str, str, int] | None = None) -> list[Record]:
    """The ChiCTR/ITMCTR rows of an ICTRP export, repaired like any record; rows of other registries
    are told to `on_skipped`, never failures (an export with none of ours is NotARecord)."""
    from .sources.ictrp import read_csv, read_xml_export
    if kind == "ictrp-xml":
        export = read_xml_export(data, path, Source(path=path, format=kind, sha256=sha256(data)))
    else:
        text, encoding, bad = decoded or decode_counted(data, path)
        if bad or not encoding.startswith("utf"):  # not Unicode: ICTRP's own code page, not a Chinese one
            text, encoding = data.decode("cp1252", "replace"), "cp1252"
        export = read_csv(text, path, Source(path=path, format=kind, encoding=encoding, sha256=sha256(data)))
    if export.skipped and on_skipped is not None:
        on_skipped(path or "<input>", export.skipped)
    if not export.records:
        others = ", ".join(f"{n} {p}" for p, n in export.skipped.most_common())
        raise NotARecord(path, f"the ICTRP export holds no ChiCTR/ITMCTR trial ({others or 'no rows'})")
    return _finish(export.records, repair, corpus, validate)


def _collect(outcomes: Iterable[Outcome], path: str) -> list[Record]:
    """Records of one input; its error when it was one file that failed, SomeInputsFailed when entries failed
    (entries skipped as no records are left out)."""
    outcomes = [o for o in outcomes if not isinstance(o[1], Skipped)]
    records = [r for _, r in outcomes if not isinstance(r, RecordError)]
    failures = [(name, r) for name, r in outcomes if isinstance(r, RecordError)]
    if failures and len(outcomes) == 1:
        raise failures[0][1]
    if failures:
        raise SomeInputsFailed(path, records, failures)
    return records


def _outcomes(entries: Iterable[tuple[str, Union[bytes, RecordError]]], repair: bool, max_bytes: int,
              corpus: Spellings | None = None, on_skipped: OnSkipped = None, validate: bool = True,
              then: Callable | None = None) -> Iterator[Outcome]:
    for name, data in entries:
        if isinstance(data, RecordError):
            yield name, data
            continue
        try:
            records = _parse_one(data, name, repair, max_bytes, corpus, on_skipped, validate, then)
        except RecordError as exc:
            yield name, exc
            continue
        except Exception as exc:  # noqa: BLE001 - a reader's bug fails this input only, never the batch
            yield name, ReaderFailure(name, f"{ReaderFailure.reason}: {type(exc).__name__}: {exc}")
            continue
        for record in records:
            yield name, record


def _skippable(error: RecordError) -> bool:
    """No record of ours at all (a README, a TSV, an image, another registry's record), as opposed to a
    record that is damaged, hostile, too large or unreadable, or a path that is no regular file."""
    return isinstance(error, (NotARecord, BinaryInput)) and "not a regular file" not in error.detail


def _input_rule(outcomes: Iterable[Outcome], named: str) -> Iterator[Outcome]:
    """The one input rule. The input the caller named fails on its own; a file met inside a folder or archive
    that holds no record of ours is Skipped; a folder or archive in which no record is found is an error."""
    found = skipped = 0
    for name, result in outcomes:
        if isinstance(result, RecordError) and name != named and _skippable(result):
            skipped += 1
            yield name, Skipped(name, result)
            continue
        found += 1
        yield name, result
    if not found:
        why = f"{skipped} file(s) skipped, none of them a record" if skipped else "it is empty"
        yield named, NotARecord(named, f"no record found ({why})")


def parse_bytes(data: bytes, path: str | None = None, repair: bool = True,
                max_bytes: int = DEFAULT_MAX_BYTES, corpus: Spellings | None = None,
                on_skipped: OnSkipped = None, validate: bool = True) -> list[Record]:
    """Parse the bytes of one input (a page, a text export, an XML export or a zip of them).
    `validate=False` gives each record the aligner builds as plain data, for `plain.dump`.

    Raises a RecordError subclass naming `path` on bad input; for a zip whose entries partly failed,
    SomeInputsFailed carries both the records read and the failures. An ICTRP export's rows of other
    registries are skipped; `on_skipped(name, counts)` is told how many of each.
    """
    if not is_zip(data):
        return _parse_one(data, path, repair, max_bytes, corpus, on_skipped, validate)
    named = path or "<input>"
    entries = iter_bytes(data, named, max_bytes)
    return _collect(_input_rule(_outcomes(entries, repair, max_bytes, corpus, on_skipped, validate), named), named)


def parse_many(paths: Iterable[str | Path], repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               max_total: int = DEFAULT_MAX_TOTAL, corpus: Spellings | None = None,
               on_skipped: OnSkipped = None, jobs: int = 1, validate: bool = True,
               then: Callable | None = None) -> Iterator[Outcome]:
    """(name, Record) for every record and (name, RecordError) for every input that failed, in order.

    Files, directories, zip archives and `-` (standard input) are all accepted; one failure never hides
    the other records. A path that cannot be opened at all gives an error outcome too. Inside a folder or
    an archive, a file that holds no record of ours gives (name, Skipped); a folder or archive with no
    record in it gives (path, NotARecord). With a `corpus` (`Spellings()`), the spellings of the records
    read so far are evidence for repairing the next ones. Rows of other registries in an ICTRP export are
    no failures: `on_skipped(name, counts)` is told of them.

    For batch runs: `jobs` parses the inputs in that many processes forked after loading (`pool.ordered_map`:
    the outcomes come in the same order as with one; a corpus makes each record evidence for the next, so it
    keeps one); `validate=False` gives each record as plain data (see `plain.record_json`); `then` is applied
    to every record where it is parsed, so only its result (say, JSON bytes) crosses the pipe.
    """
    if corpus is not None or jobs == 1:
        for path in paths:
            named = STDIN if str(path) == "-" else shown(path)
            outcomes = _outcomes(_readable(path, max_bytes, max_total), repair, max_bytes, corpus, on_skipped,
                                 validate, then)
            yield from _input_rule(outcomes, named)
        return

    def entries() -> Iterator[tuple[int, Union[None, tuple, Found]]]:  # (n, None) opens the n-th path, even an empty one
        for n, path in enumerate(paths):
            yield n, None
            yield from ((n, entry) for entry in (_readable(path, max_bytes, max_total) if str(path) == "-"
                                                  else walk_inputs(path)))

    def parse(item: tuple[int, Union[None, tuple, Found]]) -> tuple[int, list[Outcome]]:
        n, entry = item  # a file found is read here, in the worker: only its name crossed the pipe
        if entry is None:
            return n, []
        if isinstance(entry, Found):
            entry = _readable(entry.path, max_bytes, max_total) if entry.top else read_found(entry, max_bytes, max_total)
        else:
            entry = [entry]
        return n, list(_outcomes(entry, repair, max_bytes, None, on_skipped, validate, then))

    from .pool import ordered_map  # multiprocessing, loaded only for a pool
    paths = list(paths)
    # 16 files a task: each task costs the parent about 0.4 M instructions (callgrind), 0.05 M a file at 8 files
    # a task, a fifth of all the parent spends on a file (0.26 M); 32 saves little more and leaves one worker
    # idle longer while the other ends the last task
    for n, done in groupby(ordered_map(parse, entries(), jobs, chunk=16), key=lambda r: r[0]):
        named = STDIN if str(paths[n]) == "-" else shown(paths[n])
        yield from _input_rule((o for _, found in done for o in found), named)


STDIN = "<stdin>"


def _readable(path: str | Path, max_bytes: int, max_total: int) -> Iterator[tuple[str, Union[bytes, RecordError]]]:
    """The inputs under `path`; a file that cannot be read becomes an error entry (only reading is guarded,
    so a fault while parsing is never blamed on the file)."""
    if str(path) == "-":
        yield from iter_bytes(sys.stdin.buffer.read(max_total + 1), STDIN, max_bytes, max_total)
        return
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
    outcomes = _outcomes(iter_inputs(path, max_bytes, max_total), repair, max_bytes, corpus, on_skipped)
    return _collect(_input_rule(outcomes, shown(path)), shown(path))
