"""The batch convert: inputs → records → English rows → one dataset file, on all cores, resumable.

Inputs are read here (files, folders, `.zip`, `-` for standard input) and cut into chunks of entries;
worker processes (`pool.ordered_map`, forked once the glossary is loaded) parse each entry, turn its
records into rows and encode them for the output format; this process appends the chunks, in input
order, to part files beside the output and, at the end, assembles the parts into the output. So `-j 2`
writes the same bytes as `-j 1`.

A kill at any moment leaves no file that looks complete: the output appears only by a rename once it is
whole, and parts are renamed into `.OUT.parts/` only when whole, then noted in `.OUT.state` (`state.py`;
hidden names, so a folder given as input never reads them back).
`--resume` skips the inputs already noted (known by content hash), converts the rest and assembles all
parts, so each record is written exactly once. Every input or record that fails becomes a reject
(path, entry, code, message) and the others go on.
"""
from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..api import STDIN, _readable, _skippable, parse_bytes
from ..errors import NotARecord, ReaderFailure, RecordError
from ..pool import ordered_map
from ..sources import DEFAULT_MAX_BYTES, sha256
from ..sources.archive import DEFAULT_MAX_TOTAL, shown
from . import writers
from .columns import PROVENANCE  # the rows' map of English column → where its value came from
from .state import Part, State

CHUNK_ENTRIES = 32  # inputs a worker takes at a time: enough to pay for the trip, few enough to keep order cheap
PART_ROWS = 20_000  # rows per part file: what a kill can cost to redo
REJECT_COLUMNS = ("path", "entry", "code", "message")
STATE_VERSION = 1


class ConvertError(ValueError):
    """A run that cannot start or finish as asked (a bad output path, a resume with other options)."""


@dataclass
class Summary:
    """What a run did, over the whole job (a resumed run counts what the killed one finished too)."""

    output: str
    inputs: int = 0
    records: int = 0
    rows: int = 0
    rejected: int = 0
    skipped: int = 0  # files in folders or archives that hold no record of ours, ICTRP rows of other registries
    resumed: int = 0  # inputs converted by the run this one resumed
    provenance: Counter = field(default_factory=Counter)
    rejects_path: str | None = None

    def line(self) -> str:
        """The one-line summary for standard error."""
        cells = ", ".join(f"{k} {v:,}" for k, v in sorted(self.provenance.items(), key=lambda kv: -kv[1]))
        text = (f"convert: {self.records:,} records in, {self.rows:,} out, {self.rejected:,} rejected, "
                f"{self.skipped:,} skipped (not ChiCTR/ITMCTR records)")
        if self.resumed:
            text += f", {self.resumed:,} inputs converted before"
        text += f" -> {self.output}"
        if cells:
            text += f"; cells by source: {cells}"
        if self.rejects_path:
            text += f"; rejects in {self.rejects_path}"
        return text


def error_code(exc: BaseException) -> str:
    """A reject's code: the error's class in kebab case.

    >>> from bilingual_registry.errors import NotARecord, TooLarge
    >>> error_code(NotARecord("x")), error_code(TooLarge("x")), error_code(KeyError("k"))
    ('not-a-record', 'too-large', 'key-error')
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(exc).__name__).lower()


def _reject(path: str, entry: str, exc: BaseException) -> dict:
    message = exc.detail if isinstance(exc, RecordError) else f"{type(exc).__name__}: {exc}"
    return {"path": path, "entry": entry, "code": error_code(exc), "message": message}


@dataclass
class Chunk:
    """Entries for one worker: (path, entry, bytes) to convert, or (path, entry, reject) already refused."""

    items: list
    keys: list[str]  # each entry's content hash (its name when it could not be read)


@dataclass
class Converted:
    """A worker's answer for one chunk."""

    payload: object
    rows: int
    records: int
    rejects: list[dict]
    provenance: Counter
    columns: list[str]
    skipped: Counter  # per input named on the command line, its entries that hold no record of ours


