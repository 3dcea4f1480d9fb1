"""`bireg synth`: N realistic synthetic records written in the registry's layouts, a share damaged."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..synth.corpus import write_corpus
from ..synth.layouts import LAYOUTS
from . import options
from .output import UsageError


def _share(text: str) -> float:
    """A share from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"not a share: {text!r} (a number from 0 to 1, e.g. 0.1)")
    return value


def _make_folder(target: str) -> None:
    """-o DIR: a folder, made when missing; a file, a device or a FIFO there is a usage error, not a traceback."""
    try:
        Path(target).mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"{target} is not a folder; -o takes the folder to write the records in") from None
    except OSError as exc:
        raise UsageError(f"cannot make the folder {target}: {exc.strerror}") from None


def cmd_synth(args: argparse.Namespace) -> int:
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown or not layouts:
        raise UsageError(f"unknown layout(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(LAYOUTS)}")
    _make_folder(args.output)
    damaged = write_corpus(args.n, args.output, seed=args.seed, layouts=layouts, damaged=args.damaged, jobs=args.jobs)
    print(f"synth: {args.n:,} records ({', '.join(layouts)}), {damaged:,} damaged -> {args.output}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help="write N realistic synthetic records in the registry's layouts",
                       description="Write N synthetic records (text exports, detail pages, ITMCTR API JSON), "
                                   "values drawn from the glossary, a share of them damaged; the same for a seed.")
    p.add_argument("n", type=options.count, metavar="N", help="how many records")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write them in")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--layouts", default=",".join(LAYOUTS),
                   help=f"comma-separated layouts taking turns: {', '.join(LAYOUTS)} (default: all)")
    p.add_argument("--damaged", type=_share, default=0.1, metavar="SHARE",
                   help="share of records with planted damage (default: 0.1)")
    options.jobs(p)
    p.set_defaults(func=cmd_synth)
