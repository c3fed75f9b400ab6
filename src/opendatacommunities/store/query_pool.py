"""SPARQL queries run in worker processes, so that a runaway query can really be stopped.

pyoxigraph cannot cancel a query, and a thread cannot be killed: each query therefore runs in
one of a few worker processes, each holding the current release's store read-only. The
server waits for the answer up to the timeout, then kills the worker and starts another one;
other clients keep being served meanwhile by the other workers (and every page that is not
a SPARQL query by the server process itself).

The pool lives on the server's event loop: a job is written to the worker's socket and the
answer read back by the loop's transport as it arrives, so a query costs the server no
thread and no more system calls than the data needs. A worker writes the results in the
format asked for and sends them in chunks. An answer that
fits in ``HEAD_BYTES`` arrives whole, so its status is known before the response starts; a
larger one streams, and is cut off (the response aborted, never silently truncated) if it
outgrows the size limit.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
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


class _Channel(asyncio.Protocol):
    """The server's end of a worker's socket, read by the event loop.

    Frames are those of ``multiprocessing.connection``: a 4-byte big-endian length (or -1
    and an 8-byte one), then a pickle; so the worker reads and writes a plain
    ``Connection``, while this side needs one ``recv`` per burst of data and no thread.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.inbox: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self.buffer = bytearray()
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport, to write jobs and to pause reading."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        """Move every complete message to the inbox; stop reading while the inbox is full
        (a slow client), so a large result never piles up in memory."""
        self.buffer += data
        while (message := self._next_frame()) is not None:
            self.inbox.put_nowait(pickle.loads(message))
        if self.inbox.qsize() >= INBOX and self.transport is not None and not self.paused:
            self.transport.pause_reading()
            self.paused = True

    def _next_frame(self) -> bytes | None:
        if len(self.buffer) < 4:
            return None
        size, start = int.from_bytes(self.buffer[:4], "big", signed=True), 4
        if size == -1:
            if len(self.buffer) < 12:
                return None
            size, start = int.from_bytes(self.buffer[4:12], "big"), 12
        if len(self.buffer) < start + size:
            return None
        frame = bytes(self.buffer[start : start + size])
        del self.buffer[: start + size]
        return frame

    def connection_lost(self, exc: Exception | None) -> None:
        """The worker died (or was killed): whoever waits on it hears so."""
        self.inbox.put_nowait(("lost",))

    def send(self, job: Job) -> None:
        """Write ``job`` in ``Connection.recv``'s framing."""
        assert self.transport is not None
        body = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.transport.write(len(body).to_bytes(4, "big", signed=True) + body)

    async def next_message(self) -> tuple[Any, ...]:
        """The next message, resuming the reading of the socket once there is room."""
        message = await self.inbox.get()
        if self.paused and self.transport is not None and self.inbox.qsize() < INBOX // 2:
            self.paused = False
            self.transport.resume_reading()
        return message


@dataclass
class _Worker:
    process: SpawnProcess
    channel: _Channel
    done: bool = False
    """Whether the worker has finished its job (and may take another)."""

    @staticmethod
    def spawn() -> tuple[SpawnProcess, socket.socket]:
        """Start a worker process; return it and the server's end of its socket."""
        ours, theirs = socket.socketpair()
        connection = Connection(theirs.detach())
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=serve, args=(connection,), daemon=True)
        process.start()
        connection.close()
        return process, ours

    @classmethod
    async def start(cls) -> _Worker:
        """Spawn a worker (in a thread: it takes a moment) and read its socket on this loop."""
        process, ours = await asyncio.to_thread(cls.spawn)
        loop = asyncio.get_running_loop()
        _, channel = await loop.connect_accepted_socket(_Channel, sock=ours)
        return cls(process, channel)

    def kill(self) -> None:
        """Stop the process at once, whatever it is doing."""
        self.process.kill()
        self.process.join()
        if self.channel.transport is not None:
            self.channel.transport.close()


class QueryPool:
    """A fixed number of query workers, handed out one query at a time."""

    def __init__(self, *, workers: int, timeout: float, max_bytes: int) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._idle: asyncio.Queue[_Worker] | None = None
        self._starting: asyncio.Future[None] | None = None
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        """Start the workers, once."""
        if self._starting is None:
            self._idle = asyncio.Queue()
            self._starting = asyncio.ensure_future(self._start_all())
        await asyncio.shield(self._starting)

    async def _start_all(self) -> None:
        assert self._idle is not None
        for worker in await asyncio.gather(*(_Worker.start() for _ in range(self.size))):
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
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        worker = await self._free_worker(deadline)
        worker.done = False
        try:
            worker.channel.send(job.with_limit(self.max_bytes))
            first = await self._receive(worker, deadline)
            if first[0] != "start":
                self._release(worker)
                return Answer(first[1], first[2])
            return await self._stream(worker, first[1], deadline)
        except BaseException:
            # An error the worker reported ends its job; anything else (the time limit, a
            # cancelled request) leaves it busy: only a new process is sure to be free.
            if worker.done:
                self._release(worker)
            else:
                self._replace(worker)
            raise

    async def _free_worker(self, deadline: float) -> _Worker:
        assert self._idle is not None
        if not self._idle.empty():
            return self._idle.get_nowait()  # the usual case: no timer needed
        try:
            async with asyncio.timeout_at(deadline):
                return await self._idle.get()
        except TimeoutError:
            raise QueryTimeoutError(self._busy_message()) from None

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
            if finished or worker.done:
                self._release(worker)
            else:
                self._replace(worker)

    async def _receive(self, worker: _Worker, deadline: float) -> tuple[Any, ...]:
        channel = worker.channel
        if not channel.inbox.empty():
            message = await channel.next_message()  # already here: no timer needed
        else:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await channel.next_message()
            except TimeoutError:
                raise QueryTimeoutError(
                    f"The query ran for longer than this endpoint's limit of "
                    f"{self.timeout:g} s and was stopped. Narrow it down (more specific "
                    "patterns, a LIMIT) and try again."
                ) from None
        if message[0] == "lost":
            raise QueryError("the query worker stopped unexpectedly")
        if message[0] == "error":
            worker.done = True
            raise self._error(message[1], message[2])
        if message[0] == "unacceptable":
            worker.done = True
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
        assert self._idle is not None
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if not self._closed:
            task = asyncio.ensure_future(self._start_another())
            self._spawning.add(task)  # keep a reference until it is done
            task.add_done_callback(self._spawning.discard)

    async def _start_another(self) -> None:
        assert self._idle is not None
        worker = await _Worker.start()
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their query ends."""
        self._closed = True
        while self._idle is not None and not self._idle.empty():
            self._idle.get_nowait().kill()
