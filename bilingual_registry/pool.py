"""An ordered parallel map over worker processes forked after loading, for batch commands.

`ordered_map(fn, items, jobs)` gives `fn(item)` for every item, in the items' order, whatever order the
workers finish in; so a run on N cores writes the same bytes as a run on one. The workers are forked
from the calling process, so whatever it loaded (label schema, glossary, `fn` itself, even a closure)
is theirs without pickling or loading again; only the items and the results cross the pipes, and they
must pickle. At most `window` items are in flight, so memory stays flat however many items the
iterator yields (`multiprocessing.Pool.imap` would drain it). A worker that dies (killed, out of
memory) ends the map with `BrokenProcessPool` instead of a hang.

>>> list(ordered_map(abs, [-3, 1, -2], jobs=2))
[3, 1, 2]
>>> list(ordered_map(str.upper, iter(["a", "b"]), jobs=1))
['A', 'B']
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FUNCTIONS: dict[int, Callable] = {}  # set before the fork, so every worker holds the caller's function


def cpu_count() -> int:
    """The cores this process may run on (the default number of jobs)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _quiet_worker() -> None:
    """Ctrl-C reaches the whole process group: the caller ends the map (exit 130), a worker says nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(token: int, item):
    return _FUNCTIONS[token](item)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None,
                window: int | None = None) -> Iterator[R]:
    """`fn` over `items` in `jobs` forked processes (all cores when None; 1 runs here, with no process)."""
    jobs = jobs or cpu_count()
    daemon = multiprocessing.current_process().daemon  # a daemonic process (a pool's worker) may fork no pool
    if jobs <= 1 or daemon or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, items)
        return
    window = window or 4 * jobs
    token = id(fn)
    _FUNCTIONS[token] = fn
    frozen = gc.get_freeze_count()
    gc.freeze()  # what is loaded now stays shared with the workers (the collector would touch its pages)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_quiet_worker) as pool:
            pending: deque = deque()
            for item in items:
                pending.append(pool.submit(_call, token, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _FUNCTIONS.pop(token, None)
        if not frozen:  # a caller's own freeze (bireg's batch_collection) is theirs to undo
            gc.unfreeze()
