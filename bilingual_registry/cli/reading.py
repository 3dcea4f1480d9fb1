"""Reading the inputs of a command under the one input rule, and saying on stderr what happened.

Every command that reads records (`parse`, `repairs`, `glossary find/learn`, and later `review`, `convert`)
reads them through `records()`: files, folders, `.zip` archives and `-` for standard input, all through
`parse_many`. A file met inside a folder or archive that is no record of ours is skipped and counted; a
failed input is named on stderr (exit 1, the others still written); each cut-off record gets a warning.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Callable, Iterator

from ..api import parse_many
from ..errors import RecordError, Skipped
from ..repair import Spellings
from .output import Tally

if TYPE_CHECKING:
    from ..model import Record


def say(kind: str, message: str) -> None:
    print(f"bireg: {kind}: {message}", file=sys.stderr)


def note_skipped_rows(name: str, counts) -> None:
    """Rows of other registries in an ICTRP export: no failure, but the user should know how many."""
    total = sum(counts.values())
    which = ", ".join(f"{prefix} {n}" for prefix, n in counts.most_common())
    say("note", f"{name}: {total} row{'s' * (total != 1)} of other registries skipped ({which})")


def records(args: argparse.Namespace, tally: Tally, paths: list[str] | None = None, repair: bool | None = None,
            corpus: Spellings | None = None, then: Callable | None = None,
            validate: bool | None = None) -> Iterator[Record]:
    """Every record of the inputs as it is read, counted in `tally`; failures and cut-off records reported.

    `then` (the batch data path, e.g. `plain.dump`): applied to each record where it is parsed, on plain data
    unless `--validate` (or `validate`), in `-j` worker processes when the command has `-j`; what it gives
    must have the record's `registration_number` and `cut` (its `truncated` message, or None), as
    `plain.Dumped` has.
    """
    repair = (not getattr(args, "no_repair", False)) if repair is None else repair
    paths = args.files if paths is None else paths
    jobs = _jobs(getattr(args, "jobs", 1), paths) if then is not None else 1
    seen: set[str] = set()
    for name, result in parse_many(paths, repair=repair,
                                   max_bytes=args.max_size, corpus=corpus, on_skipped=note_skipped_rows,
                                   jobs=jobs, validate=validate or then is None or getattr(args, "validate", False), then=then):
        tally.entries += name not in seen
        if isinstance(result, Skipped):
            tally.skipped += 1
        elif isinstance(result, RecordError):
            tally.failed += 1
            say("error", str(result))
        else:
            tally.records += 1
            tally.files += name not in seen
            cut = (result.cut if then is not None
                   else next((p.message for p in result.problems if p.code == "truncated"), None))
            if cut is not None:
                tally.cut += 1
                say("warning", f"{name}: {result.registration_number or 'a record'} is cut off: {cut}")
            yield result
        seen.add(name)


def _jobs(asked: int | None, paths: list[str]) -> int:
    """The processes to parse in: as asked, else one for one file and all cores for several (or a folder)."""
    if asked:
        return asked
    if len(paths) == 1 and (paths[0] == "-" or os.path.isfile(paths[0])):
        return 1
    from ..pool import cpu_count  # multiprocessing, loaded only for a pool
    return cpu_count()


def finish(args: argparse.Namespace, tally: Tally, where: str) -> int:
    """The summary line (after a run with -o, or over several files) and the exit status."""
    if getattr(args, "output", None) or tally.entries > 1:
        print(tally.summary(where), file=sys.stderr)
    return 1 if tally.failed or not tally.records else 0
