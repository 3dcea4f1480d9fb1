"""Garbage-collector settings for runs over many records.

Parsing a record allocates a few thousand short-lived objects (blocks, fields, models). With CPython's
default threshold the collector runs several times inside every record and promotes what is still in
use, which costs about a quarter of the parse time (see benchmarks/bench_core.py). A batch run freezes
what is loaded once (label schema, glossary) and collects less often; the library's functions leave the
collector alone, as a library should.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

BATCH_THRESHOLD = 20_000


@contextmanager
def batch_collection(threshold: int = BATCH_THRESHOLD) -> Iterator[None]:
    """Collect young objects every `threshold` allocations instead of every 700, then restore."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
