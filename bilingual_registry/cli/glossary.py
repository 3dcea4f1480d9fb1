"""`bireg glossary ...`: look up, find, export, import, validate and learn glossary terms."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from ..glossary import Glossary, check_file, iter_fields, terms_to_text, vocab_to_text
from ..labels import default_schema, glossary_dir
from . import options, output
from .reading import finish, records, say


def _glossary(args: argparse.Namespace) -> Glossary:
    base = Glossary() if args.no_default else Glossary.default()
    return base.merge(Glossary.load(*args.glossary)) if args.glossary else base


def _write(args: argparse.Namespace, data: str | bytes) -> None:
    """A whole output (export, import, lookup): OUT is replaced."""
    with output.Output(getattr(args, "output", None), keep=True, binary=isinstance(data, bytes)) as out:
        out.write(data)


def cmd_lookup(args: argparse.Namespace) -> int:
    g = _glossary(args)
    terms, vocab = g.lookup(args.term), g.lookup_vocab(args.term)
    if args.format == "json":
        _write(args, json.dumps({"terms": [t.row() for t in terms], "vocab": [v.row() for v in vocab]},
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
        _write(args, "".join(line + "\n" for line in lines))
    if not terms and not vocab:
        print(f"bireg: {args.term!r} is not in the glossary", file=sys.stderr)
        return 1
    return 0


FIND_COLUMNS = ("record", "field", "side", "start", "end", "text", "form", "zh", "en")


def cmd_find(args: argparse.Namespace) -> int:
    g = _glossary(args)
    tally = output.Tally()
    out = output.Output(args.output, args.files)
    rows = []
    for rec in records(args, tally, repair=True):
        for name, side, value in iter_fields(rec):
            for h in g.find(value):
                rows.append({"record": rec.registration_number, "field": name, "side": side, "start": h.start,
                             "end": h.end, "text": h.text, "form": h.form, "zh": h.term.zh, "en": h.term.en})
    with out:
        if args.format == "jsonl":
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        elif args.summary:
            # synonyms share their English (化疗 / 化学治疗: chemotherapy), so one line per English term
            sides: dict[str, Counter] = {}
            names: dict[str, dict[str, None]] = {}
            for r in rows:
                key = r["en"].casefold()
                sides.setdefault(key, Counter())[r["side"]] += 1
                names.setdefault(key, {})[r["zh"]] = None
            table = sorted(sides.items(), key=lambda kv: -sum(kv[1].values()))
            out.write(output.table_text(("zh", "en", "zh_hits", "en_hits"),
                                        (("/".join(names[k]), k, c["zh"], c["en"]) for k, c in table), args.format))
        else:
            out.write(output.table_text(FIND_COLUMNS, ([r[c] for c in FIND_COLUMNS] for r in rows), args.format))
        if tally.records:
            out.keep()
    return finish(args, tally, out.name)


def cmd_export(args: argparse.Namespace) -> int:
    g = _glossary(args)
    if args.format in ("tbx", "tbx2"):
        from ..glossary.tbx import to_tbx
        _write(args, to_tbx(g.terms, version=2 if args.format == "tbx2" else 3))
    elif args.what == "vocab":
        _write(args, vocab_to_text(g.vocab, args.format))
    else:
        _write(args, terms_to_text(g.terms, args.format))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        imported = Glossary.load(args.file)
    except (ValueError, OSError) as exc:
        say("error", f"{args.file}: {getattr(exc, 'strerror', None) or exc}")
        return 1
    if imported.vocab:
        _write(args, vocab_to_text(imported.vocab, args.format))
    else:
        _write(args, terms_to_text(imported.terms, args.format))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    files = args.files or [glossary_dir() / "terms.tsv", glossary_dir() / "vocab.tsv"]
    fields = {d.key for d in default_schema().defs}
    problems = 0
    for path in files:
        try:
            issues = check_file(path, fields)
        except (ValueError, OSError) as exc:
            print(f"{path}: error: {getattr(exc, 'strerror', None) or exc}")
            problems += 1
            continue
        for i in issues:
            print(f"{path}:{i.line}: {i.code}: {i.message}")
        problems += len(issues)
    print(f"{problems} problem(s) in {len(files)} file(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_learn(args: argparse.Namespace) -> int:
    from ..glossary.learn import candidates_to_text, learn_records

    tally = output.Tally()
    out = output.Output(args.output, args.files)
    candidates = learn_records(records(args, tally, repair=True), _glossary(args), include_known=args.include_known)
    if args.top:
        candidates = candidates[:args.top]
    with out:
        out.write(candidates_to_text(candidates))
        if tally.records:
            out.keep()
    print(f"{len(candidates)} candidate(s)", file=sys.stderr)
    return finish(args, tally, out.name)


def _glossary_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-g", "--glossary", action="append", default=[], metavar="FILE",
                   help="a user glossary (TSV, CSV or TBX) laid over ours; it wins (repeatable)")
    p.add_argument("--no-default", action="store_true", help="leave out our own glossary")


def _json_alias(p: argparse.ArgumentParser, fmt: str) -> None:
    """`--json`, the older spelling of `--format json|jsonl`."""
    p.add_argument("--json", dest="format", action="store_const", const=fmt, help=argparse.SUPPRESS)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add `bireg glossary ...` to the main parser's subcommands."""
    gp = sub.add_parser("glossary", help="look up, find, export, validate and learn glossary terms")
    gsub = gp.add_subparsers(dest="glossary_command", required=True, metavar="ACTION")

    p = gsub.add_parser("lookup", help="look a term up, Chinese or English, in terms and vocabularies")
    p.add_argument("term", metavar="TERM")
    options.output(p, ("text", "json"), helps="text: one tab-separated line per entry; json: one JSON object")
    _json_alias(p, "json")
    _glossary_options(p)
    p.set_defaults(func=cmd_lookup)

    p = gsub.add_parser("find", help="glossary terms found in records, both sides, with offsets")
    options.inputs(p)
    options.output(p, ("tsv", "csv", "jsonl"), helps="tsv or csv: a table; jsonl: one JSON object per hit")
    _json_alias(p, "jsonl")
    p.add_argument("--summary", action="store_true", help="one line per term: hits on each side")
    _glossary_options(p)
    p.set_defaults(func=cmd_find)

    p = gsub.add_parser("export", help="write the glossary as TBX (CAT tools) or TSV/CSV")
    options.output(p, ("tsv", "csv", "tbx", "tbx2"),
                   helps="tbx: TBX-Basic v3 (ISO 30042:2019); tbx2: TBX v2 <martif>; tsv; csv")
    p.add_argument("--what", choices=("terms", "vocab"), default="terms",
                   help="terms or the registry vocabularies (TSV/CSV only; default: terms)")
    _glossary_options(p)
    p.set_defaults(func=cmd_export)

    p = gsub.add_parser("import", help="convert a TBX/CSV/TSV glossary to our TSV layout")
    p.add_argument("file", metavar="FILE")
    options.output(p, ("tsv", "csv"))
    p.set_defaults(func=cmd_import)

    p = gsub.add_parser("validate", help="check glossary files: duplicates, conflicts, empty sides, bad characters")
    p.add_argument("files", nargs="*", metavar="FILE", help="files to check (default: our terms.tsv and vocab.tsv)")
    p.set_defaults(func=cmd_validate)

    p = gsub.add_parser("learn", help="mine candidate term pairs from many records, for review")
    options.inputs(p)
    options.output(p)
    p.add_argument("--top", type=int, default=0, metavar="N", help="keep the N best candidates")
    p.add_argument("--include-known", action="store_true", help="also list pairs the glossary already has")
    _glossary_options(p)
    p.set_defaults(func=cmd_learn)
