"""Every request observed once: an access-log line and its metrics.

``Observed`` wraps the whole app, remembered responses (``FastPath``) and the SPARQL
endpoint included, so each request is counted once however it was answered. The log line is
``client "METHOD path?query HTTP/version" status duration``::

    127.0.0.1:51234 "GET /doc/statistical-geography/E05011083?x=1 HTTP/1.1" 200 0.4ms

The path is logged as the client sent it (percent-encoded), so no decoded character can
break the line. Lines go to the ``opendatacommunities.access`` logger a batch at a time
(every ``FLUSH_SECONDS``, and when the app stops), one record per batch: a record per request
would cost more than serving a remembered page.
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opendatacommunities.web.metrics import Metrics
from opendatacommunities.web.route_labels import RouteLabels

log = logging.getLogger("opendatacommunities.access")

#: The status recorded when the client went away before any response started (as nginx).
CLIENT_GONE = 499
#: How long a line may wait to be written with the others of its batch.
FLUSH_SECONDS = 0.05


def request_line(scope: Scope) -> str:
    """``METHOD /raw/path?query HTTP/x`` as received.

    >>> request_line({"method": "GET", "path": "/a b", "raw_path": b"/a%20b",
    ...               "query_string": b"q=1", "http_version": "1.1"})
    'GET /a%20b?q=1 HTTP/1.1'
    """
    raw = scope.get("raw_path") or scope["path"].encode()
    target = raw.decode("latin-1")
    if scope["query_string"]:
        target += "?" + scope["query_string"].decode("latin-1")
    return f"{scope['method']} {target} HTTP/{scope['http_version']}"


def client_of(scope: Scope) -> str:
    """``host:port`` of the client (after a trusted proxy's ``X-Forwarded-For``), or ``-``."""
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "-"


class AccessLog:
    """Lines for the access log, handed to the logger in batches."""

    def __init__(self, logger: logging.Logger = log, seconds: float = FLUSH_SECONDS) -> None:
        self.logger = logger
        self.seconds = seconds
        self._lines: list[str] = []

    def add(self, line: str) -> None:
        """Log ``line`` with the others of the next ``seconds``."""
        self._lines.append(line)
        if len(self._lines) == 1:
            asyncio.get_running_loop().call_later(self.seconds, self.flush)

    def flush(self) -> None:
        """Log the lines waiting, now."""
        if self._lines:
            lines, self._lines = self._lines, []
            self.logger.info("%s", "\n".join(lines))


def access_log_of(app: Starlette) -> AccessLog | None:
    """The access log of ``app`` (made by ``create_app``), None when it is off."""
    access_log = app.state.access_log
    assert access_log is None or isinstance(access_log, AccessLog)
    return access_log


class Observed:
    """ASGI wrapper: times each request, then logs it and counts it."""

    def __init__(
        self, app: ASGIApp, metrics: Metrics, labels: RouteLabels, access_log: AccessLog | None
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.labels = labels
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, noting the status it sends and how long the whole answer took."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = CLIENT_GONE

        async def noting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        except Exception:
            if status == CLIENT_GONE:
                status = 500  # what the server answers for an app that fails
            raise
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        self.metrics.observe(scope["method"], self.labels.label(scope), status, seconds)
        if self.access_log is not None:
            line = f'{client_of(scope)} "{request_line(scope)}" {status} {seconds * 1e3:.1f}ms'
            self.access_log.add(line)
