"""The `bireg` command: a thin layer over the library; the only module that prints.

Exit codes: 0 all inputs parsed, 1 some inputs failed (the others are still written), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .api import parse_many
from .errors import RecordError
from .merge import merge_all
from .model import json_schema
from .repair import Spellings
from .sources import DEFAULT_MAX_BYTES
from .throughput import batch_collection


def _write(out_path: str | None, chunks: list[str]) -> None:
    if out_path:
        Path(out_path).write_text("".join(chunks), encoding="utf-8")
    else:
        sys.stdout.write("".join(chunks))


_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def _size(text: str) -> int:
    """A size such as 20MB, 500k or 1048576 (bytes)."""
    t = text.strip().lower()
    digits = t.rstrip("kmgb")
    try:
        return int(float(digits) * _UNITS[t[len(digits):]])
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 20MB, 500k or a number of bytes)") from None


def _read_all(paths: list[str], args: argparse.Namespace, corpus: Spellings | None = None) -> tuple[list, int]:
    """Every record of the inputs; each failed input is reported on stderr and counted."""
    records, failed = [], 0
    for name, result in parse_many(paths, repair=not args.no_repair, max_bytes=args.max_size, corpus=corpus):
        if isinstance(result, RecordError):
            failed += 1
            print(f"bireg: error: {result}", file=sys.stderr)
        else:
            records.append(result)
    return records, failed


def cmd_parse(args: argparse.Namespace) -> int:
    chunks: list[str] = []
    records, failed = _read_all(args.files, args, Spellings() if args.corpus_evidence else None)
    if args.xml:
        exports, failed_xml = _read_all(args.xml, args)
        failed += failed_xml
        records, unmatched = merge_all(records, exports)
        for e in unmatched:
            print(f"bireg: warning: {e.source.path}: no page given for {e.registration_number}; "
                  "its record is written on its own", file=sys.stderr)
        records.extend(unmatched)
    dumped = [r.model_dump(mode="json") for r in records]
    if args.format == "jsonl":
        chunks = [json.dumps(d, ensure_ascii=False) + "\n" for d in dumped]
    elif dumped:  # one record: its object; several: an array of them, so the output stays one JSON text
        chunks = [json.dumps(dumped[0] if len(dumped) == 1 else dumped, ensure_ascii=False, indent=2) + "\n"]
    _write(args.output, chunks)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with batch_collection():
        return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
