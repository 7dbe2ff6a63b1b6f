"""CPU-bound work spread over the machine's cores with forked processes.

A cold build of a long chronicle spends most of its time in pure Python (Python-Markdown,
Jinja), which one process runs on one core. A forked child inherits everything already
loaded and computed, so only its results cross back, pickled into a file (a pipe would
stall the child until this process, busy with its own share, reads it). Plain `os.fork`
rather than a `multiprocessing.Pool`: a pool's threads and queues cost 10-40 ms to start
and stop, which a build that forks five times pays on every small site.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

TICK_SECONDS = 0.02  # how often `tick` runs while this process waits for the others


class WorkerError(RuntimeError):
    """A forked worker failed; its traceback is the message."""


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_forked(function: Callable[[Item], Result], items: Sequence[Item], minimum: int = 32,
               tick: Callable[[], None] = lambda: None, fork: bool = True,
               processes: int | None = None) -> list[Result]:
    """`[function(item) for item in items]`, in order, split over every core when `fork`
    allows it (the build's `Mode` says), there are at least `minimum` items (fewer light
    items are not worth a fork) and the platform can fork. `tick()` runs in this process
    after each item it handles and every TICK_SECONDS while it waits for the others (the
    search indexer starts its next language). `processes` defaults to the cores this
    process may use.

    Only call it from a process without other threads: a forked child gets copies of locks
    that another thread may hold.
    """
    count = min(processes or cores(), len(items))
    if not fork or count < 2 or len(items) < minimum or not hasattr(os, "fork"):
        return [_ticked(function(item), tick) for item in items]
    share = -(-len(items) // count)  # this process takes the first share, each child one of the rest
    children = [_fork(function, items[start:start + share]) for start in range(share, len(items), share)]
    try:
        results = [_ticked(function(item), tick) for item in items[:share]]
        for child in children:
            results.extend(child.collect(tick))
    finally:
        for child in children:
            child.stop()
    return results


def _ticked(result: Result, tick: Callable[[], None]) -> Result:
    tick()
    return result


class _Child:
    """A forked process working on a share; its results wait in `spool` once `done` closes."""

    def __init__(self, pid: int, done: int, spool: str) -> None:
        self.pid, self.done, self.spool = pid, done, spool

    def collect(self, tick: Callable[[], None]) -> list:
        while not select.select([self.done], [], [], TICK_SECONDS)[0]:
            tick()
        os.waitpid(self.pid, 0)
        self.pid = 0
        with open(self.spool, "rb") as handle:
            ok, value = pickle.load(handle)
        if not ok:
            raise WorkerError(value)
        return value

    def stop(self) -> None:
        """Kill the child if it is still at work (this process failed), and clean up."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.done)
        os.unlink(self.spool)


def _fork(function: Callable, share: Sequence) -> _Child:
    handle, spool = tempfile.mkstemp(prefix="yeonpyo-worker-")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, write the results, exit without running the parent's clean-up
        os.close(read_end)
        status = 0
        try:
            try:
                outcome: tuple[bool, list[Any] | str] = (True, [function(item) for item in share])
            except BaseException:
                outcome, status = (False, traceback.format_exc()), 1
            with os.fdopen(handle, "wb") as out:
                pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(status)
    os.close(handle)
    os.close(write_end)
    return _Child(pid, read_end, spool)
