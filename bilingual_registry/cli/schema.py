"""`bireg schema`: the JSON Schema of a record (the contract of DESIGN.md §2)."""
from __future__ import annotations

import argparse
import json

from ..model import json_schema
from . import options, output


def cmd_schema(args: argparse.Namespace) -> int:
    with output.Output(args.output, keep=True) as out:
        out.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of a record")
    options.output(p)
    p.set_defaults(func=cmd_schema)
