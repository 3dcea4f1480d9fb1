"""`bireg convert`: records in, one English dataset out (Parquet, JSONL, CSV, XLSX), on all cores, resumable.

Exit codes: 0 every input converted, 1 some inputs or records were rejected (the others are written) or the
run stopped on a write error or a dead worker (the finished parts are kept for `--resume`), 2 a usage error
(a bad OUT, a resume with other options, more rows than an XLSX sheet holds).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..convert.runner import PART_ROWS, ConvertError, convert
from ..convert.writers import FORMATS, SheetFull
from . import options
from .output import UsageError, check_output
from .reading import say

_SUFFIX_FORMAT = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}


def _files(path: Path):
    """The files under `path`, as the readers walk it, for the bar's total (a zip counts once)."""
    if not path.is_dir():
        yield path
        return
    for _, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (n for n in names if not n.startswith("."))


def _progress(args: argparse.Namespace):
    """A bar on a terminal (inputs done of all, records, records/s, ETA), none when quiet or not a terminal."""
    if args.quiet or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    total = None if "-" in args.files else sum(1 for p in args.files for _ in _files(Path(p)))
    bar = Progress(TextColumn("convert"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("inputs, {task.fields[records]:,} records, {task.fields[rate]:,.0f} records/s, ETA"),
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("convert", total=total, records=0, rate=0.0)
    start = time.monotonic()
    bar.start()

    def update(entries: int, records: int) -> None:
        bar.update(task, completed=entries, records=records, rate=records / max(time.monotonic() - start, 1e-6))

    return update, bar


def cmd_convert(args: argparse.Namespace) -> int:
    if args.output == "-":
        raise UsageError("-o takes a file: a dataset is written whole, then renamed into place")
    check_output(args.output, args.files)
    fmt = args.format or _SUFFIX_FORMAT.get(Path(args.output).suffix.lower(), "parquet")
    update, bar = _progress(args)
    try:
        summary = convert(args.files, args.output, fmt=fmt, style=args.style, with_chinese=args.with_chinese,
                          jobs=args.jobs, resume=args.resume, rejects=args.rejects, progress=update,
                          repair=not args.no_repair, max_bytes=args.max_size, part_rows=args.part_rows,
                          ictrp=args.ictrp)
    except (ConvertError, SheetFull) as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:
        say("note", "interrupted; the same command with --resume finishes the job")
        raise
    except (OSError, BrokenProcessPool) as exc:  # a full disk, a worker killed (out of memory?)
        why = "a worker process died" if isinstance(exc, BrokenProcessPool) else f"cannot write: {exc}"
        say("error", f"{why}; the parts finished so far are kept: the same command with --resume goes on")
        return 1
    finally:
        if bar is not None:
            bar.stop()
    print(summary.line(), file=sys.stderr)
    return 1 if summary.rejected else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("convert", help="convert records into one English dataset (Parquet, JSONL, CSV, XLSX)",
                       description="Convert every record of the inputs into one English table, WHO ICTRP columns "
                                   "first, each cell's source in a provenance map. Resumable; runs on all cores.")
    options.inputs(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the dataset file, written whole or not at all")
    p.add_argument("--format", choices=FORMATS, help="the output's format (default: from OUT's suffix, else parquet)")
    p.add_argument("--style", choices=("tidy", "ictrp"), default="tidy",
                   help="tidy: typed cells (ISO dates, numbers, lists); ictrp: cells as WHO ICTRP writes them "
                        "(default: tidy)")
    p.add_argument("--with-chinese", action="store_true", help="add each column's Chinese value beside it")
    p.add_argument("--ictrp", action="append", default=[], metavar="EXPORT",
                   help="a WHO ICTRP export (CSV or XML): each page is joined with its trial's row first (the page "
                        "gives the Chinese and any text the export lost, the export what the page lacks); to "
                        "convert the export's own rows, give it as an input (may be repeated)")
    options.jobs(p)
    p.add_argument("--resume", action="store_true",
                   help="finish a run that was stopped: inputs already converted (known by content) are not redone")
    p.add_argument("--rejects", metavar="FILE",
                   help="where failed inputs and records are listed, as CSV (default: OUT.rejects.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-repair", action="store_true", help="convert the raw alignment, with no character repairs")
    p.add_argument("--part-rows", type=options.count, default=PART_ROWS, metavar="N",
                   help=f"rows per finished part kept for --resume: what a kill can cost to redo (default: {PART_ROWS:,})")
    p.set_defaults(func=cmd_convert)
