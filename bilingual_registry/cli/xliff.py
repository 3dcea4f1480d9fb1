"""`bireg xliff export|apply`: records to XLIFF 2.0 for a CAT tool, and a corrected XLIFF back into records.

`export` writes one unit per paired field (review findings as notes, unless --no-review); `apply` reads the
reviewer's XLIFF and prints the records with the English they changed, each change an `xliff-edit` repair;
every unit refused (its source no longer the record's Chinese, an unknown id, a translate="no" field changed)
is named on stderr and is a problem of its record, and makes the exit status 1.
"""
from __future__ import annotations

import argparse
import sys

from ..errors import RecordError, XliffError
from ..review import review
from ..review.xliff import apply_xliff, export_xliff
from ..sources.archive import iter_inputs
from . import options, output
from .reading import say
from .review import read_batch, review_config, review_options


def cmd_export(args: argparse.Namespace) -> int:
    config = None if args.no_review else review_config(args)
    tally = output.Tally()
    out = output.Output(args.output, args.files, binary=True)
    batch = read_batch(args, tally)
    findings = [] if args.no_review else review(batch, config=config)
    with out:
        out.write(export_xliff(batch, findings))
        if tally.records:
            out.keep()
    units = sum(1 for r in batch for f in r.fields if f.zh.value or f.en.value)
    print(f"{len(batch)} record{'s' if len(batch) != 1 else ''}, {units} units, {len(findings)} findings as notes "
          f"written to {out.name}" + (f"; {tally.failed} inputs failed" if tally.failed else ""), file=sys.stderr)
    return 1 if tally.failed or not tally.records else 0


def xliff_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of one XLIFF file within the size limit, read as every input is; a typed error naming it."""
    try:
        entries = list(iter_inputs(path, max_bytes))
    except OSError as exc:
        raise RecordError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(entries) != 1:
        raise XliffError(path, f"holds {len(entries)} files; give the one corrected XLIFF file")
    [(_, data)] = entries
    if isinstance(data, RecordError):
        raise data
    return data


def cmd_apply(args: argparse.Namespace) -> int:
    try:
        data = xliff_bytes(args.xliff, args.max_size)
    except RecordError as exc:
        say("error", str(exc))
        return 1
    tally = output.Tally()
    out = output.Output(args.output, [args.xliff, *args.files])
    batch = read_batch(args, tally)
    try:
        applied = apply_xliff(data, batch, args.xliff)
    except RecordError as exc:
        say("error", str(exc))
        return 1
    for problem in applied.refused:
        say("error", problem.message)
    for number in applied.unmatched:
        say("warning", f"{args.xliff}: no record {number} among the inputs; its units were not applied")
    with out:
        out.writelines(output.json_texts(applied.records, args.format))
        if tally.records:
            out.keep()
    edited = len({(e.field, e.group, e.index) for e in applied.edits})
    print(f"{len(applied.edits)} edit{'s' if len(applied.edits) != 1 else ''} from {args.xliff} applied "
          f"({edited} field{'s' if edited != 1 else ''}), {len(applied.refused)} unit"
          f"{'s' if len(applied.refused) != 1 else ''} refused; {len(batch)} record{'s' if len(batch) != 1 else ''} "
          f"written to {out.name}",
          file=sys.stderr)
    return 1 if tally.failed or not tally.records or applied.refused else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    xp = sub.add_parser("xliff", help="records to XLIFF 2.0 for CAT tools, and corrected XLIFF back")
    xsub = xp.add_subparsers(dest="xliff_command", required=True, metavar="ACTION")

    p = xsub.add_parser("export", help="write records as XLIFF 2.0: Chinese source, English target, findings as notes")
    options.inputs(p)
    p.add_argument("-o", "--output", metavar="OUT.xlf",
                   help="write to OUT.xlf (whole or not at all) instead of standard output; - is standard output")
    p.add_argument("--no-review", action="store_true", help="leave the review's findings out of the notes")
    review_options(p)
    options.repair(p)
    p.set_defaults(func=cmd_export)

    p = xsub.add_parser("apply", help="apply a corrected XLIFF: the English a reviewer changed, as explained edits")
    p.add_argument("xliff", metavar="XLIFF", help="the corrected XLIFF 2.0 file")
    options.inputs(p)
    options.output(p, ("json", "jsonl"), helps="json: one indented object, an array when there are several "
                                                "records; jsonl: one object a line")
    options.repair(p)
    p.set_defaults(func=cmd_apply)
