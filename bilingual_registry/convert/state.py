"""What a convert run has finished, kept beside its output so a killed run can be finished (`--resume`).

The state is a small JSON-lines file, `.OUT.state`: a first line with the run's options, then one line per
finished part file (in `.OUT.parts/`), written only once the part is whole and in place, holding the
content hashes of the inputs whose records the part holds, its row count, its rejects and its
provenance tally. A kill can leave at most a torn last line, which is ignored with its part: those
inputs are simply converted again. Inputs are recognised by content, not by name, so a renamed or
moved file is still known; two inputs with the same bytes count twice.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> s = State.start(d / "out.parquet.state", {"format": "parquet"})
>>> s.add(Part(name="000001.arrows", inputs=["ab", "ab", "cd"], rows=4))
>>> again = State.load(d / "out.parquet.state")
>>> again.options, again.done()["ab"], [p.rows for p in again.parts]
({'format': 'parquet'}, 2, [4])
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson


@dataclass
class Part:
    """One finished part file and what went into it."""

    name: str
    inputs: list[str]  # content hashes (or names of inputs that could not be read), in input order
    rows: int = 0
    records: int = 0
    skipped: int = 0  # entries that hold no record of ours, rows of other registries
    rejects: list[dict] = field(default_factory=list)
    provenance: dict[str, int] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)


class State:
    """The state file of one output: its options and finished parts."""

    def __init__(self, path: Path, options: dict, parts: list[Part]):
        self.path, self.options, self.parts = Path(path), options, parts

    @classmethod
    def start(cls, path: Path, options: dict) -> "State":
        """A fresh state (a previous one at `path` is replaced)."""
        state = cls(path, options, [])
        state.save()
        return state

    def save(self) -> None:
        """Write the whole state again, atomically: a resumed run so drops a torn last line before appending."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(orjson.dumps({"options": self.options}, option=orjson.OPT_APPEND_NEWLINE))
            for part in self.parts:
                fh.write(orjson.dumps(asdict(part), option=orjson.OPT_APPEND_NEWLINE))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    @classmethod
    def load(cls, path: Path) -> "State | None":
        """The state at `path`, None when there is none or its first line is unreadable."""
        try:
            lines = Path(path).read_bytes().split(b"\n")
        except FileNotFoundError:
            return None
        try:
            options = orjson.loads(lines[0])["options"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return None
        parts = []
        for line in lines[1:]:
            try:
                parts.append(Part(**orjson.loads(line)))
            except (orjson.JSONDecodeError, TypeError):
                break  # a torn last line: its part was never recorded
        return cls(path, options, parts)

    def add(self, part: Part) -> None:
        """Record a finished part (its file already in place), durably, in one write."""
        with open(self.path, "ab") as fh:
            fh.write(orjson.dumps(asdict(part), option=orjson.OPT_APPEND_NEWLINE))
            fh.flush()
            os.fsync(fh.fileno())
        self.parts.append(part)

    def done(self) -> Counter:
        """How many times each input (by content hash) is already converted."""
        return Counter(h for p in self.parts for h in p.inputs)
