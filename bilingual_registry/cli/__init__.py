"""The `bireg` command: a thin layer over the library; the only package that prints.

Adding a command group (`review`, `xliff`, `convert`, `synth`, ...) is one new module and one word:
write `cli/NAME.py` with `add_commands(sub)`, which adds its subparser(s) to `sub` and sets `func` to a
function `(args) -> exit status`, then add NAME to `GROUPS` below. Build the command from the shared
pieces, so every command behaves alike:

- `options`: option bundles (`inputs`: FILE... and --max-size; `output`: -o and --format; `repair`);
- `reading.records(args, tally)`: the records of the inputs under the one input rule (files, folders,
  .zip, `-` for stdin), with failures, skipped files and cut-off records reported on stderr;
- `output.Output`: the only writer (stdout for `-`, else OUT written whole or not at all), with
  `json_texts`, `TableWriter` (CSV/TSV through the csv module) and `Tally` (the summary line);
- `reading.finish(args, tally, out.name)`: the summary line and the exit status.

Exit codes: 0 all inputs read, 1 some inputs failed (the others are still written) or no record was
found, 2 usage error (one line on stderr), 130 interrupted (Ctrl-C); a closed pipe ends quietly.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from .. import __version__
from ..throughput import batch_collection
from .output import UsageError, json_texts  # noqa: F401 - json_texts: the old `cli._json_texts` tests use

# The command groups, in the order `bireg --help` lists them: each is the module cli/NAME.py.
GROUPS = ("parse", "repairs", "glossary", "review", "xliff", "convert", "synth", "schema")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line: `bireg parse: error: ... (usage: bireg parse ...)`, exit 2."""

    def error(self, message: str):
        usage = " ".join(self.format_usage().split())
        self.exit(2, f"{self.prog}: error: {message} ({usage})\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command` (a group's name, e.g. `parse`), only that group's commands,
    so a run imports only the modules its command needs."""
    parser = _Parser(prog="bireg", description="Read ChiCTR/ITMCTR registry records into aligned bilingual data.")
    parser.add_argument("--version", action="version", version=f"bireg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name in (command,) if command in GROUPS else GROUPS:
        importlib.import_module(f"{__name__}.{name}").add_commands(sub)
    if command not in sub.choices:  # a command of a group named otherwise (synth), a typo, --help
        return build_parser() if command is not None else parser
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        with batch_collection():
            return args.func(args)
    except UsageError as exc:
        print(f"bireg {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bireg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `bireg parse ... | head -1`: the reader has all it wants
        _quiet_stdout()
        return 141


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain of the closed pipe."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_json_texts = json_texts
