"""The library's front door: one call from an input to Records (the CLI is a thin layer over these)."""
from __future__ import annotations

from pathlib import Path

from .align import align
from .document import Document
from .labels import Schema, default_schema
from .model import Record, Source
from .sources import DEFAULT_MAX_BYTES, read_bytes, read_path
from .sources.text import read_text


def _finish(doc: Document, repair: bool) -> Record:
    record = align(doc)
    return record


def parse_text(text: str, path: str | None = None, repair: bool = True, schema: Schema | None = None) -> Record:
    """Parse the text of one record export (already decoded)."""
    schema = schema or default_schema()
    doc = Document(blocks=read_text(text, schema), source=Source(path=path, format="text"))
    return _finish(doc, repair)


def parse_bytes(data: bytes, path: str | None = None, repair: bool = True,
                max_bytes: int = DEFAULT_MAX_BYTES) -> list[Record]:
    """Parse the bytes of one input file; raises a RecordError subclass naming `path` on bad input."""
    return [_finish(read_bytes(data, path, max_bytes=max_bytes), repair)]


def parse_file(path: str | Path, repair: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Record]:
    """Parse one input file into its records."""
    return [_finish(read_path(path, max_bytes=max_bytes), repair)]