class Job:
    """One convert: its row function and encoding, shared by the workers through the fork.

    `plain`: the row function takes the aligner's plain data (`to_english` does), so no Record is built:
    validating the models costs about a tenth of converting a record."""

    def __init__(self, fmt: str, row: Callable, schema=None, repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
                 plain: bool = False):
        self.fmt, self.row, self.schema, self.repair, self.max_bytes = fmt, row, schema, repair, max_bytes
        self.plain = plain

    def __call__(self, chunk: Chunk) -> Converted:
        """The chunk's rows, under the one input rule (`api.parse_many`): a file met inside a folder or an
        archive that holds no record of ours is skipped, not rejected; so are an ICTRP export's rows of
        other registries."""
        rows, rejects, records, skipped = [], [], 0, Counter()

        def other_rows(name: str, counts: Counter) -> None:
            skipped["rows of other registries"] += sum(counts.values())

        for path, entry, data in chunk.items:
            if isinstance(data, dict):
                rejects.append(data)
                continue
            try:
                found = parse_bytes(data, entry, repair=self.repair, max_bytes=self.max_bytes, on_skipped=other_rows,
                                    validate=not self.plain)
            except RecordError as exc:
                if entry != path and _skippable(exc):
                    skipped[path] += 1
                else:
                    rejects.append(_reject(path, entry, exc))
                continue
            except Exception as exc:  # noqa: BLE001 - a reader's bug fails this input only, never the batch
                rejects.append(_reject(path, entry, ReaderFailure(entry, f"{ReaderFailure.reason}: "
                                                                         f"{type(exc).__name__}: {exc}")))
                continue
            for record in found:
                records += 1
                try:
                    rows.append(self.row(record))
                except Exception as exc:
                    # plain data, or a Record from a reader that builds them (XML export, our JSON)
                    number = record.get("registration_number") if isinstance(record, dict) else record.registration_number
                    rejects.append(_reject(path, f"{entry}#{number or records}", exc))
        tally: Counter = Counter()
        for r in rows:
            tally.update((r.get(PROVENANCE) or {}).values())
        columns = list(rows[0]) if rows else []
        return Converted(writers.encode(self.fmt, rows, self.schema), len(rows), records, rejects, tally, columns,
                         skipped)


def _entries(paths: Sequence[str], max_bytes: int, max_total: int,
             counts: Counter) -> Iterator[tuple[str, str, bytes | dict]]:
    """(input, entry, bytes) for every entry of the inputs, (input, entry, reject) for one that cannot be read
    (`api.parse_many` reads them the same way); `counts` tallies each input's entries."""
    for path in paths:
        named = STDIN if path == "-" else shown(path)
        for entry, data in _readable(path, max_bytes, max_total):
            counts[named] += 1
            yield named, entry, (_reject(named, entry, data) if isinstance(data, RecordError) else data)
        if not counts[named]:
            yield named, named, _reject(named, named, NotARecord(named, "no record found (it is empty)"))


def _key(entry: str, data) -> str:
    return sha256(data) if isinstance(data, bytes) else f"unread:{entry}:{data['code']}"


def _chunks(entries: Iterable, done: Counter, resumed: list[int]) -> Iterator[Chunk]:
    """Entries not converted before, cut into chunks; `resumed[0]` counts the others."""
    items, keys = [], []
    for path, entry, data in entries:
        key = _key(entry, data)
        if done[key] > 0:
            done[key] -= 1
            resumed[0] += 1
            continue
        items.append((path, entry, data))
        keys.append(key)
        if len(items) >= CHUNK_ENTRIES:
            yield Chunk(items, keys)
            items, keys = [], []
    if items:
        yield Chunk(items, keys)


def _check_output(out: Path, inputs: Sequence[str]) -> None:
    if out.is_symlink():
        raise ConvertError(f"{out}: the output is a symbolic link; refusing to write through it")
    if out.is_dir():
        raise ConvertError(f"{out}: the output is a folder; give a file name")
    if not out.parent.is_dir():
        raise ConvertError(f"{out.parent}: the output's folder does not exist")
    for p in inputs:
        if p == "-" or not Path(p).exists():
            continue
        if out.exists() and os.path.samefile(p, out):
            raise ConvertError(f"{out}: the output is one of the inputs; refusing to write over it")
        if Path(p).is_dir() and Path(p).resolve() in out.resolve().parents:
            raise ConvertError(f"{out}: the output would sit inside an input folder ({p}) and be read as input")


