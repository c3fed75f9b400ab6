"""Clients that go away are ordinary events: a real uvicorn server, raw socket clients that
abandon a POST body or stop reading a large download, and the server's log read back."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.plugins.servers import serving_fixtures

# Every triple of triples: hundreds of megabytes, still being written at the time limit.
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Records(logging.Handler):
    """Keeps every record logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep it."""
        self.records.append(record)

    def text(self) -> str:
        """What a log file would hold, tracebacks included."""
        formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Records]]:
    """A live server with a 2 s query limit, and every log record it writes (ours and
    uvicorn's, which does not propagate to the root logger)."""

    records = Records()
    ours = logging.getLogger("opendatacommunities")
    level = ours.level
    ours.setLevel(logging.INFO)
    with serving_fixtures(tmp_path / "store", sparql_timeout=2, sparql_workers=1) as settings:
        loggers = [logging.getLogger(), logging.getLogger("uvicorn")]
        for logger in loggers:
            logger.addHandler(records)
        try:
            yield settings.base_iri, records
        finally:
            for logger in loggers:
                logger.removeHandler(records)
            ours.setLevel(level)


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _assert_quiet_and_serving(url: str, records: Records, words: str) -> None:
    deadline = time.monotonic() + 10
    while words not in records.text() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = records.text()
    assert words in log, log
    assert "Traceback" not in log and not any(r.exc_info for r in records.records), log
    assert not any(r.levelno >= logging.ERROR for r in records.records), log
    answer = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert answer.status_code == 200


def test_an_abandoned_post_body_is_logged_as_such(server: tuple[str, Records]) -> None:
    url, records = server
    with _connect(url) as sock:
        head = (
            "POST /sparql HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
        )
        sock.sendall(head.encode() + b"query=SELECT")
        time.sleep(0.2)  # the server is reading the body now
    _assert_quiet_and_serving(url, records, "went away")


def test_a_download_the_client_stops_reading_is_cut_quietly(
    server: tuple[str, Records],
) -> None:
    url, records = server
    with _connect(url) as sock:
        path = "/sparql.csv?" + str(httpx.QueryParams({"query": ENDLESS}))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        received = sock.recv(65536)
        assert received.startswith(b"HTTP/1.1 200")
        while len(received) < 1_500_000:  # past the first megabyte, read before it starts
            received += sock.recv(65536)
        time.sleep(3)  # reads no more: the query runs past its 2 s limit meanwhile
        tail = b""
        while chunk := sock.recv(65536):  # then reads on, as a slow client would
            tail = (tail + chunk)[-16:]
    assert not tail.endswith(b"\r\n0\r\n\r\n")  # cut: no last chunk, never passed off whole
    _assert_quiet_and_serving(url, records, "cut short")
