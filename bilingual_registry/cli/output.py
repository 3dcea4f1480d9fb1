"""Where a command's data goes, and the one line on stderr that says what happened.

`Output` is the only writer: standard output for no `-o` or `-o -`, else OUT written whole or not at all.
The data goes to a fresh file in OUT's folder (created exclusively, so a planted link is never written
through), renamed over OUT only when the command says the output is worth keeping (at least one record
read), so a failed run leaves an existing OUT as it was. An OUT that is a folder, a link, a device or a
FIFO, or that names an input, is refused before anything is read.

Tables are written by the csv module (CSV quoted as RFC 4180 says, TSV with backslash escapes), so a
tab, a quote or a line break in a value never breaks a row; JSON records are written without re-indenting their strings.
"""
from __future__ import annotations

import csv
import io
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

STDOUT = "-"


class UsageError(Exception):
    """A bad command line (an option's value, an `-o` that cannot be written): exit 2 with one line."""


def check_output(target: str | None, inputs: Iterable[str] = ()) -> None:
    """Refuse an OUT that is no place for a regular file, or that is one of the inputs."""
    if not target or target == STDOUT:
        return
    path = Path(target)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise UsageError(f"{target} is a symbolic link; name the file itself (a link is never written through)")
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(f"{target} is a folder; -o takes a file name")
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{target} is not a regular file (a device or a FIFO); use '-o -' for standard output")
        for name in inputs:
            if name != STDOUT and os.path.exists(name) and os.path.samefile(name, path):
                raise UsageError(f"{target} is one of the inputs; it would be overwritten")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {target}: the folder {folder} is not writable")


class Output:
    """A text sink for one command's data: `with Output(args.output, inputs) as out: out.write(...)`.

    `out.keep()` marks the data worth replacing OUT with; without it the temporary file is discarded and
    an existing OUT stays as it was. Commands whose output is always whole (schema, export) pass keep=True.
    """

    def __init__(self, target: str | None, inputs: Iterable[str] = (), keep: bool = False, binary: bool = False):
        check_output(target, inputs)
        self.target = None if not target or target == STDOUT else target
        self.kept = keep
        self.binary = binary
        self._tmp: str | None = None
        self._fh = None

    @property
    def name(self) -> str:
        return self.target or "standard output"

    def __enter__(self) -> "Output":
        if self.target is None:
            self._fh = sys.stdout.buffer if self.binary else sys.stdout
            return self
        path = Path(self.target)
        try:  # mkstemp creates exclusively (O_EXCL): never through a link, never an existing file
            fd, self._tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as exc:
            raise UsageError(f"cannot write {self.target}: {exc.strerror}") from None
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        self._fh = os.fdopen(fd, "wb") if self.binary else open(fd, "w", encoding="utf-8", newline="")
        return self

    def write(self, text) -> None:
        self._fh.write(text)

    def writelines(self, chunks: Iterable) -> None:
        self._fh.writelines(chunks)

    def keep(self) -> None:
        self.kept = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.target is None:
            self._fh.flush()
            return
        try:
            self._fh.close()
            if exc_type is None and self.kept:
                os.replace(self._tmp, self.target)
        finally:
            if os.path.lexists(self._tmp):
                os.unlink(self._tmp)


def json_texts(records: Iterable, fmt: str) -> Iterator[str]:
    """`json_chunks` as text."""
    return (chunk.decode("utf-8") for chunk in json_chunks(records, fmt))


def json_chunks(records: Iterable, fmt: str) -> Iterator[bytes]:
    """The records as they come: one object a line (jsonl), or one JSON text, the object of a single
    record or an array of several, written as the array's members arrive so a batch is never held whole.
    A record is a `Record` or a `plain.Dumped` already written in `fmt` (indented for json).

    A member is indented by its lines, split at "\n" only: JSON strings hold no raw line break, while
    U+2028, U+2029 and U+0085 inside them are text and stay as they are.
    """
    first = None
    count = 0
    for r in records:
        if fmt == "jsonl":
            yield _json(r, False) + b"\n"
            continue
        text = _json(r, True)
        count += 1
        if count == 1:
            first = text
            continue
        yield (b"[\n" + _member(first) + b",\n" if count == 2 else b",\n") + _member(text)
    if count == 1:
        yield first + b"\n"
    elif count > 1:
        yield b"\n]\n"


