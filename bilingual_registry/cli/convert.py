"""`bireg convert` and `bireg synth`: their parsers and commands live in dataset_cli.py (the convert
engineer's) until they move here; this module registers them with the shared size option."""
from __future__ import annotations

import argparse

from ..dataset_cli import add_commands as _add_dataset_commands
from .options import size


def add_commands(sub: argparse._SubParsersAction) -> None:
    _add_dataset_commands(sub, size_type=size)
