"""`bireg repairs`: what the repair stage would change, one row per repair, with its evidence."""
from __future__ import annotations

import argparse
import json
from functools import partial
from typing import Iterable, NamedTuple, Optional

from ..repair.corpus import Spellings
from ..repair.driver import repair_record, values
from . import options, output
from .reading import finish, records

COLUMNS = ("file", "field", "side", "at", "before", "after", "rule", "evidence", "confidence", "applied")


def _where(r) -> str:
    return r.field if r.group is None else f"{r.group}[{r.index}].{r.field}"


class Found(NamedTuple):
    """What one record gives the table, made where it was parsed (a `-j` worker), and what the summary needs."""

    registration_number: Optional[str]
    cut: Optional[str]
    rows: list  # cells (tsv, csv) or JSON lines (jsonl)


def _rows(raw, args: argparse.Namespace, corpus: Spellings | None = None) -> Found:
    """The rows of one record's repairs and new problems."""
    path = raw.source.path
    fixed = repair_record(raw, threshold=args.threshold, corpus=corpus)
    rows: list = []
    for r in fixed.repairs[len(raw.repairs):]:
        row = dict(file=path, field=_where(r), side=r.side, at=r.at, before=r.before, after=r.after,
                   rule=r.rule, evidence=r.evidence, confidence=r.confidence, applied=r.applied)
        if args.format == "jsonl":
            rows.append(json.dumps(row, ensure_ascii=False) + "\n")
        else:  # before and after quoted as JSON strings, so spaces and lost characters show
            row["before"], row["after"] = (json.dumps(x, ensure_ascii=False) for x in (r.before, r.after))
            rows.append([row[c] for c in COLUMNS])
    for p in fixed.problems[len(raw.problems):]:
        if args.format == "jsonl":
            rows.append(json.dumps({"file": path, "problem": p.model_dump()}, ensure_ascii=False) + "\n")
        else:
            where = _where(p) if p.field else ""
            rows.append([path, where, p.side or "", "" if p.at is None else p.at, "", "", p.code, p.message, "",
                         "flagged"])
    cut = next((p.message for p in raw.problems if p.code == "truncated"), None)
    return Found(raw.registration_number, cut, rows)


def cmd_repairs(args: argparse.Namespace) -> int:
    tally = output.Tally()
    out = output.Output(args.output, args.files)
    if args.corpus_evidence:  # every record is evidence for every other: all are counted first, in one process
        raws = list(records(args, tally, repair=False))
        corpus = Spellings()
        for raw in raws:
            corpus.observe(values(raw))
        found: Iterable[Found] = (_rows(raw, args, corpus) for raw in raws)
    else:
        found = records(args, tally, repair=False, then=partial(_rows, args=args), validate=True)
    with out:
        table = None if args.format == "jsonl" else output.TableWriter(out, args.format)
        if table:
            table.row(COLUMNS)
        for one in found:
            for row in one.rows:
                out.write(row) if table is None else table.row(row)
        if tally.records:
            out.keep()
    return finish(args, tally, out.name)


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repairs", help="list the character repairs a parse would make, with their evidence")
    options.inputs(p)
    options.repair(p, no_repair=False, threshold=True)
    options.jobs(p)
    options.output(p, ("tsv", "csv", "jsonl"),
                   helps="tsv: a header then one line per repair; csv: the same as CSV; jsonl: one JSON object a line")
    p.set_defaults(func=cmd_repairs)
