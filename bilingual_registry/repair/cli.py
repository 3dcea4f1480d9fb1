"""`bireg repairs FILE...`: what the repair stage would change, one line per repair."""
from __future__ import annotations

import argparse
import json
import sys

from ..api import parse_file, parse_many
from ..errors import RecordError
from ..model import Record
from .corpus import Spellings
from .driver import THRESHOLD, repair_record, values

COLUMNS = ("file", "field", "side", "at", "before", "after", "rule", "evidence", "confidence", "applied")


def _where(r) -> str:
    return r.field if r.group is None else f"{r.group}[{r.index}].{r.field}"


def cmd_repairs(args: argparse.Namespace) -> int:
    failed = 0
    out = sys.stdout
    if args.format == "tsv":
        out.write("\t".join(COLUMNS) + "\n")
    corpus = Spellings() if args.corpus_evidence else None
    if corpus is not None:  # every record is evidence for every other: a first pass counts them all
        for _, raw in parse_many(args.files, repair=False):
            if isinstance(raw, Record):
                corpus.observe(values(raw))
    for path in args.files:
        try:
            records = parse_file(path, repair=False)
        except (RecordError, OSError) as exc:
            failed += 1
            print(f"bireg: error: {exc}", file=sys.stderr)
            continue
        for raw in records:
            fixed = repair_record(raw, threshold=args.threshold, corpus=corpus)
            for r in fixed.repairs[len(raw.repairs):]:
                row = dict(file=str(path), field=_where(r), side=r.side, at=r.at, before=r.before, after=r.after,
                           rule=r.rule, evidence=r.evidence, confidence=r.confidence, applied=r.applied)
                if args.format == "jsonl":
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:
                    cells = [str(row[c]) for c in COLUMNS]
                    cells[4], cells[5] = json.dumps(r.before, ensure_ascii=False), json.dumps(r.after, ensure_ascii=False)
                    out.write("\t".join(cells) + "\n")
            for p in fixed.problems[len(raw.problems):]:
                if args.format == "jsonl":
                    out.write(json.dumps({"file": str(path), "problem": p.model_dump()}, ensure_ascii=False) + "\n")
                else:
                    where = _where(p) if p.field else ""
                    side, at = p.side or "", "" if p.at is None else p.at
                    out.write(f"{path}\t{where}\t{side}\t{at}\t\t\t{p.code}\t{p.message}\t\tflagged\n")
    return 1 if failed else 0


def add_commands(sub) -> None:
    """Add `bireg repairs` to the command's subparsers."""
    p = sub.add_parser("repairs", help="list the character repairs a parse would make, with their evidence")
    p.add_argument("files", nargs="+", metavar="FILE", help="record files")
    p.add_argument("--threshold", type=float, default=THRESHOLD,
                   help=f"apply repairs at or above this confidence (default: {THRESHOLD}); the others are listed as not applied")
    p.add_argument("--corpus-evidence", action="store_true",
                   help="let the spellings of all the records given decide lost characters in each of them")
    p.add_argument("--format", choices=("tsv", "jsonl"), default="tsv",
                   help="tsv: a header then one line per repair; jsonl: one JSON object a line (default: tsv)")
    p.set_defaults(func=cmd_repairs)
