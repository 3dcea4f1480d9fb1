"""`bireg parse`: records in, JSON out (one object, an array of several, or one object a line)."""
from __future__ import annotations

import argparse
from functools import partial
from typing import Iterable

from ..api import is_ictrp_export
from ..plain import dump
from ..repair import Spellings
from . import options, output
from .reading import finish, records, say


def cmd_parse(args: argparse.Namespace) -> int:
    tally = output.Tally()
    exports = [is_ictrp_export(f) for f in args.files]
    joining = bool(args.ictrp or any(exports) and not all(exports))
    with output.Output(args.output, [*args.files, *args.xml, *args.ictrp], binary=True) as out:
        # the batch data path: each record written to JSON where it is parsed (in -j workers), unless it is
        # to be merged or joined with others first, which needs them all at hand as Records
        then = None if args.xml or joining else partial(dump, indent=args.format == "json")
        found: Iterable = records(args, tally, corpus=Spellings() if args.corpus_evidence else None, then=then)
        if args.xml or joining:
            from ..merge import join_ictrp, merge_all  # Records (pydantic), loaded only to merge or join
        if args.xml:  # merging needs every page and export at hand
            pages = list(found)
            merged, unmatched = merge_all(pages, list(records(args, tally, paths=args.xml)))
            for e in unmatched:
                say("warning", f"{e.source.path}: no page given for {e.registration_number}; "
                               "its record is written on its own")
            found = merged + unmatched
        if joining:  # joining needs every page and row at hand
            joined, rows = join_ictrp(list(found), list(records(args, tally, paths=args.ictrp)))
            if rows and any(not r.source.format.startswith("ictrp") for r in joined):
                say("note", f"{len(rows)} ICTRP rows matched no page given; each is written as its own record")
            found = joined + rows
        out.writelines(output.json_chunks(found, args.format))
        if tally.records:
            out.keep()
    return finish(args, tally, out.name)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="parse records and print one JSON object per record")
    options.inputs(p)
    p.add_argument("--xml", action="append", default=[], metavar="EXPORT",
                   help="the page's XML export: merged into the record of the same number; every field where "
                        "their English differs is reported as a problem (may be repeated)")
    p.add_argument("--ictrp", action="append", default=[], metavar="EXPORT",
                   help="a WHO ICTRP export (CSV or XML): each page is joined with its trial's row (the page gives "
                        "the Chinese and any text the export lost; every field where their English differs is "
                        "reported); rows no page matches are written as records of their own (may be repeated)")
    options.output(p, ("json", "jsonl"), helps="json: one indented object, an array when there are several "
                                                "records; jsonl: one object a line")
    options.repair(p)
    options.jobs(p)
    p.add_argument("--validate", action="store_true",
                   help="validate every record against the models before writing it (the same JSON, slower)")
    p.set_defaults(func=cmd_parse)
