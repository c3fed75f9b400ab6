"""Connection bounds of a real uvicorn server configured as ``odc serve`` configures it:
clients that send nothing, or send a request too slowly, are cut off; too many at once
get 503; ordinary requests are unaffected."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from opendatacommunities.config import Settings
from opendatacommunities.web.server import AppFactory, server_config
from tests.plugins.releases import publish
from tests.plugins.servers import serving

HEADER_TIMEOUT = 0.6
BODY_TIMEOUT = 0.6
#: Longer than either timeout, with room for a loaded machine: a connection still open
#: after this was not cut off.
PATIENCE = 5.0


def _production(settings: Settings) -> uvicorn.Config:
    return server_config(settings, AppFactory(settings), configure_logging=False)


def _serve(tmp_path: Path, **options: object) -> Iterator[str]:
    def make(url: str) -> Settings:
        store = tmp_path / "store"
        publish(store, url)
        return Settings(
            base_iri=url, store_dir=store, reload_seconds=0, sparql_workers=1, **options
        )  # type: ignore[arg-type]

    with serving(make, _production) as settings:
        yield settings.base_iri


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A server with short header and body timeouts."""
    yield from _serve(tmp_path, header_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT)


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=PATIENCE)


def _read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took;
    fails if it is still open after ``PATIENCE`` seconds."""
    started = time.monotonic()
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            pytest.fail(f"the server kept the connection open for {PATIENCE} s")
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return received, time.monotonic() - started
        received += chunk


def test_a_connection_that_sends_nothing_is_closed(server: str) -> None:
    with _connect(server) as sock:
        received, seconds = _read_until_closed(sock)
    assert received == b""
    assert HEADER_TIMEOUT * 0.8 < seconds < PATIENCE


@pytest.mark.parametrize(
    "partial",
    [b"GET /healthz HT", b"GET /healthz HTTP/1.1\r\nHost: x\r\nAccept: text/pl"],
    ids=["request line", "headers"],
)
def test_a_half_sent_request_is_closed(server: str, partial: bytes) -> None:
    with _connect(server) as sock:
        sock.sendall(partial)
        received, _ = _read_until_closed(sock)
    assert received == b""


def test_headers_sent_a_byte_at_a_time_are_cut_off(server: str) -> None:
    """Bytes that keep coming do not restart the clock: the whole header has its limit."""
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 200
    started = time.monotonic()
    with _connect(server) as sock:
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.05)
            if time.monotonic() - started > PATIENCE:
                pytest.fail("the server kept reading a trickled header")
    assert time.monotonic() - started < PATIENCE


def test_an_idle_keep_alive_connection_is_closed_after_bytes_between_requests(
    server: str,
) -> None:
    """Blank lines between requests stop the keep-alive timer; the header clock runs."""
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        response = b""
        while not response.endswith(b"\r\n\r\nok\n"):
            response += sock.recv(65536)
        assert response.startswith(b"HTTP/1.1 200")
        sock.sendall(b"\r\n")
        received, _ = _read_until_closed(sock)
    assert received == b""


def test_a_half_sent_body_is_answered_408_and_closed(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nquery=ASK"
        )
        received, seconds = _read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in received.lower()
    assert b"did not arrive within 0.6 s" in received
    assert BODY_TIMEOUT * 0.8 < seconds < PATIENCE


def test_ordinary_requests_are_served(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        for _ in range(3):  # one keep-alive connection
            assert client.get("/healthz").status_code == 200
        answer = client.post("/sparql", data={"query": "ASK {}"}, headers={"accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert answer.text.strip() == "true"


def test_requests_past_the_concurrency_limit_get_503(tmp_path: Path) -> None:
    """Two connections held open (well within their header time) fill a limit of 2."""
    for url in _serve(tmp_path, max_concurrency=2, header_timeout=30.0):
        held = [_connect(url), _connect(url)]
        try:
            time.sleep(0.2)
            answer = httpx.get(url + "/healthz")
            assert answer.status_code == 503
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + PATIENCE
        while httpx.get(url + "/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.1)
