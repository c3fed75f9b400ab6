"""SPARQL queries run in worker processes, so that a runaway query can really be stopped.

pyoxigraph cannot cancel a query, and a thread cannot be killed: each query therefore runs in
one of a few worker processes, each holding the current release's store read-only. The
server waits for the answer up to the timeout, then kills the worker and starts another one;
other clients keep being served meanwhile by the other workers (and every page that is not
a SPARQL query by the server process itself).

The pool lives on the server's event loop: a job is sent down the worker's pipe and the
answer read back when the pipe becomes readable, so a query costs the server no thread. A
worker writes the results in the format asked for and sends them in chunks. An answer that
fits in ``HEAD_BYTES`` arrives whole, so its status is known before the response starts; a
larger one streams, and is cut off (the response aborted, never silently truncated) if it
outgrows the size limit.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from opendatacommunities.errors import OdcError
from opendatacommunities.store.query_worker import Job, serve

#: An answer up to this size is read whole before the response starts.
HEAD_BYTES = 1 << 20
#: How many chunks may wait for a slow client before the worker's pipe is left unread.
INBOX = 16


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
    rest: AsyncIterator[bytes] | None = None
    """The remaining chunks when the answer did not fit in the head (read them all)."""


@dataclass
class _Worker:
    process: SpawnProcess
    connection: Connection
    inbox: asyncio.Queue[tuple[Any, ...]] = field(default_factory=asyncio.Queue)
    loop: asyncio.AbstractEventLoop | None = None
    """Set while a job runs: the loop watching the pipe."""
    paused: bool = False

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

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Have ``loop`` move messages to the inbox as they arrive."""
        self.loop, self.paused = loop, False
        loop.add_reader(self.connection.fileno(), self.readable)

    def unwatch(self) -> None:
        """Stop watching the pipe (the job is over)."""
        if self.loop is not None and not self.paused and not self.connection.closed:
            self.loop.remove_reader(self.connection.fileno())
        self.loop = None

    def readable(self) -> None:
        """Move the complete messages waiting in the pipe to the inbox; stop reading while
        the inbox is full (a slow client), so a large result never piles up in memory."""
        try:
            while self.inbox.qsize() < INBOX and self.connection.poll():
                self.inbox.put_nowait(self.connection.recv())
        except (EOFError, OSError):
            self.inbox.put_nowait(("error", "store", "the query worker stopped unexpectedly"))
        if self.inbox.qsize() >= INBOX and self.loop is not None:
            self.loop.remove_reader(self.connection.fileno())
            self.paused = True

    async def next_message(self) -> tuple[Any, ...]:
        """The next message, resuming the reading of the pipe once there is room."""
        message = await self.inbox.get()
        if self.paused and self.loop is not None and self.inbox.qsize() < INBOX // 2:
            self.paused = False
            self.loop.add_reader(self.connection.fileno(), self.readable)
        return message


class QueryPool:
    """A fixed number of query workers, handed out one query at a time."""

    def __init__(self, *, workers: int, timeout: float, max_bytes: int) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._starting: asyncio.Future[None] | None = None
        self._closed = False

    async def start(self) -> None:
        """Start the workers, once (in a thread: starting a process takes a moment)."""
        if self._starting is None:
            self._loop = asyncio.get_running_loop()
            self._idle = asyncio.Queue()
            self._starting = asyncio.ensure_future(self._start_all())
        await asyncio.shield(self._starting)

    async def _start_all(self) -> None:
        assert self._idle is not None
        workers = await asyncio.to_thread(lambda: [_Worker.start() for _ in range(self.size)])
        for worker in workers:
            self._idle.put_nowait(worker)

    async def warm(self, store_path: str) -> None:
        """Start the workers and have each open ``store_path`` now rather than on its first
        query."""
        await self.start()
        job = Job("ASK {}", store_path, solutions_format="application/sparql-results+json")
        await asyncio.gather(*(self.run(job) for _ in range(self.size)))

    async def run(self, job: Job) -> Answer:
        """Run ``job`` on a free worker and return its answer.

        :raises QuerySyntaxError: the query does not parse.
        :raises QueryTimeoutError: no answer (or no free worker) within the time limit.
        :raises ResultTooLargeError: the answer is larger than the size limit.
        :raises UnacceptableResultError: neither format in ``job`` suits the result.
        :raises QueryError: the store failed while answering.
        """
        await self.start()
        assert self._idle is not None and self._loop is not None
        deadline = time.monotonic() + self.timeout
        try:
            async with asyncio.timeout(self.timeout):
                worker = await self._idle.get()
        except TimeoutError:
            raise QueryTimeoutError(self._busy_message()) from None
        worker.watch(self._loop)
        try:
            worker.connection.send(job.with_limit(self.max_bytes))
            first = await self._receive(worker, deadline)
            if first[0] != "start":
                self._release(worker)
                return Answer(first[1], first[2])
            return await self._stream(worker, first[1], deadline)
        except BaseException:
            self._replace(worker)
            raise

    async def _stream(self, worker: _Worker, kind: str, deadline: float) -> Answer:
        head: list[bytes] = []
        size = 0
        while size < HEAD_BYTES:
            message = await self._receive(worker, deadline)
            if message[0] == "end":
                self._release(worker)
                return Answer(kind, b"".join(head))
            head.append(message[1])
            size += len(message[1])
        return Answer(kind, b"".join(head), self._chunks(worker, deadline))

    async def _chunks(self, worker: _Worker, deadline: float) -> AsyncIterator[bytes]:
        finished = False
        try:
            while True:
                message = await self._receive(worker, deadline)
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

    async def _receive(self, worker: _Worker, deadline: float) -> tuple[Any, ...]:
        try:
            async with asyncio.timeout_at(self._loop_time(deadline)):
                message = await worker.next_message()
        except TimeoutError:
            raise QueryTimeoutError(
                f"The query ran for longer than this endpoint's limit of {self.timeout:g} s "
                "and was stopped. Narrow it down (more specific patterns, a LIMIT) and try again."
            ) from None
        if message[0] == "error":
            raise self._error(message[1], message[2])
        if message[0] == "unacceptable":
            raise UnacceptableResultError(message[1])
        return message

    def _loop_time(self, deadline: float) -> float:
        assert self._loop is not None
        return self._loop.time() + (deadline - time.monotonic())

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
        assert self._idle is not None
        worker.unwatch()
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        assert self._loop is not None and self._idle is not None
        worker.unwatch()
        worker.kill()
        if self._closed:
            return
        loop, idle = self._loop, self._idle

        def start_another() -> None:
            fresh = _Worker.start()
            loop.call_soon_threadsafe(idle.put_nowait, fresh)

        # Starting a process takes a moment: do it without holding up the event loop.
        threading.Thread(target=start_another, daemon=True).start()

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their query ends."""
        self._closed = True
        while self._idle is not None and not self._idle.empty():
            self._idle.get_nowait().kill()
