"""Option bundles shared by the commands, so an option means one thing and is spelt one way everywhere."""
from __future__ import annotations

import argparse
import math

from ..repair.driver import THRESHOLD
from ..sources import DEFAULT_MAX_BYTES

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def size(text: str) -> int:
    """A size such as 20MB, 500k or 1048576 (bytes), at least one byte.

    >>> size("20MB"), size("500k"), size("1048576")
    (20971520, 512000, 1048576)
    >>> size("inf")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: not a size: 'inf' (try 20MB, 500k or a number of bytes)
    """
    t = text.strip().lower()
    digits = t.rstrip("kmgb")
    try:
        number = float(digits) * _UNITS[t[len(digits):]]
    except (ValueError, KeyError):
        number = math.nan
    if not math.isfinite(number) or number < 1:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 20MB, 500k or a number of bytes)")
    return int(number)


def inputs(p: argparse.ArgumentParser, what: str = "records") -> None:
    """Inputs under the one input rule (see `cli.reading`)."""
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=f"{what}: text exports, saved detail pages (HTML), XML exports, ITMCTR API JSON, `bireg parse` "
                        "JSON, folders and .zip archives of them, or - for standard input")
    p.add_argument("--max-size", type=size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                   help="refuse any record larger than SIZE, e.g. 500k or 20MB (default: 20MB)")


def output(p: argparse.ArgumentParser, formats: tuple[str, ...] = (), default: str | None = None,
           helps: str = "") -> None:
    """`-o/--output` and, when a command writes several formats, `--format`."""
    p.add_argument("-o", "--output", metavar="OUT",
                   help="write to OUT (whole or not at all) instead of standard output; - is standard output")
    if formats:
        p.add_argument("--format", choices=formats, default=default or formats[0],
                       help=f"{helps} (default: {default or formats[0]})")


def repair(p: argparse.ArgumentParser, no_repair: bool = True, threshold: bool = False) -> None:
    """The repair stage's options."""
    if no_repair:
        p.add_argument("--no-repair", action="store_true", help="give the raw alignment, with no character repairs")
    p.add_argument("--corpus-evidence", action="store_true",
                   help="let the spellings of the other records read decide lost characters")
    if threshold:
        p.add_argument("--threshold", type=float, default=THRESHOLD,
                       help=f"apply repairs at or above this confidence (default: {THRESHOLD}); "
                            "the others are listed as not applied")


def count(text: str) -> int:
    """A whole number of at least 1.

    >>> count("4")
    4
    >>> count("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: not a whole number of at least 1: '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def jobs(p: argparse.ArgumentParser) -> None:
    """`-j/--jobs N`: worker processes for a batch (`pool.ordered_map`; the output is the same bytes for any N)."""
    p.add_argument("-j", "--jobs", type=count, default=None, metavar="N",
                   help="worker processes (default: all cores when there are several inputs); "
                        "the output is the same, in the same order, for any N")
