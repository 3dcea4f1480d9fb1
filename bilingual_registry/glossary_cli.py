"""`bireg glossary ...`: the glossary commands, a thin layer over glossary.py, tbx.py and glossary_learn.py."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from .errors import RecordError
from .glossary import Glossary, check_file, iter_fields, terms_to_text, vocab_to_text
from .labels import default_schema, glossary_dir


def _glossary(args: argparse.Namespace) -> Glossary:
    base = Glossary() if args.no_default else Glossary.default()
    return base.merge(Glossary.load(*args.glossary)) if args.glossary else base


def _out(args: argparse.Namespace, text: str | bytes) -> None:
    if getattr(args, "output", None):
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        Path(args.output).write_bytes(data)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
    else:
        sys.stdout.write(text)


def cmd_lookup(args: argparse.Namespace) -> int:
    g = _glossary(args)
    terms, vocab = g.lookup(args.term), g.lookup_vocab(args.term)
    if args.json:
        _out(args, json.dumps({"terms": [t.row() for t in terms], "vocab": [v.row() for v in vocab]},
                              ensure_ascii=False, indent=2) + "\n")
    else:
        lines = []
        for t in terms:
            extra = "; ".join(f"{name}: {', '.join(vals)}" for name, vals in
                              (("variants", t.en_variants), ("abbreviations", t.abbreviations),
                               ("forbidden", t.forbidden)) if vals)
            lines.append(f"{t.zh}\t{t.en}\t{t.domain}" + (f"\t{extra}" if extra else ""))
        for v in vocab:
            lines.append(f"{v.field}\t{v.zh}\t{v.en}\t{v.plain_en}" + (f"\tid {'|'.join(v.registry_id)}"
                                                                      if v.registry_id else ""))
        _out(args, "".join(line + "\n" for line in lines))
    if not terms and not vocab:
        print(f"bireg: {args.term!r} is not in the glossary", file=sys.stderr)
        return 1
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    from .api import parse_file

    g = _glossary(args)
    try:
        records = parse_file(args.file)
    except (RecordError, OSError) as exc:
        print(f"bireg: error: {exc}", file=sys.stderr)
        return 1
    rows = []
    for rec in records:
        for name, side, value in iter_fields(rec):
            for h in g.find(value):
                rows.append({"record": rec.registration_number, "field": name, "side": side, "start": h.start,
                             "end": h.end, "text": h.text, "form": h.form, "zh": h.term.zh, "en": h.term.en})
    if args.json:
        _out(args, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        return 0
    if args.summary:
        # synonyms share their English (化疗 / 化学治疗: chemotherapy), so one line per English term
        sides: dict[str, Counter] = {}
        names: dict[str, dict[str, None]] = {}
        for r in rows:
            key = r["en"].casefold()
            sides.setdefault(key, Counter())[r["side"]] += 1
            names.setdefault(key, {})[r["zh"]] = None
        lines = ["zh\ten\tzh_hits\ten_hits"]
        for key, c in sorted(sides.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"{'/'.join(names[key])}\t{key}\t{c['zh']}\t{c['en']}")
    else:
        lines = ["field\tside\tstart\tend\ttext\tform\tzh\ten"]
        lines += [f"{r['field']}\t{r['side']}\t{r['start']}\t{r['end']}\t{r['text']}\t{r['form']}\t{r['zh']}\t{r['en']}"
                  for r in rows]
    _out(args, "".join(line + "\n" for line in lines))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    g = _glossary(args)
    if args.format in ("tbx", "tbx2"):
        from .tbx import to_tbx
        _out(args, to_tbx(g.terms, version=2 if args.format == "tbx2" else 3))
    elif args.what == "vocab":
        _out(args, vocab_to_text(g.vocab, args.format))
    else:
        _out(args, terms_to_text(g.terms, args.format))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        imported = Glossary.load(args.file)
    except (ValueError, OSError) as exc:
        print(f"bireg: error: {args.file}: {exc}", file=sys.stderr)
        return 1
    if imported.vocab:
        _out(args, vocab_to_text(imported.vocab, args.format))
    else:
        _out(args, terms_to_text(imported.terms, args.format))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    files = args.files or [glossary_dir() / "terms.tsv", glossary_dir() / "vocab.tsv"]
    fields = {d.key for d in default_schema().defs}
    problems = 0
    for path in files:
        try:
            issues = check_file(path, fields)
        except (ValueError, OSError) as exc:
            print(f"{path}: error: {exc}")
            problems += 1
            continue
        for i in issues:
            print(f"{path}:{i.line}: {i.code}: {i.message}")
        problems += len(issues)
    print(f"{problems} problem(s) in {len(files)} file(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_learn(args: argparse.Namespace) -> int:
    from .glossary_learn import candidates_to_text, learn

    skipped: list[tuple[str, str]] = []
    candidates = learn(args.records, _glossary(args), include_known=args.include_known, skipped=skipped)
    for path, why in skipped:
        print(f"bireg: skipped {path}: {why}", file=sys.stderr)
    if args.top:
        candidates = candidates[:args.top]
    _out(args, candidates_to_text(candidates))
    print(f"{len(candidates)} candidate(s)", file=sys.stderr)
    return 0


def _glossary_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-g", "--glossary", action="append", default=[], metavar="FILE",
                   help="a user glossary (TSV, CSV or TBX) laid over ours; it wins (repeatable)")
    p.add_argument("--no-default", action="store_true", help="leave out our own glossary")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add `bireg glossary ...` to the main parser's subcommands."""
    gp = sub.add_parser("glossary", help="look up, find, export, validate and learn glossary terms")
    gsub = gp.add_subparsers(dest="glossary_command", required=True, metavar="ACTION")

    p = gsub.add_parser("lookup", help="look a term up, Chinese or English, in terms and vocabularies")
    p.add_argument("term", metavar="TERM")
    p.add_argument("--json", action="store_true", help="print JSON")
    _glossary_options(p)
    p.set_defaults(func=cmd_lookup)

    p = gsub.add_parser("find", help="glossary terms found in a record, both sides, with offsets")
    p.add_argument("file", metavar="FILE", help="a record file")
    p.add_argument("--json", action="store_true", help="one JSON object per hit")
    p.add_argument("--summary", action="store_true", help="one line per term: hits on each side")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    _glossary_options(p)
    p.set_defaults(func=cmd_find)

    p = gsub.add_parser("export", help="write the glossary as TBX (CAT tools) or TSV/CSV")
    p.add_argument("--format", choices=("tbx", "tbx2", "tsv", "csv"), default="tsv",
                   help="tbx: TBX-Basic v3 (ISO 30042:2019); tbx2: TBX v2 <martif>; tsv; csv (default: tsv)")
    p.add_argument("--what", choices=("terms", "vocab"), default="terms",
                   help="terms or the registry vocabularies (TSV/CSV only; default: terms)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    _glossary_options(p)
    p.set_defaults(func=cmd_export)

    p = gsub.add_parser("import", help="convert a TBX/CSV/TSV glossary to our TSV layout")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("tsv", "csv"), default="tsv")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    p.set_defaults(func=cmd_import)

    p = gsub.add_parser("validate", help="check glossary files: duplicates, conflicts, empty sides, bad characters")
    p.add_argument("files", nargs="*", metavar="FILE", help="files to check (default: our terms.tsv and vocab.tsv)")
    p.set_defaults(func=cmd_validate)

    p = gsub.add_parser("learn", help="mine candidate term pairs from many records, for review")
    p.add_argument("records", nargs="+", metavar="RECORDS",
                   help="record files: registry pages, `bireg parse` JSON/JSONL, ITMCTR API JSON")
    p.add_argument("-o", "--output", metavar="OUT", help="write candidates TSV to OUT instead of standard output")
    p.add_argument("--top", type=int, default=0, metavar="N", help="keep the N best candidates")
    p.add_argument("--include-known", action="store_true", help="also list pairs the glossary already has")
    _glossary_options(p)
    p.set_defaults(func=cmd_learn)
