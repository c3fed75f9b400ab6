"""A local SPARQL endpoint standing for an internal service: a real HTTP server on a free
loopback port that records every request reaching it and answers each with one solution
holding a marker, so a test sees both whether it was called and whether its answer came back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

MARKER = "internal-service-marker-7f3a"
_BODY = (
    '{"head":{"vars":["o"]},"results":{"bindings":[{"o":{"type":"literal","value":"'
    + MARKER
    + '"}}]}}'
).encode()


class Listener:
    """The server and what reached it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                requests.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "application/sparql-results+json")
                self.send_header("content-length", str(len(_BODY)))
                self.end_headers()
                self.wfile.write(_BODY)

            do_GET = do_POST = _answer  # noqa: N815 (http.server's names)

            def log_message(self, *args: object) -> None:
                """Quiet."""

        return Handler


@contextmanager
def listening() -> Iterator[Listener]:
    """A running listener, shut down when the block ends."""
    listener = Listener()
    thread = threading.Thread(target=listener.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        listener.server.shutdown()
        listener.server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    """A SPARQL endpoint on a loopback port standing for an internal service, shared by a
    module's tests (and its module-scoped servers, which are told its address)."""
    with listening() as running:
        yield running


@pytest.fixture
def fresh_listener() -> Iterator[Listener]:
    """The internal-service stand-in, new for the test, so that every request that reached
    it is the test's own doing."""
    with listening() as running:
        yield running