def _exclusive(path: Path):
    """A new file at `path`, never one that exists nor through a link (O_EXCL)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "wb")


def _write_atomic(target: Path, write: Callable) -> None:
    """`write(fh)` into a temporary file beside `target`, renamed over it only once whole."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with _exclusive(tmp) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class _Parts:
    """The part being filled and the state that notes the finished ones."""

    def __init__(self, fmt: str, folder: Path, state: State, schema, part_rows: int):
        self.fmt, self.folder, self.state, self.schema, self.part_rows = fmt, folder, state, schema, part_rows
        self.current: Part | None = None

    def add(self, chunk: Chunk, done: Converted) -> None:
        if self.current is not None and not self.file.takes(done.payload):
            self.finish()
        if self.current is None:
            name = f"{len(self.state.parts) + 1:06d}{writers.PART_SUFFIX[self.fmt]}"
            self.current = Part(name=name, inputs=[])
            self.tmp = self.folder / f".{name}.tmp"
            self.tmp.unlink(missing_ok=True)
            self.fh = _exclusive(self.tmp)
            self.file = writers.PartFile(self.fmt, self.fh, self.schema)
        self.file.add(done.payload)
        p = self.current
        p.inputs += chunk.keys
        p.rows += done.rows
        p.records += done.records
        p.skipped += sum(done.skipped.values())
        p.rejects += done.rejects
        p.columns = p.columns or done.columns
        for k, v in done.provenance.items():
            p.provenance[k] = p.provenance.get(k, 0) + v
        if p.rows >= self.part_rows:
            self.finish()

    def finish(self) -> None:
        if self.current is None:
            return
        self.file.close()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.folder / self.current.name)
        self.state.add(self.current)
        self.current = None


def default_row(style: str = "tidy", with_chinese: bool = False) -> tuple[Callable, object]:
    """The project's `to_english` for these options, and the Arrow schema of its rows."""
    from functools import partial

    from . import arrow_schema, to_english

    return (partial(to_english, style=style, with_chinese=with_chinese),
            arrow_schema(style=style, with_chinese=with_chinese))


