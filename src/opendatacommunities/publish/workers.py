"""Mapping datasets in worker processes, several at once.

Mapping is Python through and through (the CSVW engine), so threads would only take turns
holding the interpreter: worker processes map several datasets at the same time, biggest
first. With no workers, datasets are mapped in this process, one after the other (starting a
worker costs more than mapping a few small tables).

A worker follows its parent: when the publishing process dies, even by ``kill -9``, its
workers stop within a tenth of a second instead of finishing their datasets into the build
folder behind the next publish's back.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from multiprocessing.pool import Pool
from multiprocessing.queues import Queue as ProcessQueue
from types import TracebackType
from typing import Any

from .catalog import Published
from .mapping import MapTask, map_task
from .progress import Relay

_messages: ProcessQueue[Any] | None = None
"""In a worker: where its progress messages go (the parent's ``Relay.remote``)."""


def _start_worker(parent: int, messages: ProcessQueue[Any]) -> None:
    global _messages
    _messages = messages
    threading.Thread(target=_follow, args=(parent,), daemon=True).start()


def _follow(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.1)
    os._exit(1)  # the parent is gone: nobody will use what this worker makes


def _say(message: str) -> None:
    if _messages is not None:
        _messages.put(message)


def _map_in_worker(task: MapTask) -> Published:
    return map_task(task, _say)


class MapPool:
    """Maps the datasets submitted to it and hands back what each produced, in the order
    they finish; ``mapped`` is also called with each, as soon as it is done (from another
    thread when workers are used)."""

    def __init__(self, processes: int, relay: Relay, mapped: Callable[[Published], None]) -> None:
        self._relay = relay
        self._mapped = mapped
        self._waiting: list[MapTask] = []
        self._finished: queue.SimpleQueue[Published | BaseException] = queue.SimpleQueue()
        self.pending = 0
        self._pool: Pool | None = None
        if processes > 0:
            context = multiprocessing.get_context("spawn")
            relay.remote = context.Queue()
            self._pool = context.Pool(
                processes, initializer=_start_worker, initargs=(os.getpid(), relay.remote)
            )

    def submit(self, task: MapTask) -> None:
        """Map ``task``'s dataset (now, in a worker; or when ``next_mapped`` asks)."""
        self.pending += 1
        if self._pool is None:
            self._waiting.append(task)
            return
        self._pool.apply_async(
            _map_in_worker,
            (task,),
            callback=self._done,
            error_callback=self._finished.put,
        )

    def _done(self, published: Published) -> None:
        # Runs in the pool's result thread, which must not raise.
        try:
            self._mapped(published)
        except BaseException as error:
            self._finished.put(error)
            return
        self._finished.put(published)

    def has_result(self) -> bool:
        """Whether a dataset is mapped and waiting to be taken by ``next_mapped``."""
        return not self._finished.empty()

    def next_mapped(self) -> Published:
        """The next dataset mapped (waiting for it, passing progress on meanwhile).

        :raises SourceError: the mapping's own error (a bad cell names its file:row:column).
        """
        if self.pending == 0:
            raise LookupError("nothing left to map")
        if self._pool is None:
            published = map_task(self._waiting.pop(0), self._relay.now)
            self._mapped(published)
        else:
            published = self._receive()
        self.pending -= 1
        return published

    def _receive(self) -> Published:
        while True:
            try:
                found = self._finished.get_nowait()
            except queue.Empty:
                self._relay.wait(0.05)
                continue
            self._relay.flush()
            if isinstance(found, BaseException):
                raise found
            return found

    def close(self, *, now: bool = False) -> None:
        """Let the workers finish (their last messages are passed on); with ``now``, stop
        them whatever they are doing."""
        if self._pool is not None:
            if now:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None
            if not now:
                self._relay.flush()
            # A worker stopped while writing may have left half a message in the queue.
            self._relay.remote = None

    def __enter__(self) -> MapPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(now=kind is not None)
