"""The `bireg` command: a thin layer over the library; the only module that prints.

Exit codes: 0 all inputs parsed, 1 some inputs failed (the others are still written), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .api import parse_file
from .errors import RecordError
from .model import json_schema


def _write(out_path: str | None, chunks: list[str]) -> None:
    if out_path:
        Path(out_path).write_text("".join(chunks), encoding="utf-8")
    else:
        sys.stdout.write("".join(chunks))


def cmd_parse(args: argparse.Namespace) -> int:
    failed = 0
    chunks: list[str] = []
    records = []
    for path in args.files:
        try:
            records.extend(parse_file(path, repair=not args.no_repair))
        except RecordError as exc:
            failed += 1
            print(f"bireg: error: {exc}", file=sys.stderr)
        except OSError as exc:
            failed += 1
            print(f"bireg: error: {path}: {exc.strerror or exc}", file=sys.stderr)
    for r in records:
        data = r.model_dump(mode="json")
        if args.format == "jsonl":
            chunks.append(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            chunks.append(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
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
    p.add_argument("files", nargs="+", metavar="FILE", help="record files (text export)")
    p.add_argument("--format", choices=("json", "jsonl"), default="json",
                   help="json: indented objects; jsonl: one object a line (default: json)")
    p.add_argument("--no-repair", action="store_true", help="give the raw alignment, with no character repairs")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("schema", help="print the JSON Schema of a record")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=cmd_schema)

    from .repair.cli import add_commands as add_repair_commands
    add_repair_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
