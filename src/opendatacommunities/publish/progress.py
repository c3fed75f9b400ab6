"""Progress of a publish: messages from every thread, passed on to the caller's ``progress``
function from the publishing thread only, and the time each stage took.

Stages overlap (datasets load into the release while others are still being mapped or
checked), so a stage's time is how long some work of that stage was running: the length of
the union of its intervals, not their sum.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

Progress = Callable[[str], None]


class _Handed(NamedTuple):
    item: object


class Relay:
    """Collects progress messages from any thread (``say``) and hands them to ``progress``
    when the publishing thread calls ``flush`` (or ``now``, or waits in ``next_handed``).

    Other threads also hand the publishing thread their results through it (``hand``): one
    queue for both, so a thread waiting for a result passes messages on as they come, in
    the order they were said, without polling.
    """

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._queued: queue.SimpleQueue[str | _Handed] = queue.SimpleQueue()

    def say(self, message: str) -> None:
        """Queue a message (from any thread)."""
        self._queued.put(message)

    def now(self, message: str) -> None:
        """Pass what is queued on, then ``message`` (from the publishing thread only)."""
        self.flush()
        self._progress(message)

    def hand(self, item: object) -> None:
        """Queue ``item`` for the publishing thread's ``next_handed`` (from any thread)."""
        self._queued.put(_Handed(item))

    def next_handed(self) -> object:
        """Wait for the next item handed over, passing messages on meanwhile (publishing
        thread only)."""
        while True:
            queued = self._queued.get()
            if isinstance(queued, _Handed):
                return queued.item
            self._progress(queued)

    def flush(self) -> None:
        """Pass every queued message on, in the order they came (publishing thread only).
        Items handed over meanwhile stay queued, in their place, for ``next_handed``."""
        handed: list[_Handed] = []
        while True:
            try:
                queued = self._queued.get_nowait()
            except queue.Empty:
                break
            if isinstance(queued, _Handed):
                handed.append(queued)
            else:
                self._progress(queued)
        for item in handed:
            self._queued.put(item)


class Timeline:
    """When each stage of a publish was at work, from any thread."""

    def __init__(self) -> None:
        self.started = time.time()
        self._intervals: dict[str, list[tuple[float, float]]] = {}
        self._lock = threading.Lock()

    def add(self, stage: str, start: float, end: float) -> None:
        """Record that ``stage`` worked from ``start`` to ``end`` (``time.time()`` values)."""
        with self._lock:
            self._intervals.setdefault(stage, []).append((start, end))

    @contextmanager
    def stage(self, stage: str) -> Iterator[None]:
        """Record the time the block takes as work of ``stage``."""
        start = time.time()
        try:
            yield
        finally:
            self.add(stage, start, time.time())

    def seconds(self) -> dict[str, float]:
        """Seconds each stage was at work (overlaps within a stage counted once), and
        ``total``: from the start to now."""
        with self._lock:
            spans = {stage: _union(found) for stage, found in self._intervals.items()}
        return {**spans, "total": time.time() - self.started}


def _union(intervals: list[tuple[float, float]]) -> float:
    """The length of the union of intervals.

    >>> _union([(0, 2), (1, 3), (5, 6)])
    4.0
    """
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total