def _json(record, indent: bool) -> bytes:
    """A record's JSON: pydantic's own serializer for a `Record`, the bytes already written for a `Dumped`."""
    if hasattr(record, "model_dump_json"):
        return record.model_dump_json(indent=2 if indent else None).encode("utf-8")
    return record.json


def _member(text: bytes) -> bytes:
    """An indented JSON text as a member of an array.

    >>> _member('{\\n  "a": "x\\u2028y"\\n}'.encode()) == '  {\\n    "a": "x\\u2028y"\\n  }'.encode()
    True
    """
    return b"  " + text.replace(b"\n", b"\n  ")


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(value) -> str:
    r"""A TSV cell: backslash, tab and line breaks escaped (`\t`, `\n`), so one row stays one line.

    >>> print(tsv_cell("a\tb\nc\\d"))
    a\tb\nc\\d
    """
    return str(value).translate(_TSV_ESCAPES)


class TableWriter:
    """Rows of a TSV or CSV table, through the csv module: CSV cells are quoted as RFC 4180 says, TSV
    cells escaped (the csv module then checks that no delimiter or line break is left)."""

    def __init__(self, out, fmt: str):
        self.tsv = fmt == "tsv"
        self.writer = (csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None, lineterminator="\n")
                       if self.tsv else csv.writer(out, lineterminator="\n"))

    def row(self, cells: Sequence) -> None:
        self.writer.writerow([tsv_cell(c) for c in cells] if self.tsv else ["" if c is None else c for c in cells])


def table_text(header: Sequence[str], rows: Iterable[Sequence], fmt: str = "tsv") -> str:
    r'''A whole table as text.

    >>> table_text(["a", "b"], [["x\ty", 'say "hi"'], ["2", "line\nbreak"]]).splitlines()
    ['a\tb', 'x\\ty\tsay "hi"', '2\tline\\nbreak']
    >>> print(table_text(["a", "b"], [["x,y", 'say "hi"']], "csv"), end="")
    a,b
    "x,y","say ""hi"""
    '''
    buf = io.StringIO()
    table = TableWriter(buf, fmt)
    for cells in (header, *rows):
        table.row(cells)
    return buf.getvalue()


@dataclass
class Tally:
    """What a run over inputs did, for the summary line on stderr."""

    records: int = 0
    files: int = 0
    skipped: int = 0
    cut: int = 0
    failed: int = 0
    entries: int = 0

    def summary(self, where: str) -> str:
        """One line, e.g. `12 records from 12 files written to out.jsonl; 2 files skipped (not records); 1 cut off`.

        >>> Tally(records=12, files=12, skipped=2, cut=1).summary("out.jsonl")
        '12 records from 12 files written to out.jsonl; 2 files skipped (not records); 1 cut off'
        >>> Tally(records=1, files=1, failed=2).summary("standard output")
        '1 record from 1 file written to standard output; 2 failed'
        >>> Tally(failed=1).summary("out.json")
        'no record found, out.json left as it was; 1 failed'
        """
        if self.records:
            line = f"{_n(self.records, 'record')} from {_n(self.files, 'file')} written to {where}"
        else:
            line = "no record found" + ("" if where == "standard output" else f", {where} left as it was")
        if self.skipped:
            line += f"; {_n(self.skipped, 'file')} skipped (not records)"
        if self.cut:
            line += f"; {self.cut} cut off"
        if self.failed:
            line += f"; {self.failed} failed"
        return line


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
