"""Mapping datasets in worker processes, several at once.

Mapping is Python through and through (the CSVW engine), so threads would only take turns
holding the interpreter: worker processes map several datasets at the same time, the biggest
first, each worker taking the next dataset when it is free. With no workers, datasets are
mapped in this process, one after the other (starting a worker costs more than mapping a
few small tables).

A worker is a new Python process running ``serve``, reading ``MapTask`` pickles on its
standard input and answering with ``Said``, ``Mapped`` or ``Failed`` pickles on its standard
output: it does not depend on how the publishing program was started (``multiprocessing``
would import the caller's main module again in every worker, and ``ProcessPoolExecutor``
can neither pass progress on nor stop a task midway). It follows its parent: when the
publishing process dies, even by ``kill -9``, the kernel stops its workers at once
(``PR_SET_PDEATHSIG``; elsewhere than Linux, a thread looking every tenth of a
second) instead of letting them finish their datasets into the build folder.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from opendatacommunities.errors import PublishError

from .catalog import Published
from .mapping import MapTask, map_task
from .progress import Relay

OnMapped = Callable[[Published], None]


@dataclass(frozen=True, slots=True)
class Said:
    """A progress message from a worker."""

    text: str


@dataclass(frozen=True, slots=True)
class Mapped:
    """A worker mapped its dataset."""

    published: Published


@dataclass(frozen=True, slots=True)
class Failed:
    """A worker could not map its dataset: the error, with the worker's traceback as a note."""

    error: BaseException


FromWorker = Said | Mapped | Failed


class _Worker:
    """One worker process, and the thread reading what it says."""

    def __init__(self, pool: MapPool) -> None:
        self._pool = pool
        command = [
            sys.executable,
            "-c",
            "from opendatacommunities.publish.workers import serve; serve()",
        ]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True, name="odc-map-reader").start()

    def send(self, task: MapTask) -> None:
        """Hand the worker a dataset to map."""
        assert self.process.stdin is not None
        pickle.dump(task, self.process.stdin)
        self.process.stdin.flush()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message: FromWorker = pickle.load(self.process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                self._pool.exited(self)
                return
            if isinstance(message, Said):
                self._pool.relay.say(message.text)
            elif isinstance(message, Mapped):
                self._pool.finished(self, message.published)
            else:
                self._pool.finished(self, message.error)


class MapPool:
    """Maps the datasets submitted to it and hands back what each produced, in the order
    they finish; ``mapped`` is also called with each as soon as it is done (from another
    thread when workers are used)."""

    def __init__(self, processes: int, relay: Relay, mapped: OnMapped) -> None:
        self.relay = relay
        self._mapped = mapped
        self._waiting: list[MapTask] = []
        self._ready = 0  # outcomes handed to the relay and not yet taken
        self._lock = threading.Lock()
        self._closing = False
        self.pending = 0
        self._workers = [_Worker(self) for _ in range(processes)]
        self._idle = list(self._workers)

    def submit(self, task: MapTask) -> None:
        """Map ``task``'s dataset: in a worker as soon as one is free, or in this process
        when ``next_mapped`` asks, if there are no workers."""
        with self._lock:
            self.pending += 1
            self._waiting.append(task)
        self._dispatch()

    def _dispatch(self) -> None:
        with self._lock:
            while self._idle and self._waiting:
                self._idle.pop().send(self._waiting.pop(0))

    def finished(self, worker: _Worker, outcome: Published | BaseException) -> None:
        """A worker is done with its dataset (called from its reading thread)."""
        if isinstance(outcome, Published):
            try:
                self._mapped(outcome)
            except BaseException as error:  # this thread must not die: hand it over
                outcome = error
        with self._lock:
            self._idle.append(worker)
            self._ready += 1
        self.relay.hand(outcome)
        self._dispatch()

    def exited(self, worker: _Worker) -> None:
        """A worker's output ended (called from its reading thread)."""
        if not self._closing:
            status = worker.process.wait()
            with self._lock:
                self._ready += 1
            self.relay.hand(PublishError(f"a mapping worker stopped (exit status {status})"))

    def has_result(self) -> bool:
        """Whether a dataset is mapped and waiting to be taken by ``next_mapped``."""
        return self._ready > 0

    def next_mapped(self) -> Published:
        """The next dataset mapped (waiting for it, passing progress on meanwhile).

        :raises SourceError: the mapping's own error (a bad cell names its file:row:column).
        """
        if self.pending == 0:
            raise LookupError("nothing left to map")
        if not self._workers:
            published = map_task(self._waiting.pop(0), self.relay.now)
            self._mapped(published)
        else:
            published = self._receive()
        self.pending -= 1
        return published

    def _receive(self) -> Published:
        # Progress said meanwhile (by workers, or the loader) is passed on while waiting.
        found = self.relay.next_handed()
        with self._lock:
            self._ready -= 1
        if isinstance(found, BaseException):
            raise found
        assert isinstance(found, Published)
        return found

    def close(self, *, now: bool = False) -> None:
        """Let the workers end once idle; with ``now``, stop them whatever they are doing."""
        self._closing = True
        for worker in self._workers:
            if now:
                worker.process.kill()
            elif worker.process.stdin is not None:
                worker.process.stdin.close()  # end of tasks: the worker exits
        for worker in self._workers:
            worker.process.wait()
        self._workers = []
        self.relay.flush()

    def __enter__(self) -> MapPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(now=kind is not None)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process the moment its parent dies (Linux only)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return  # not Linux: ``_follow`` alone notices
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _follow(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.1)
    os._exit(1)  # the parent is gone: nobody will use what this worker makes


def _send(channel: IO[bytes], message: FromWorker) -> None:
    try:
        data = pickle.dumps(message)
    except Exception:  # an error that cannot cross: send its words
        assert isinstance(message, Failed)
        error = message.error
        data = pickle.dumps(Failed(PublishError(f"{type(error).__name__}: {error}")))
    channel.write(data)
    channel.flush()


def serve() -> None:
    """A worker's life: map each task read from standard input, answer on standard output."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, not into the answers
    parent = os.getppid()
    _die_with_parent(parent)
    threading.Thread(target=_follow, args=(parent,), daemon=True).start()
    tasks = sys.stdin.buffer
    while True:
        try:
            task = pickle.load(tasks)
        except EOFError:
            return
        try:
            published = map_task(task, lambda text: _send(channel, Said(text)))
        except BaseException as error:
            error.add_note(f"in a mapping worker:\n{traceback.format_exc()}")
            _send(channel, Failed(error))
        else:
            _send(channel, Mapped(published))
