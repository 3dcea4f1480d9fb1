"""`bireg convert` and `bireg synth`: thin layers over convert.runner and synth.corpus.

Exit codes: 0 every input converted, 1 some inputs or records were rejected (the others are written),
2 a usage error or a run that cannot start (bad output path, a resume with other options).
"""
from __future__ import annotations

import argparse
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .convert.runner import PART_ROWS
from .sources import DEFAULT_MAX_BYTES

_SUFFIX_FORMAT = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}


def _progress(args: argparse.Namespace):
    """A bar on a terminal (inputs, records, rate, ETA), None when quiet or not a terminal."""
    if args.quiet or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    total = None if "-" in args.inputs else sum(1 for p in args.inputs for _ in _files(Path(p)))
    bar = tqdm(total=total, unit=" inputs", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)
    seen = [0]

    def update(entries: int, records: int) -> None:
        bar.update(entries - seen[0])
        seen[0] = entries
        bar.set_postfix(records=f"{records:,}", refresh=False)

    return update, bar


def _files(path: Path):
    """The files under `path` (as the readers walk it), for the bar's total; a zip counts once."""
    if not path.is_dir():
        yield path
        return
    import os

    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield from (n for n in names if not n.startswith("."))


def cmd_convert(args: argparse.Namespace) -> int:
    from .convert.runner import ConvertError, convert
    from .convert.writers import SheetFull

    fmt = args.format or _SUFFIX_FORMAT.get(Path(args.output).suffix.lower(), "parquet")
    update, bar = _progress(args)
    try:
        summary = convert(args.inputs, args.output, fmt=fmt, style=args.style, with_chinese=args.with_chinese,
                          jobs=args.jobs, resume=args.resume, rejects=args.rejects, progress=update,
                          repair=not args.no_repair, max_bytes=args.max_size, part_rows=args.part_rows)
    except (ConvertError, SheetFull) as exc:
        print(f"bireg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"bireg: interrupted; `bireg convert ... -o {args.output} --resume` finishes the job", file=sys.stderr)
        return 130
    except (OSError, BrokenProcessPool) as exc:  # a full disk, a worker killed (out of memory?)
        why = "a worker process died" if isinstance(exc, BrokenProcessPool) else f"cannot write: {exc}"
        print(f"bireg: error: {why}; the parts finished so far are kept: run again with --resume", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    print(summary.line(), file=sys.stderr)
    return 1 if summary.rejected else 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth.corpus import write_corpus
    from .synth.layouts import LAYOUTS

    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown or not layouts:
        print(f"bireg: error: unknown layout(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(LAYOUTS)}",
              file=sys.stderr)
        return 2
    damaged = write_corpus(args.n, args.output, seed=args.seed, layouts=layouts, damaged=args.damaged, jobs=args.jobs)
    print(f"synth: {args.n:,} records ({', '.join(layouts)}), {damaged:,} damaged -> {args.output}", file=sys.stderr)
    return 0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {text!r} (a number from 0 to 1, e.g. 0.1)") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share is from 0 to 1, not {text}")
    return value


def _jobs(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def add_commands(sub: argparse._SubParsersAction, size_type=int) -> None:
    """Add `bireg convert` and `bireg synth` to the main parser's subcommands."""
    p = sub.add_parser("convert", help="convert records into one English dataset (Parquet, JSONL, CSV, XLSX)",
                       description="Convert every record of INPUTS into one English table, WHO ICTRP columns "
                                   "first, each cell's source in a provenance map. Resumable; runs on all cores.")
    p.add_argument("inputs", nargs="+", metavar="INPUTS",
                   help="records: files, folders, .zip archives, or - for standard input")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the dataset file to write")
    p.add_argument("--format", choices=("parquet", "jsonl", "csv", "xlsx"),
                   help="the output's format (default: from OUT's suffix, else parquet)")
    p.add_argument("--style", choices=("tidy", "ictrp"), default="tidy",
                   help="tidy: typed cells (ISO dates, numbers, lists); ictrp: cells as WHO ICTRP writes them "
                        "(default: tidy)")
    p.add_argument("--with-chinese", action="store_true", help="add each column's Chinese value beside it")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true",
                   help="finish a run that was stopped: inputs already converted (by content) are not redone")
    p.add_argument("--rejects", metavar="FILE",
                   help="where failed inputs and records are listed, as CSV (default: OUT.rejects.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-repair", action="store_true", help="convert the raw alignment, with no character repairs")
    p.add_argument("--max-size", type=size_type, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                   help="refuse any record larger than SIZE, e.g. 500k or 20MB (default: 20MB)")
    p.add_argument("--part-rows", type=_jobs, default=PART_ROWS, metavar="N",
                   help=f"rows per finished part kept for --resume: what a kill can cost to redo (default: {PART_ROWS:,})")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("synth", help="write N realistic synthetic records in the registry's layouts",
                       description="Write N synthetic records (text exports, detail pages, ITMCTR API JSON), "
                                   "values drawn from the glossary, a share of them damaged; the same for a seed.")
    p.add_argument("n", type=int, metavar="N", help="how many records")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write them in")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--layouts", default="text,html,itmctr",
                   help="comma-separated layouts taking turns: text, html, itmctr (default: all three)")
    p.add_argument("--damaged", type=_share, default=0.1, metavar="SHARE",
                   help="share of records with planted damage (default: 0.1)")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N", help="worker processes (default: all cores)")
    p.set_defaults(func=cmd_synth)
