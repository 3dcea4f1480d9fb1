"""`bireg repairs`: what the repair stage would change, one row per repair, with its evidence."""
from __future__ import annotations

import argparse
import json

from ..repair.corpus import Spellings
from ..repair.driver import repair_record, values
from . import options, output
from .reading import finish, records

COLUMNS = ("file", "field", "side", "at", "before", "after", "rule", "evidence", "confidence", "applied")


def _where(r) -> str:
    return r.field if r.group is None else f"{r.group}[{r.index}].{r.field}"


def cmd_repairs(args: argparse.Namespace) -> int:
    tally = output.Tally()
    out = output.Output(args.output, args.files)
    raws = records(args, tally, repair=False)
    corpus = Spellings() if args.corpus_evidence else None
    if corpus is not None:  # every record is evidence for every other: all are counted first
        raws = list(raws)
        for raw in raws:
            corpus.observe(values(raw))
    with out:
        table = None if args.format == "jsonl" else output.TableWriter(out, args.format)
        if table:
            table.row(COLUMNS)
        for raw in raws:
            path = raw.source.path
            fixed = repair_record(raw, threshold=args.threshold, corpus=corpus)
            for r in fixed.repairs[len(raw.repairs):]:
                row = dict(file=path, field=_where(r), side=r.side, at=r.at, before=r.before, after=r.after,
                           rule=r.rule, evidence=r.evidence, confidence=r.confidence, applied=r.applied)
                if table is None:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:  # before and after quoted as JSON strings, so spaces and lost characters show
                    row["before"], row["after"] = (json.dumps(x, ensure_ascii=False) for x in (r.before, r.after))
                    table.row([row[c] for c in COLUMNS])
            for p in fixed.problems[len(raw.problems):]:
                if table is None:
                    out.write(json.dumps({"file": path, "problem": p.model_dump()}, ensure_ascii=False) + "\n")
                else:
                    where = _where(p) if p.field else ""
                    table.row([path, where, p.side or "", "" if p.at is None else p.at, "", "", p.code, p.message, "",
                               "flagged"])
        if tally.records:
            out.keep()
    return finish(args, tally, out.name)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repairs", help="list the character repairs a parse would make, with their evidence")
    options.inputs(p)
    options.repair(p, no_repair=False, threshold=True)
    options.output(p, ("tsv", "csv", "jsonl"),
                   helps="tsv: a header then one line per repair; csv: the same as CSV; jsonl: one JSON object a line")
    p.set_defaults(func=cmd_repairs)
