"""The server's end of a query worker's socket, read by the event loop.

Frames are those of ``multiprocessing.connection``: a 4-byte big-endian length (or -1 and an
8-byte one), then a pickle. The worker reads and writes a plain blocking ``Connection``;
this side is an ``asyncio.Protocol``, so the loop reads whatever has arrived with one
``recv`` and no thread waits on any worker.

A channel carries one job at a time. Its deadline is one timer for the whole job: when it
fires, whoever waits for the next message hears that time is up.
"""

from __future__ import annotations

import asyncio
import pickle
from collections import deque

from opendatacommunities.store.query.messages import FromWorker, Lost

#: How many messages may wait for a slow client before the socket is left unread.
INBOX = 16


class Channel(asyncio.Protocol):
    """Messages from one worker, in order, and a way to send it jobs."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.messages: deque[FromWorker | Lost] = deque()
        self.buffer = bytearray()
        self.paused = False
        self.expired = False
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport, to write jobs and to pause reading."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        """Queue every complete message; stop reading while many wait (a slow client), so
        a large result never piles up in memory."""
        self.buffer += data
        while (frame := self._next_frame()) is not None:
            self.messages.append(pickle.loads(frame))
        if len(self.messages) >= INBOX and self.transport is not None and not self.paused:
            self.transport.pause_reading()
            self.paused = True
        self._wake()

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
        self.messages.append(Lost())
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def send(self, message: object, deadline: float) -> None:
        """Write ``message`` (a task) in ``Connection.recv``'s framing; time is up for it at
        ``deadline`` (event loop time)."""
        assert self.transport is not None
        body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.transport.write(len(body).to_bytes(4, "big", signed=True) + body)
        self.expired = False
        self._timer = asyncio.get_running_loop().call_at(deadline, self._expire)

    def _expire(self) -> None:
        self.expired = True
        self._wake()

    def finish(self) -> None:
        """The job is over: its deadline no longer counts."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def next_message(self) -> FromWorker | Lost | None:
        """The next message, or None once the job's deadline has passed. Reading the socket
        resumes once there is room again."""
        while not self.messages:
            if self.expired:
                return None
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self.expired:
            return None
        message = self.messages.popleft()
        if self.paused and self.transport is not None and len(self.messages) < INBOX // 2:
            self.paused = False
            self.transport.resume_reading()
        return message

    def close(self) -> None:
        """Close the socket (the worker is gone or going)."""
        self.finish()
        if self.transport is not None:
            self.transport.close()
