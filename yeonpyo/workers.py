"""CPU-bound work spread over the machine's cores with forked processes.

A cold build of a long chronicle spends most of its time in pure Python (Python-Markdown),
which one process runs on one core. Forked workers inherit everything already loaded, so
only the work items and their results cross a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_work: Callable | None = None  # what the forked workers run, inherited from the parent
PIECE = 250  # items per message back: results cross the pipe pickled, a piece at a time


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_forked(function: Callable[[Item], Result], items: Sequence[Item], minimum: int = 32,
               tick: Callable[[], None] = lambda: None) -> list[Result]:
    """`[function(item) for item in items]`, in order, split over every core when there are
    at least `minimum` items (a fork costs about 5 ms: fewer light items are not worth it)
    and the platform can fork. `tick()` runs in this process after each item it handles and
    every 20 ms while it waits for the others (the search indexer starts its next language).

    Only call it from a process without other threads: a forked child gets copies of locks
    that another thread may hold.
    """
    count = cores()
    if count < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return [_ticked(function(item), tick) for item in items]
    global _work
    share = -(-len(items) // count)  # this process takes the first share, the workers the rest
    pieces = [items[start:start + PIECE] for start in range(share, len(items), PIECE)]
    _work = function
    try:
        with multiprocessing.get_context("fork").Pool(count - 1) as pool:
            pending = [pool.apply_async(_run, (piece,)) for piece in pieces]
            results = [_ticked(function(item), tick) for item in items[:share]]
            for part in pending:
                while True:
                    try:
                        results.extend(part.get(timeout=0.02))
                        break
                    except multiprocessing.TimeoutError:
                        tick()
    finally:
        _work = None
    return results


def _ticked(result: Result, tick: Callable[[], None]) -> Result:
    tick()
    return result


def _run(chunk: Sequence) -> list:
    assert _work is not None
    return [_work(item) for item in chunk]
