"""The HTTP client of a remote engine, against Oxigraph server and Virtuoso."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import RemoteRefusedError, RemoteStoreError
from opendatacommunities.store.remote.endpoint import Endpoint, Scope
from tests.plugins.engines import free_port

JSON = "application/sparql-results+json"


def _values(answer: bytes, name: str) -> list[str]:
    return sorted(row[name]["value"] for row in json.loads(answer)["results"]["bindings"])


def _lines(count: int) -> list[bytes]:
    return [f'<urn:t:s{i}> <urn:t:p> "{i}" .\n'.encode() for i in range(count)]


def test_uploads_stream_and_queries_see_the_graphs_they_are_scoped_to(
    endpoint: Endpoint,
) -> None:
    lines = _lines(1000)
    endpoint.put_graph("urn:t:a", lambda: iter(lines), sum(map(len, lines)))
    one = b'<urn:t:x> <urn:t:p> "b" .\n'
    endpoint.post_graph("urn:t:b", lambda: [one], len(one))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:t:p> ?o }"
    assert _values(endpoint.query(count, JSON, Scope(default=["urn:t:a"])), "n") == ["1000"]
    named = "SELECT ?g WHERE { GRAPH ?g { <urn:t:x> ?p ?o } }"
    assert _values(endpoint.query(named, JSON, Scope(named=["urn:t:a", "urn:t:b"])), "g") == [
        "urn:t:b"
    ]
    assert _values(endpoint.query(named, JSON, Scope(named=["urn:t:a"])), "g") == []


def test_updates_and_graph_reads_and_drops(endpoint: Endpoint) -> None:
    endpoint.update('INSERT DATA { GRAPH <urn:t:c> { <urn:t:s> <urn:t:p> "c" } }')
    assert b'"c"' in endpoint.get_graph("urn:t:c")
    endpoint.delete_graph("urn:t:c")
    endpoint.delete_graph("urn:t:c")  # already gone: no error
    assert endpoint.get_graph("urn:t:c").strip() == b""


def test_the_engine_refusing_a_query_is_our_error_naming_the_endpoint(
    endpoint: Endpoint,
) -> None:
    with pytest.raises(RemoteRefusedError, match=r"query refused by http://127\.0\.0\.1"):
        endpoint.query("SELECT WHERE {", JSON)
    with pytest.raises(RemoteRefusedError, match="update refused"):
        endpoint.update("INSERT NONSENSE")


def test_an_engine_nobody_runs_is_reported_not_raised_as_a_traceback() -> None:
    settings = Settings.from_env({"ODC_STORE_URL": f"http://127.0.0.1:{free_port()}/query"})
    client = Endpoint(settings)
    with pytest.raises(RemoteStoreError, match=r"cannot reach http://127\.0\.0\.1:\d+/query"):
        client.query("ASK {}", JSON)
    with pytest.raises(RemoteStoreError, match="update: cannot reach"):
        client.update("CLEAR ALL")
    client.close()


class _Flaky(BaseHTTPRequestHandler):
    """Answers 503 to every other request (a busy engine), counting what it was sent."""

    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(body.decode())
        busy = len(self.seen) % 2 == 1
        self.send_response(503 if busy else 200)
        answer = b"busy" if busy else b'{"head": {}, "boolean": true}'
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def flaky() -> Iterator[str]:
    """A server that is busy on every other request; its address."""
    _Flaky.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_query_is_sent_again_when_the_engine_is_busy_an_update_never(flaky: str) -> None:
    client = Endpoint(Settings.from_env({"ODC_STORE_URL": flaky + "/query"}))
    assert client.query("ASK {}", JSON) == b'{"head": {}, "boolean": true}'
    assert len(_Flaky.seen) == 2
    with pytest.raises(RemoteStoreError, match=r"update refused by .*: 503 busy"):
        client.update("CLEAR ALL")
    assert _Flaky.seen[2:] == ["update=CLEAR+ALL"]
    client.close()
