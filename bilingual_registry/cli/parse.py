"""`bireg parse`: records in, JSON out (one object, an array of several, or one object a line)."""
from __future__ import annotations

import argparse
from typing import Iterable

from ..merge import merge_all
from ..model import Record
from ..repair import Spellings
from . import options, output
from .reading import finish, records, say


def cmd_parse(args: argparse.Namespace) -> int:
    tally = output.Tally()
    with output.Output(args.output, [*args.files, *args.xml]) as out:
        found: Iterable[Record] = records(args, tally, corpus=Spellings() if args.corpus_evidence else None)
        if args.xml:  # merging needs every page and export at hand
            pages = list(found)
            merged, unmatched = merge_all(pages, list(records(args, tally, paths=args.xml)))
            for e in unmatched:
                say("warning", f"{e.source.path}: no page given for {e.registration_number}; "
                               "its record is written on its own")
            found = merged + unmatched
        out.writelines(output.json_texts(found, args.format))
        if tally.records:
            out.keep()
    return finish(args, tally, out.name)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="parse records and print one JSON object per record")
    options.inputs(p)
    p.add_argument("--xml", action="append", default=[], metavar="EXPORT",
                   help="the page's XML export: merged into the record of the same number; every field where "
                        "their English differs is reported as a problem (may be repeated)")
    options.output(p, ("json", "jsonl"), helps="json: one indented object, an array when there are several "
                                                "records; jsonl: one object a line")
    options.repair(p)
    p.set_defaults(func=cmd_parse)
