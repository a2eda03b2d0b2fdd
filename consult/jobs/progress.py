"""How far a job got: work calls :func:`set_total` and :func:`advance`, the page reads it.

Outside a job both are no-ops, so the digest and release code call them
unconditionally. On the worker, progress goes to Redis (a short-lived key
per job), never to the database: a release holds one long transaction, and a
second writer on SQLite would wait for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

Reporter = Callable[[int, int | None], None]


@dataclass
class _Tracker:
    report: Reporter
    done: int = 0
    total: int | None = None
    last: float = 0.0

    def push(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= 1.0:  # at most once a second
            self.last = now
            self.report(self.done, self.total)


_current: ContextVar[_Tracker | None] = ContextVar("consult_job_progress", default=None)


@contextmanager
def tracking(report: Reporter) -> Iterator[None]:
    """Send the progress of the work done inside this block to ``report(done, total)``."""
    tracker = _Tracker(report)
    token = _current.set(tracker)
    try:
        yield
        tracker.push(force=True)  # the last count, however soon after the one before
    finally:
        _current.reset(token)


def set_total(total: int) -> None:
    """How many units (inputs) the work has; resets what is done."""
    tracker = _current.get()
    if tracker is not None:
        tracker.total, tracker.done = total, 0
        tracker.push(force=True)


def advance(count: int) -> None:
    """``count`` more units are done."""
    tracker = _current.get()
    if tracker is not None:
        tracker.done += count
        tracker.push()
