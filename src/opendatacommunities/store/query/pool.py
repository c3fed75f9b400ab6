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

Each worker confines itself as it starts (``query_sandbox``): no network, and a memory
ceiling. A worker whose query outgrows the ceiling is aborted by the engine; the client then
hears so (``QueryMemoryError``, 503) and a new worker takes its place, as after a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Literal

from opendatacommunities.errors import (
    QueryError,
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnacceptableResultError,
)
from opendatacommunities.store.query.channel import Channel
from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.messages import (
    Chunk,
    Done,
    End,
    Failed,
    FromWorker,
    Kind,
    Lost,
    Ready,
    Start,
    Task,
    Unacceptable,
)
from opendatacommunities.store.query.sandbox import Confinement
from opendatacommunities.store.query.worker import serve

log = logging.getLogger(__name__)

#: An answer up to this size is read whole before the response starts.
HEAD_BYTES = 1 << 20
#: The longest a new worker process may take to start.
STARTUP_SECONDS = 120


@dataclass
class Answer:
    """The start of a query's answer: what kind of result, its first bytes, and the rest."""

    kind: Kind
    """``solutions``, ``boolean`` or ``triples``."""
    head: bytes
    rest: AsyncIterator[bytes] | None = None
    """The remaining chunks when the answer did not fit in the head (read them all)."""


@dataclass
class _Worker:
    process: SpawnProcess
    channel: Channel
    done: bool = False
    """Whether the worker has finished its job (and may take another)."""

    @staticmethod
    def spawn(confinement: Confinement) -> tuple[SpawnProcess, socket.socket]:
        """Start a worker process; return it and the server's end of its socket."""
        ours, theirs = socket.socketpair()
        connection = Connection(theirs.detach())
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=serve, args=(connection, confinement), daemon=True)
        process.start()
        connection.close()
        return process, ours

    @classmethod
    async def start(cls, confinement: Confinement) -> tuple[_Worker, Ready]:
        """Spawn a worker (in a thread: it takes a moment), read its socket on this loop, and
        wait until it says it is ready: the time a new process takes to start never counts
        against a query's time limit.

        :raises QueryError: the worker did not start within ``STARTUP_SECONDS``.
        """
        process, ours = await asyncio.to_thread(cls.spawn, confinement)
        loop = asyncio.get_running_loop()
        _, channel = await loop.connect_accepted_socket(Channel, sock=ours)
        worker = cls(process, channel)
        try:
            async with asyncio.timeout(STARTUP_SECONDS):
                ready = await channel.next_message()
        except BaseException:
            worker.kill()
            raise
        if not isinstance(ready, Ready):
            worker.kill()
            raise QueryError("a query worker failed to start")
        return worker, ready

    def kill(self) -> None:
        """Stop the process at once, whatever it is doing."""
        self.process.kill()
        self.process.join()
        self.channel.close()


class PoolObserver:
    """What a ``QueryPool`` reports as it works; this one ignores it all. Set
    ``QueryPool.observer`` to one that records it (the server's metrics do)."""

    def waiting(self, change: int) -> None:
        """A query started (``+1``) or stopped (``-1``) waiting for a free worker."""

    def timed_out(self, stage: Literal["waiting", "running"]) -> None:
        """A query found no free worker within the time limit, or ran past it."""

    def replaced(self) -> None:
        """A worker was stopped (its query ran out of time or memory, or was abandoned) and
        a new one is started in its place."""


