"""Dataset rows → Parquet, JSONL, CSV or XLSX, with memory flat however many rows.

A run is written in two steps so that a killed run can be finished (see `runner.py`): workers encode
their rows into a chunk `payload` (`encode`), the writer appends payloads to part files (`PartFile`),
and `assemble` turns the finished parts into the one output file. JSONL and CSV parts are already the
output's bytes (assembly concatenates them; CSV gets its header); Parquet parts are Arrow IPC streams,
assembled into row groups of a fixed size, so the output is the same bytes however the parts were cut;
XLSX parts are pickled rows, written by xlsxwriter in constant-memory mode.

Cell conventions: Parquet keeps the row's types (dates as dates, sizes as integers, groups as lists of
structs, the provenance map as a struct); JSONL writes them as JSON (dates in ISO 8601); CSV and XLSX
write lists and maps as JSON text (XLSX dates as dates).

>>> cell_text(["China", "Japan"]), cell_text({"Phase": "vocab"}), cell_text(None), cell_text(30)
('["China","Japan"]', '{"Phase":"vocab"}', '', '30')
>>> import datetime
>>> cell_text(datetime.date(2024, 5, 1)), cell_text(True)
('2024-05-01', 'true')
"""
from __future__ import annotations

import csv
import datetime
import io
import pickle
import shutil
from pathlib import Path
from typing import BinaryIO, Iterable, Sequence

import orjson

FORMATS = ("parquet", "jsonl", "csv", "xlsx")
PART_SUFFIX = {"parquet": ".arrows", "jsonl": ".jsonl", "csv": ".csv", "xlsx": ".pickle"}
ROW_GROUP_ROWS = 2048  # rows of long texts: a group of ~2,000 keeps the writer's memory to tens of MB
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, the header row included
XLSX_MAX_CELL = 32_767  # characters in one cell


class SheetFull(ValueError):
    """More rows than one XLSX worksheet holds."""

    def __init__(self, rows: int):
        super().__init__(f"{rows:,} rows do not fit one XLSX sheet (at most {XLSX_MAX_ROWS - 1:,} rows under its "
                         "header); write Parquet, CSV or JSONL instead (--format)")


