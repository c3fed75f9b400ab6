"""SPARQL queries run in worker processes, so that a runaway query can really be stopped.

pyoxigraph cannot cancel a query, and a thread cannot be killed: each query therefore runs in
one of a few worker processes, each holding the current release's store read-only. The
server waits for the answer up to the timeout, then kills the worker and starts another one;
other clients keep being served meanwhile by the other workers (and every page that is not
a SPARQL query by the server process itself).

A worker writes the results in the format asked for and sends them back in chunks. An answer
that fits in ``HEAD_BYTES`` arrives whole, so its status is known before the response starts;
a larger one streams, and is cut off (the response aborted, never silently truncated) if it
outgrows the size limit.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from opendatacommunities.errors import OdcError
from opendatacommunities.store.query_worker import Job, serve

log = logging.getLogger(__name__)

#: An answer up to this size is read whole before the response starts.
HEAD_BYTES = 1 << 20


class QueryError(OdcError):
    """A SPARQL query could not be answered."""


class QuerySyntaxError(QueryError):
    """The query does not parse; the message says where."""

    status = 400


class QueryTimeoutError(QueryError):
    """The query ran past the time limit and was stopped."""

    status = 503


class ResultTooLargeError(QueryError):
    """The results outgrew the size limit."""

    status = 400


class UnacceptableResultError(QueryError):
    """No format the client accepts can hold this kind of result."""

    status = 406

    def __init__(self, kind: str) -> None:
        super().__init__(f"no acceptable format for {kind}")
        self.kind = kind


@dataclass
class Answer:
    """The start of a query's answer: what kind of result, its first bytes, and the rest."""

    kind: str
    """``solutions``, ``boolean`` or ``triples``."""
    head: bytes
    rest: Iterator[bytes] | None = None
    """The remaining chunks when the answer did not fit in the head (read them all)."""


@dataclass
class _Worker:
    process: SpawnProcess
    connection: Connection

    @classmethod
    def start(cls) -> _Worker:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryPool:
    """A fixed number of query workers, handed out one query at a time."""

    def __init__(self, *, workers: int, timeout: float, max_bytes: int) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                self._started = True
                for _ in range(self.size):
                    self._idle.put(_Worker.start())

    def run(self, job: Job) -> Answer:
        """Run ``job`` on a free worker and return its answer (blocking).

        :raises QuerySyntaxError: the query does not parse.
        :raises QueryTimeoutError: no answer (or no free worker) within the time limit.
        :raises ResultTooLargeError: the answer is larger than the size limit.
        :raises UnacceptableResultError: neither format in ``job`` suits the result.
        :raises QueryError: the store failed while answering.
        """
        self._ensure_started()
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeoutError(self._busy_message()) from None
        try:
            worker.connection.send(job.with_limit(self.max_bytes))
            first = self._receive(worker, deadline)
        except BaseException:
            self._replace(worker)
            raise
        if first[0] != "start":
            self._release(worker)
            return Answer(first[1], first[2])
        return self._stream(worker, first[1], deadline)

    def _stream(self, worker: _Worker, kind: str, deadline: float) -> Answer:
        head: list[bytes] = []
        size = 0
        try:
            while size < HEAD_BYTES:
                message = self._receive(worker, deadline)
                if message[0] == "end":
                    self._release(worker)
                    return Answer(kind, b"".join(head))
                head.append(message[1])
                size += len(message[1])
        except BaseException:
            self._replace(worker)
            raise
        return Answer(kind, b"".join(head), self._chunks(worker, deadline))

    def _chunks(self, worker: _Worker, deadline: float) -> Iterator[bytes]:
        finished = False
        try:
            while True:
                message = self._receive(worker, deadline)
                if message[0] == "end":
                    finished = True
                    return
                yield message[1]
        finally:
            # A client that goes away mid-stream leaves the worker writing: start afresh.
            if finished:
                self._release(worker)
            else:
                self._replace(worker)

    def _receive(self, worker: _Worker, deadline: float) -> tuple[Any, ...]:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not worker.connection.poll(remaining):
            raise QueryTimeoutError(
                f"The query ran for longer than this endpoint's limit of {self.timeout:g} s "
                "and was stopped. Narrow it down (more specific patterns, a LIMIT) and try again."
            )
        try:
            message: tuple[Any, ...] = worker.connection.recv()
        except (EOFError, OSError):
            raise QueryError("the query worker stopped unexpectedly") from None
        if message[0] == "error":
            raise self._error(message[1], message[2])
        if message[0] == "unacceptable":
            raise UnacceptableResultError(message[1])
        return message

    def _error(self, kind: str, text: str) -> QueryError:
        if kind == "syntax":
            return QuerySyntaxError(text)
        if kind == "too-large":
            megabytes = self.max_bytes / 1e6
            return ResultTooLargeError(
                f"The results are larger than this endpoint's limit of {megabytes:g} MB. "
                "Add a LIMIT, select fewer variables, or use the dataset downloads."
            )
        return QueryError(text)

    def _busy_message(self) -> str:
        return (
            f"All {self.size} query workers stayed busy for {self.timeout:g} s; "
            "please try again shortly."
        )

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if not self._closed:
            # Starting a process takes a moment: do it without holding up this request.
            threading.Thread(target=lambda: self._idle.put(_Worker.start()), daemon=True).start()

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their query ends."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