class QueryPool:
    """A fixed number of query workers, handed out one query at a time."""

    observer: PoolObserver = PoolObserver()
    """Told of waits, timeouts and replaced workers; set it before the first query."""

    def __init__(
        self,
        *,
        workers: int,
        timeout: float,
        max_bytes: int,
        confinement: Confinement | None = None,
    ) -> None:
        self.size = max(1, workers)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.confinement = confinement or Confinement()
        self._told = False
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
        started = await asyncio.gather(*(self._start_one() for _ in range(self.size)))
        for worker in started:
            self._idle.put_nowait(worker)

    async def _start_one(self) -> _Worker:
        worker, ready = await _Worker.start(self.confinement)
        if not ready.isolated and not self._told:
            self._told = True  # once per pool: every worker would say the same
            if self.confinement.cut_network:
                log.warning("query workers keep network access: %s", ready.note)
            else:
                log.info("query workers keep network access: %s", ready.note)
        return worker

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
        :raises QueryMemoryError: the query outgrew the worker's memory ceiling.
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
            worker.channel.send(Task(job, self.max_bytes), deadline)
            first = await self._receive(worker)
            if isinstance(first, Start):
                return await self._stream(worker, first.kind)
            if not isinstance(first, Done):
                raise QueryError(f"a query worker answered out of turn: {first!r}")
            self._release(worker)
            return Answer(first.kind, first.body)
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
        self.observer.waiting(+1)
        try:
            if not self._idle.empty():
                return self._idle.get_nowait()  # the usual case: no timer needed
            async with asyncio.timeout_at(deadline):
                return await self._idle.get()
        except TimeoutError:
            self.observer.timed_out("waiting")
            raise QueryTimeoutError(self._busy_message()) from None
        finally:
            self.observer.waiting(-1)

    async def _stream(self, worker: _Worker, kind: Kind) -> Answer:
        head: list[bytes] = []
        size = 0
        while size < HEAD_BYTES:
            data = await self._next_chunk(worker)
            if data is None:
                self._release(worker)
                return Answer(kind, b"".join(head))
            head.append(data)
            size += len(data)
        return Answer(kind, b"".join(head), self._chunks(worker))

    async def _chunks(self, worker: _Worker) -> AsyncIterator[bytes]:
        finished = False
        try:
            while True:
                data = await self._next_chunk(worker)
                if data is None:
                    finished = True
                    return
                yield data
        finally:
            # A client that goes away mid-stream leaves the worker writing: start afresh.
            if finished or worker.done:
                self._release(worker)
            else:
                self._replace(worker)

    async def _next_chunk(self, worker: _Worker) -> bytes | None:
        """The next chunk of a streamed answer, or None at its end."""
        message = await self._receive(worker)
        if isinstance(message, Chunk):
            return message.data
        if isinstance(message, End):
            return None
        raise QueryError(f"a query worker answered out of turn: {message!r}")

    async def _receive(self, worker: _Worker) -> FromWorker:
        message = await worker.channel.next_message()
        if message is None:
            self.observer.timed_out("running")
            raise QueryTimeoutError(
                f"The query ran for longer than this endpoint's limit of {self.timeout:g} s "
                "and was stopped. Narrow it down (more specific patterns, a LIMIT) and try again."
            )
        if isinstance(message, Lost):
            raise await self._loss(worker)
        if isinstance(message, Failed):
            # A worker out of memory is replaced (left not done); any other error ends the job.
            worker.done = message.reason != "memory"
            raise self._error(message)
        if isinstance(message, Unacceptable):
            worker.done = True
            raise UnacceptableResultError(message.kind)
        return message

    async def _loss(self, worker: _Worker) -> QueryError:
        """Why ``worker`` went away: its memory ceiling (the engine aborts when an
        allocation fails), or an unexpected stop."""
        await asyncio.to_thread(worker.process.join, 5)
        if self.confinement.max_memory_bytes and worker.process.exitcode == -signal.SIGABRT:
            return self._memory_error()
        return QueryError("the query worker stopped unexpectedly")

    def _memory_error(self) -> QueryMemoryError:
        megabytes = self.confinement.max_memory_bytes / (1 << 20)
        return QueryMemoryError(
            f"The query needed more memory than this endpoint's limit of {megabytes:g} MB "
            "per query and was stopped. Narrow it down (more specific patterns, a LIMIT, "
            "fewer aggregates over large joins) and try again."
        )

    def _error(self, failure: Failed) -> QueryError:
        if failure.reason == "syntax":
            return QuerySyntaxError(failure.text)
        if failure.reason == "memory":
            return self._memory_error()
        if failure.reason == "too-large":
            megabytes = self.max_bytes / 1e6
            return ResultTooLargeError(
                f"The results are larger than this endpoint's limit of {megabytes:g} MB. "
                "Add a LIMIT, select fewer variables, or use the dataset downloads."
            )
        return QueryError(failure.text)

    def _busy_message(self) -> str:
        return (
            f"All {self.size} query workers stayed busy for {self.timeout:g} s; "
            "please try again shortly."
        )

    def _release(self, worker: _Worker) -> None:
        assert self._idle is not None
        worker.channel.finish()
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        self.observer.replaced()
        worker.kill()
        if not self._closed:
            task = asyncio.ensure_future(self._start_another())
            self._spawning.add(task)  # keep a reference until it is done
            task.add_done_callback(self._spawning.discard)

    async def _start_another(self) -> None:
        assert self._idle is not None
        try:
            worker = await self._start_one()
        except Exception:
            # One worker fewer; the others keep answering (and say so if all are gone).
            log.exception("could not start a query worker in place of a stopped one")
            return
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their query ends."""
        self._closed = True
        while self._idle is not None and not self._idle.empty():
            self._idle.get_nowait().kill()