def joined_rows(row: Callable, exports: Sequence[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Callable:
    """`row` of each page joined first with its trial's row of the WHO ICTRP `exports` (`--ictrp`): the
    page's fields in both languages, the export's English where the page has none, every difference a
    problem (`merge.join_ictrp_row`). Records that are export rows themselves, or have no row, are as given."""
    from ..api import parse_many
    from ..merge import is_ictrp, join_ictrp_row

    by_number = {}
    for name, found in parse_many(exports, max_bytes=max_bytes):
        if isinstance(found, RecordError):
            raise ConvertError(f"--ictrp {found}")
        if is_ictrp(found):
            by_number[found.registration_number] = found
    if not by_number:
        raise ConvertError(f"--ictrp {', '.join(exports)}: no ChiCTR/ITMCTR row of a WHO ICTRP export found")

    def joined(record):
        match = None if is_ictrp(record) else by_number.get(record.registration_number)
        return row(record if match is None else join_ictrp_row(record, match))

    return joined


def _warm(job: "Job") -> None:
    """Load what converting needs before the workers fork, so each worker does not load it again on its
    first chunk (about 0.4 s and 350 modules each: lxml, the readers, pyarrow's conversion, which imports
    pandas): the template record in every layout we generate (text export, detail page, ITMCTR API JSON),
    through parse, the row function and the encoder."""
    from ..synth import template_path
    from ..synth.layouts import LAYOUTS, write

    try:
        [record] = parse_bytes(template_path().read_bytes(), "template", repair=False)
        items = [(f"template.{x}", f"template.{x}", write(record, x).encode("utf-8")) for x in LAYOUTS]
        job(Chunk(items, []))
    except Exception:  # warming is a speed-up only; a real failure shows on the real inputs
        pass


def convert(inputs: Sequence[str], out: str | Path, fmt: str = "parquet", style: str = "tidy",
            with_chinese: bool = False, jobs: int | None = None, resume: bool = False,
            rejects: str | Path | None = None, row: Callable | None = None, schema=None,
            progress: Callable[[int, int], None] | None = None, repair: bool = True,
            max_bytes: int = DEFAULT_MAX_BYTES, max_total: int = DEFAULT_MAX_TOTAL, part_rows: int = PART_ROWS,
            ictrp: Sequence[str] = ()) -> Summary:
    """Convert every record of `inputs` into one `fmt` file at `out`; see the module's docstring.

    `row` turns a Record into a row (default: `to_english` with `style`, `with_chinese`); `schema` is the
    Arrow schema of its rows for Parquet (when None, inferred from each chunk's rows and unified at the end). `progress(entries,
    records)` is called after each chunk. Rejects go to `rejects` (default `OUT.rejects.csv`), written
    only when there are some. `part_rows`: rows per part file, what a kill can cost to redo. `ictrp`: WHO
    ICTRP exports whose rows are joined with the pages of the same trials first (`joined_rows`).
    """
    if fmt not in writers.FORMATS:
        raise ConvertError(f"unknown format {fmt!r}; one of {', '.join(writers.FORMATS)}")
    out = Path(out)
    _check_output(out, inputs)
    plain = row is None  # the default row, `to_english`, reads the aligner's plain data
    if row is None:
        row, schema = default_row(style, with_chinese)
    state_path, folder = out.with_name(f".{out.name}.state"), out.with_name(f".{out.name}.parts")
    options = {"version": STATE_VERSION, "format": fmt, "style": style, "with_chinese": with_chinese}
    if not repair:  # rows of raw alignments must not be mixed with repaired ones
        options["repair"] = False
    if ictrp:  # rows joined with exports must not be mixed with rows joined with others, or none
        options["ictrp"] = [sha256(Path(p).read_bytes()) for p in ictrp]
        row, plain = joined_rows(row, ictrp, max_bytes), False  # the join reads Records
    state = State.load(state_path) if resume else None
    if state is not None and state.options != options:
        raise ConvertError(f"{state_path}: the run to resume had other options ({state.options}); "
                           "run again without --resume to start over")
    if state is None:
        shutil.rmtree(folder, ignore_errors=True)
        state = State.start(state_path, options)
    else:
        state.save()  # drops a torn last line before new parts are noted after it
    folder.mkdir(exist_ok=True)
    kept = {p.name for p in state.parts}
    for stray in folder.iterdir():  # parts of a killed run that never reached the state
        if stray.name not in kept:
            stray.unlink()

    summary = Summary(output=str(out))
    parts = _Parts(fmt, folder, state, schema, part_rows)
    resumed = [0]
    job = Job(fmt, row, schema, repair, max_bytes, plain)
    _warm(job)
    chunks: dict[int, Chunk] = {}
    seen: Counter = Counter()  # entries of each input, read by this run
    unwanted: Counter = Counter()  # of which no record of ours

    def tagged() -> Iterator[Chunk]:  # the pool returns answers in order; keep each chunk's keys for its part
        entries = _entries(inputs, max_bytes, max_total, seen)
        for i, chunk in enumerate(_chunks(entries, state.done(), resumed)):
            chunks[i] = chunk
            yield Chunk(chunk.items, [])

    entries = records = 0
    rows = sum(p.rows for p in state.parts)
    for i, done in enumerate(ordered_map(job, tagged(), jobs)):
        chunk = chunks.pop(i)
        unwanted.update(done.skipped)
        rows += done.rows
        if fmt == "xlsx" and rows >= writers.XLSX_MAX_ROWS:
            raise writers.SheetFull(rows)  # before hours of work that could never be written
        parts.add(chunk, done)
        entries += len(chunk.keys)
        records += done.records
        if progress:
            progress(entries, records)
    parts.finish()

    columns = next((p.columns for p in state.parts if p.columns), [])
    _write_atomic(out, lambda fh: writers.assemble(fmt, [folder / p.name for p in state.parts], fh, columns, schema))
    all_rejects = [r for p in state.parts for r in p.rejects]
    for named, n in seen.items():  # a folder or archive holding no record of ours fails, as in parse_many
        if n and unwanted[named] == n:
            all_rejects.append(_reject(named, named, NotARecord(
                named, f"no record found ({n} file(s) skipped, none of them a record)")))
    for p in state.parts:
        summary.inputs += len(p.inputs)
        summary.records += p.records
        summary.rows += p.rows
        summary.skipped += p.skipped
        summary.provenance.update(p.provenance)
    summary.rejected = len(all_rejects)
    summary.resumed = resumed[0]
    target = Path(rejects) if rejects else out.with_name(out.name + ".rejects.csv")
    if all_rejects:
        _write_atomic(target, lambda fh: fh.write(writers.encode("csv", [dict(zip(REJECT_COLUMNS, REJECT_COLUMNS))]
                                                                 + all_rejects)))
        summary.rejects_path = str(target)
    elif not rejects:
        target.unlink(missing_ok=True)  # an earlier run's rejects would tell of inputs that are fine now
    state_path.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    return summary
