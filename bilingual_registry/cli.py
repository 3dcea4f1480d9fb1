"""The `bireg` command: a thin layer over the library; the only module that prints.

Exit codes: 0 all inputs parsed, 1 some inputs failed (the others are still written), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .api import is_ictrp_export, parse_many
from .errors import RecordError
from .merge import join_ictrp, merge_all
from .model import Record, json_schema
from .repair import Spellings
from .sources import DEFAULT_MAX_BYTES
from .throughput import batch_collection


def _write(out_path: str | None, chunks: Iterable[str]) -> None:
    """Standard output, or OUT written whole or not at all: a partial file is never left as OUT."""
    if not out_path:
        sys.stdout.writelines(chunks)
        return
    target = Path(out_path)
    part = target.with_name(target.name + ".part")
    try:
        with open(part, "w", encoding="utf-8") as fh:
            fh.writelines(chunks)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def _json_texts(records: Iterable, fmt: str) -> Iterator[str]:
    """The records as they come: one object a line (jsonl), or one JSON text, the object of a single
    record or an array of several, written as the array's members arrive so a batch is never held whole."""
    first = None
    count = 0
    for r in records:  # pydantic's own serializer: the same JSON as `json.dumps`, several times faster
        if fmt == "jsonl":
            yield r.model_dump_json() + "\n"
            continue
        text = r.model_dump_json(indent=2)
        count += 1
        if count == 1:
            first = text
            continue
        yield ("[\n" + textwrap.indent(first, "  ") + ",\n" if count == 2 else ",\n") + textwrap.indent(text, "  ")
    if count == 1:
        yield first + "\n"
    elif count > 1:
        yield "\n]\n"


_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def _size(text: str) -> int:
    """A size such as 20MB, 500k or 1048576 (bytes)."""
    t = text.strip().lower()
    digits = t.rstrip("kmgb")
    try:
        return int(float(digits) * _UNITS[t[len(digits):]])
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 20MB, 500k or a number of bytes)") from None


def _note_skipped(name: str, counts) -> None:
    """Rows of other registries in an ICTRP export: no failure, but the user should know how many."""
    total = sum(counts.values())
    which = ", ".join(f"{prefix} {n}" for prefix, n in counts.most_common())
    print(f"bireg: note: {name}: {total} row{'s' * (total != 1)} of other registries skipped ({which})",
          file=sys.stderr)


def _records(paths: list[str], args: argparse.Namespace, failed: list[str],
             corpus: Spellings | None = None) -> Iterator[Record]:
    """Every record of the inputs as it is read; each failed input is reported on stderr and noted."""
    for name, result in parse_many(paths, repair=not args.no_repair, max_bytes=args.max_size, corpus=corpus,
                                   on_skipped=_note_skipped):
        if isinstance(result, RecordError):
            failed.append(name)
            print(f"bireg: error: {result}", file=sys.stderr)
        else:
            yield result


def cmd_parse(args: argparse.Namespace) -> int:
    failed: list[str] = []
    records: Iterable[Record] = _records(args.files, args, failed, Spellings() if args.corpus_evidence else None)
    if args.xml:  # merging needs every page and export at hand
        pages = list(records)
        merged, unmatched = merge_all(pages, list(_records(args.xml, args, failed)))
        for e in unmatched:
            print(f"bireg: warning: {e.source.path}: no page given for {e.registration_number}; "
                  "its record is written on its own", file=sys.stderr)
        records = merged + unmatched
    exports = [is_ictrp_export(f) for f in args.files]
    if args.ictrp or any(exports) and not all(exports):  # joining needs every page and row at hand
        joined, unmatched = join_ictrp(list(records), list(_records(args.ictrp, args, failed)))
        if unmatched and any(not r.source.format.startswith("ictrp") for r in joined):
            print(f"bireg: note: {len(unmatched)} ICTRP rows matched no page given; each is written as its own "
                  "record", file=sys.stderr)
        records = joined + unmatched
    _write(args.output, _json_texts(records, args.format))
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    _write(args.output, [json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bireg",
        description="Read ChiCTR/ITMCTR registry records into aligned bilingual data.",
    )
    parser.add_argument("--version", action="version", version=f"bireg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse records and print one JSON object per record")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="records: text exports, saved detail pages (HTML), XML exports, or folders and .zip archives of them")
    p.add_argument("--xml", action="append", default=[], metavar="EXPORT",
                   help="the page's XML export: merged into the record of the same number; every field where "
                        "their English differs is reported as a problem (may be repeated)")
    p.add_argument("--ictrp", action="append", default=[], metavar="EXPORT",
                   help="a WHO ICTRP export (CSV or XML): each page is joined with its trial's row (the page gives "
                        "the Chinese and any text the export lost; every field where their English differs is "
                        "reported); rows no page matches are written as records of their own (may be repeated)")
    p.add_argument("--max-size", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                   help="refuse any record larger than SIZE, e.g. 500k or 20MB (default: 20MB)")
    p.add_argument("--format", choices=("json", "jsonl"), default="json",
                   help="json: one indented object, an array when there are several records; jsonl: one object a line (default: json)")
    p.add_argument("--no-repair", action="store_true", help="give the raw alignment, with no character repairs")
    p.add_argument("--corpus-evidence", action="store_true",
                   help="let the spellings of the records read so far decide lost characters in the next ones")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("schema", help="print the JSON Schema of a record")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=cmd_schema)

    from .repair.cli import add_commands as add_repair_commands
    add_repair_commands(sub)
    from .glossary_cli import add_commands as add_glossary_commands
    add_glossary_commands(sub)
    from .dataset_cli import add_commands as add_dataset_commands
    add_dataset_commands(sub, size_type=_size)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with batch_collection():
        return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
