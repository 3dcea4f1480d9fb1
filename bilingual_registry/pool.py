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
>>> list(ordered_map(abs, range(-5, 0), jobs=2, chunk=2))
[5, 4, 3, 2, 1]
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from functools import partial
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


def _call(token: int, items: list) -> list:
    fn = _FUNCTIONS[token]
    return [fn(item) for item in items]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _worker_start() -> None:
    """Ctrl-C is the caller's to handle: a worker that took it too would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _submit_first(pool: ProcessPoolExecutor, *args):
    """The first task, which forks every worker (with fork the pool starts them all at once): Ctrl-C is held
    back meanwhile, so a worker never takes one before it ignores them; the caller gets it just after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(*args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def ordered_map(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None,
                window: int | None = None, chunk: int = 1) -> Iterator[R]:
    """`fn` over `items` in `jobs` forked processes (all cores when None; 1 runs here, with no process).
    `chunk` items go to a worker at a time: each task costs the caller a future, a pickling and two
    pipe writes, which for items of a millisecond or two is a large share of a core the workers need."""
    jobs = jobs or cpu_count()
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        # a daemonic process (a worker of someone else's pool) may not have children: run here
        yield from map(fn, items)
        return
    window = window or 4 * jobs
    token = id(fn)
    _FUNCTIONS[token] = fn
    frozen = gc.get_freeze_count()
    gc.freeze()  # what is loaded now stays shared with the workers (the collector would touch its pages)
    try:
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
        try:
            pending: deque = deque()
            submit = partial(_submit_first, pool)
            for batch in _chunks(items, chunk):
                pending.append(submit(_call, token, batch))
                submit = pool.submit
                if len(pending) >= window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BaseException:  # Ctrl-C, a closed pipe, a failure: what is queued is not started
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        _FUNCTIONS.pop(token, None)
        if not frozen:  # a caller's own freeze (bireg's batch_collection) is theirs to undo
            gc.unfreeze()
