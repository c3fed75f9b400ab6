"""The app under a real uvicorn server, driven by real linked-data clients."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections import Counter

import httpx
import pytest
import rdflib
from pyld import jsonld
from rdflib import OWL, RDFS, URIRef

from tests.plugins.releases import publish
from tests.plugins.servers import LiveServer
from tests.plugins.web import BROWSER, SG

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def test_rdflib_follows_the_303_and_gets_the_label(live_server: LiveServer) -> None:
    ward = URIRef(live_server.url + SG + "S13002967")
    graph = rdflib.Graph().parse(str(ward))
    assert str(graph.value(ward, RDFS.label)) == "Linn"
    official = URIRef("http://statistics.gov.scot/id/statistical-geography/S13002967")
    assert (ward, OWL.sameAs, official) in graph
    # The council area it links to comes with its name.
    assert str(graph.value(URIRef(live_server.url + SG + "S12000049"), RDFS.label)) == (
        "Glasgow City"
    )


@pytest.mark.parametrize("rdflib_format", ["turtle", "nt", "xml", "json-ld"])
def test_rdflib_asking_for_each_format(live_server: LiveServer, rdflib_format: str) -> None:
    ward = URIRef(live_server.url + SG + "S13002967")
    graph = rdflib.Graph().parse(str(ward), format=rdflib_format)
    assert str(graph.value(ward, RDFS.label)) == "Linn"


def test_every_format_over_http(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, follow_redirects=True) as client:
        ward = URIRef(live_server.url + SG + "S13002967")
        for media_type, rdflib_format in RDF_FORMATS.items():
            response = client.get(SG + "S13002967", headers={"accept": media_type})
            assert response.status_code == 200, media_type
            assert response.headers["content-type"].startswith(media_type)
            graph = rdflib.Graph().parse(data=response.text, format=rdflib_format)
            assert str(graph.value(ward, RDFS.label)) == "Linn"
        document = client.get(SG + "S13002967", headers={"accept": "application/json"}).json()
        assert document["label"] == "Linn"
        table = client.get(SG + "S13002967", headers={"accept": "text/csv"}).text
        assert any(row["object"] == "Linn" for row in csv.DictReader(io.StringIO(table)))
        page = client.get(SG + "S13002967", headers={"accept": BROWSER})
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "<h1>Linn</h1>" in page.text


def _raw_head(url: str, path: str, accept: str) -> list[tuple[str, str]]:
    """The header fields of a GET, exactly as sent, read from a plain socket."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
        sock.sendall((request + "Connection: close\r\n\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received and (chunk := sock.recv(65536)):
            received += chunk
    lines = received.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return [(n.strip().lower(), v.strip()) for n, _, v in (line.partition(":") for line in lines)]


@pytest.mark.parametrize(
    "accept", ["application/ld+json, application/json", "text/turtle", BROWSER]
)
def test_one_link_field_naming_the_other_formats(live_server: LiveServer, accept: str) -> None:
    fields = _raw_head(live_server.url, "/doc/statistical-geography/S13002967", accept)
    links = [value for name, value in fields if name == "link"]
    assert len(links) <= 1
    alternates = links[0].count('rel="alternate"') if links else 0
    # JSON-LD processors (pyld) take at most one alternate link, read as pointing at JSON-LD.
    assert alternates == (0 if accept.startswith("application/ld+json") else 6)


def test_pyld_and_rdflib_dereference_a_uri(live_server: LiveServer) -> None:
    """pyld (the JSON-LD processor most Python consumers use) follows the 303 and reads the
    document, as rdflib does."""
    ward = live_server.url + SG + "S13002967"
    expanded = jsonld.expand(ward)
    node = next(n for n in expanded if n.get("@id") == ward)
    assert node[str(RDFS.label)][0]["@value"] == "Linn"
    graph = rdflib.Graph().parse(ward)
    assert str(graph.value(URIRef(ward), RDFS.label)) == "Linn"


def test_head_and_conditional_get_over_http(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url) as client:
        doc = "/doc/statistical-geography/S13002967.ttl"
        get = client.get(doc)
        head = client.head(doc)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == str(len(get.content))
        again = client.get(doc, headers={"if-none-match": get.headers["etag"]})
        assert again.status_code == 304
        assert client.head(SG + "S13002967").status_code == 303


def test_swapping_a_release_under_load_fails_no_request(live_server: LiveServer) -> None:
    """Clients keep asking while a new release is published: every answer is a 200, and the
    new release's data is served without a restart."""
    doc = "/doc/statistical-geography/S13002967"
    statuses: Counter[int] = Counter()
    seen_new: list[bool] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client_loop(accept: str) -> None:
        with httpx.Client(base_url=live_server.url) as client:
            while not stop.is_set():
                response = client.get(doc + ".json", headers={"accept": accept})
                with lock:
                    statuses[response.status_code] += 1
                    seen_new.append("from a new release" in response.text)

    threads = [threading.Thread(target=client_loop, args=(BROWSER,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)
        news = f"<{live_server.url}{SG}S13002967> <{RDFS.comment}> 'from a new release' ."
        for _ in range(3):
            publish(live_server.settings.store_dir, live_server.url, extra=news)
            time.sleep(0.2)
        deadline = time.monotonic() + 10
        while not any(seen_new[-5:]) and time.monotonic() < deadline:
            time.sleep(0.05)
        with httpx.Client(base_url=live_server.url) as client:
            assert "from a new release" in client.get(doc + ".ttl").text
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert set(statuses) == {200}, statuses
    assert sum(statuses.values()) > 20