def cell_text(value) -> str:
    """A cell as CSV holds it: lists and maps as JSON text, dates in ISO 8601, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return orjson.dumps(value).decode("utf-8")


def _csv_lines(rows: Sequence[dict]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 (and ICTRP): a cell holding a bare CR is quoted too
    for row in rows:
        out.writerow([cell_text(v) for v in row.values()])
    return buf.getvalue().encode("utf-8")


def _unify(schemas):
    """One schema for batches inferred apart: a column empty (null) in some takes the type of the others."""
    import pyarrow as pa

    return pa.unify_schemas(list(schemas), promote_options="permissive")


def encode(fmt: str, rows: Sequence[dict], schema=None):
    """A chunk's rows as the part files of `fmt` take them (done in the workers: it is most of a writer's work)."""
    if fmt == "jsonl":
        return b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in rows)
    if fmt == "csv":
        return _csv_lines(rows)
    if fmt == "parquet":
        import pyarrow as pa

        return pa.RecordBatch.from_pylist(list(rows), schema=schema) if rows else None
    return list(rows)


class PartFile:
    """One part of a run's output, appended chunk by chunk (the caller renames it into place when it is whole).

    A Parquet part is one Arrow stream, of one schema: the run's, else its first batch's; a batch that
    does not fit it (`takes`) goes to the next part.
    """

    def __init__(self, fmt: str, fh: BinaryIO, schema=None):
        self.fmt, self.fh, self.schema = fmt, fh, schema
        self.stream = None

    def takes(self, payload) -> bool:
        """Whether the payload fits this part (always, but for a Parquet batch of wider types)."""
        if self.fmt != "parquet" or payload is None or self.stream is None or payload.schema.equals(self.schema):
            return True
        import pyarrow as pa

        try:
            return _unify([self.schema, payload.schema]).equals(self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # types that do not mix: assembly names them
            return False

    def add(self, payload) -> None:
        if payload is None:
            return
        if self.fmt in ("jsonl", "csv"):
            self.fh.write(payload)
        elif self.fmt == "parquet":
            import pyarrow as pa

            if self.stream is None:
                self.schema = self.schema or payload.schema
                self.stream = pa.ipc.new_stream(self.fh, self.schema)
            self.stream.write_batch(payload if payload.schema.equals(self.schema) else payload.cast(self.schema))
        else:
            for row in payload:
                pickle.dump(row, self.fh, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _pickled_rows(path: Path) -> Iterable[dict]:
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def _arrow_batches(path: Path):
    """A part's batches, read as a stream (a memory map would hold every page read in the process's RSS)."""
    import pyarrow as pa

    with pa.OSFile(str(path)) as source:
        yield from pa.ipc.open_stream(source)


def _arrow_schema(path: Path):
    import pyarrow as pa

    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_stream(source).schema


def assemble(fmt: str, parts: Sequence[Path], fh: BinaryIO, columns: Sequence[str], schema=None) -> None:
    """Write the finished parts, in order, as one output file of `fmt`."""
    if fmt == "csv":
        fh.write(_csv_lines([dict(zip(columns, columns))]))
    if fmt in ("jsonl", "csv"):
        for p in parts:
            with open(p, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
    elif fmt == "parquet":
        _assemble_parquet(parts, fh, columns, schema)
    else:
        write_xlsx((row for p in parts for row in _pickled_rows(p)), fh, columns)


def _assemble_parquet(parts: Sequence[Path], fh: BinaryIO, columns: Sequence[str], schema) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = [p for p in parts if p.stat().st_size]  # a part with no rows has no stream
    if schema is None and parts:
        schema = _unify(_arrow_schema(p) for p in parts)
    schema = schema or pa.schema([pa.field(c, pa.string()) for c in columns])
    writer = pq.ParquetWriter(fh, schema)
    held: list = []
    count = 0

    def flush(final: bool) -> None:  # whole groups of ROW_GROUP_ROWS, wherever the parts were cut
        nonlocal held, count
        while count >= ROW_GROUP_ROWS or (final and count):
            table = pa.Table.from_batches(held)
            writer.write_table(table.slice(0, ROW_GROUP_ROWS), row_group_size=ROW_GROUP_ROWS)
            rest = table.slice(ROW_GROUP_ROWS)
            held, count = rest.to_batches(), rest.num_rows

    for p in parts:
        for batch in _arrow_batches(p):
            held.append(batch if batch.schema.equals(schema) else batch.cast(schema))
            count += batch.num_rows
            flush(False)
    flush(True)
    writer.close()


def write_xlsx(rows: Iterable[dict], fh: BinaryIO, columns: Sequence[str]) -> int:
    """Rows as one worksheet, streamed (xlsxwriter constant_memory); refused past the sheet's row limit.

    Text is always written as text: a cell starting with `=` is never a formula, nor a URL a link. A text
    longer than a cell holds (32,767 characters; no registry field comes near) is cut there.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(fh, {"constant_memory": True, "strings_to_numbers": False,
                                    "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": datetime.datetime(2000, 1, 1)})  # the same rows, the same bytes
    sheet = book.add_worksheet("records")
    bold, day, moment = (book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"}),
                         book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}))
    sheet.write_row(0, 0, list(columns), bold)
    n = 0
    for n, row in enumerate(rows, 1):
        if n >= XLSX_MAX_ROWS:
            raise SheetFull(n)
        for c, value in enumerate(row.values()):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(n, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(n, c, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(n, c, value.replace(tzinfo=None), moment)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(n, c, datetime.datetime(value.year, value.month, value.day), day)
            else:
                sheet.write_string(n, c, cell_text(value)[:XLSX_MAX_CELL])
    book.close()
    return n
