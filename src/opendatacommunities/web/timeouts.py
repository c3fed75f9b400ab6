"""How long a client may take to send its request: a bound on the headers and on the body.

uvicorn closes an idle keep-alive connection, but has no bound on a connection that has sent
nothing yet, a request line or headers sent a byte at a time, or a body that never ends:
each holds a connection (and counts against the concurrency limit) for as long as the client
likes. ``HeaderTimeoutProtocol`` closes a connection whose request headers are not complete
within ``header_timeout`` seconds of the connection (or of the next request's first byte);
``BodyTimeout`` bounds the wait for each part of a request body, answering 408.
A connection is closed up to a quarter of the timeout (a second at most) after it is due.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from opendatacommunities.errors import BodyTimeoutError


class ServerConfig(Config):
    """uvicorn's configuration, plus the header timeout ``HeaderTimeoutProtocol`` reads."""

    def __init__(self, app: Any, *, header_timeout: float, **options: Any) -> None:
        super().__init__(app, http=HeaderTimeoutProtocol, **options)
        self.header_timeout = header_timeout


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose headers do not come in time.

    A request only notes when its headers are due (no timer per request: a server answering
    thousands of requests a second would spend its time arming and cancelling them); one
    ``_Sweeper`` per server closes the connections that are overdue.
    """

    headers_due: float | None = None
    """The loop time by which the request being received must have sent its headers."""

    def _expect_headers(self) -> None:
        if self.headers_due is None and isinstance(self.config, ServerConfig):
            self.headers_due = self.loop.time() + self.config.header_timeout
            _Sweeper.watching(self.server_state, self.loop, self.config.header_timeout)

    def headers_too_slow(self) -> None:
        """Give up on this connection: its request did not arrive in time."""
        self.headers_due = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the first request's headers are due."""
        super().connection_made(transport)
        self._expect_headers()

    def data_received(self, data: bytes) -> None:
        """Feed the parser; bytes between requests (which stop the keep-alive timer without
        starting a request) start the clock too."""
        super().data_received(data)
        between_requests = self.cycle is None or self.cycle.response_complete
        if between_requests and self.timeout_keep_alive_task is None and self.parser:
            self._expect_headers()

    def on_message_begin(self) -> None:
        """A new request's first bytes: its headers are due."""
        super().on_message_begin()
        self._expect_headers()

    def on_headers_complete(self) -> None:
        """The headers are in: stop the clock (the body has its own bound)."""
        self.headers_due = None
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self.headers_due = None
        super().connection_lost(exc)


class _Sweeper:
    """Closes a server's connections whose headers are overdue, looking a few times per
    timeout while the server has connections."""

    def __init__(self, state: ServerState, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self.state = state
        self.loop = loop
        self.every = min(1.0, timeout / 4)

    @classmethod
    def watching(cls, state: ServerState, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        """Make sure a sweeper looks at ``state``'s connections."""
        if state not in _SWEEPERS:
            sweeper = _SWEEPERS[state] = cls(state, loop, timeout)
            loop.call_later(sweeper.every, sweeper.sweep)

    def sweep(self) -> None:
        """Close the overdue connections; look again later while any connection is open."""
        now = self.loop.time()
        for connection in list(self.state.connections):
            due = getattr(connection, "headers_due", None)
            if due is not None and due <= now and isinstance(connection, HeaderTimeoutProtocol):
                connection.headers_too_slow()
        if self.state.connections:
            self.loop.call_later(self.every, self.sweep)
        else:
            del _SWEEPERS[self.state]


#: The sweeper of each running server.
_SWEEPERS: weakref.WeakKeyDictionary[ServerState, _Sweeper] = weakref.WeakKeyDictionary()


class BodyTimeout:
    """ASGI wrapper: each wait for a part of the request body is bounded by ``seconds``; past
    it the app sees ``BodyTimeoutError`` (answered 408 while a response can still be sent),
    and the connection is closed after the response."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a bounded ``receive``."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            # Nothing here reads a GET's body; a body sent anyway is bounded by the
            # header timeout of the connection's next request.
            await self.app(scope, receive, send)
            return
        state = {"complete": False, "expired": False}

        async def bounded_receive() -> Message:
            if state["complete"]:
                return await receive()  # only the disconnect is left: no bound on that
            try:
                async with asyncio.timeout(self.seconds):
                    message = await receive()
            except TimeoutError:
                state["expired"] = True
                raise BodyTimeoutError(
                    f"The request body did not arrive within {self.seconds:g} s."
                ) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["complete"] = True
            return message

        async def closing_send(message: Message) -> None:
            if state["expired"] and message["type"] == "http.response.start":
                # The rest of the body may still be on its way: do not read it as a request.
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, bounded_receive, closing_send)
