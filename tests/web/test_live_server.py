"""The app under a real uvicorn server, driven by real linked-data clients."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections import Counter

import httpx
import pytest
import rdflib
from rdflib import OWL, RDFS, URIRef

from tests.store.publishing import publish
from tests.web.conftest import BROWSER, SG, LiveServer

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
