"""Hostile queries against a live server over a published store: SERVICE in every form
(the listener standing for an internal service must receive nothing), deep nesting, and a
storm of runaway queries whose memory stays within the documented bound while pages keep
being served."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.plugins.listener import MARKER, Listener
from tests.plugins.runaway import RUNAWAY, labels
from tests.plugins.servers import serving_fixtures
from tests.plugins.service_forms import service_queries

WORKERS = 3
CEILING_MB = 1024
PAGE = "/doc/statistical-geography/S12000049"
BYPASSES = [
    "PREFIX : <{base}> SELECT * WHERE {{ SERVICE:internal-api {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}> SELECT * WHERE {{ service:internal-api {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ BIND(ex:a\\# AS ?z) "
    "SERVICE <{base}x> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ BIND(ex:a\\' AS ?z) "
    "SERVICE <{base}x> {{ ?s ?p ?o }} }} # '",
]
NESTED = {
    "braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
    "negations": "SELECT * WHERE { FILTER(" + "!" * 10000 + "true) }",
    "optionals": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 5000 + "}",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixtures and 2,000 long labels, served with a small memory ceiling per worker."""
    root = tmp_path_factory.mktemp("hostile") / "store"

    with serving_fixtures(
        root,
        extra=labels(2000),
        reload_seconds=0,
        sparql_workers=WORKERS,
        sparql_timeout=10,
        sparql_max_memory=CEILING_MB,
        sparql_cache=False,
    ) as settings:
        yield settings.base_iri


def _query(server: str, query: str) -> httpx.Response:
    return httpx.post(f"{server}/sparql", data={"query": query}, timeout=60)


def _base(listener: Listener) -> str:
    return f"http://127.0.0.1:{listener.port}/"


@pytest.mark.parametrize("form", BYPASSES, ids=["glued", "lower-glued", "hash", "quote"])
def test_service_bypasses_are_refused(server: str, listener: Listener, form: str) -> None:
    """The forms that once reached an internal endpoint: 400, nothing reaches it."""
    response = _query(server, form.format(base=_base(listener)))
    assert response.status_code == 400, response.text
    assert "not allowed" in response.text and MARKER not in response.text
    assert listener.requests == []


def test_generated_service_forms_are_refused(server: str, listener: Listener) -> None:
    """Every generated form of SERVICE through the real endpoint: 400, nothing reaches
    the listener."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=service_queries(_base(listener)))
    def refused(query: str) -> None:
        response = _query(server, query)
        assert response.status_code == 400, (query, response.text)
        assert MARKER not in response.text

    refused()
    time.sleep(0.2)
    assert listener.requests == []


@pytest.mark.parametrize("query", NESTED.values(), ids=NESTED.keys())
def test_deep_queries_get_400_and_the_workers_live(server: str, query: str) -> None:
    """Deep nesting and long chains: 400 naming the limit before any worker sees them:
    the same worker processes answer the next query."""
    assert _query(server, "ASK { ?s ?p ?o }").status_code == 200
    workers = set(_children(os.getpid()))
    response = _query(server, query)
    assert response.status_code == 400
    assert "limit is" in response.text
    assert _query(server, "ASK { ?s ?p ?o }").status_code == 200
    assert set(_children(os.getpid())) == workers


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass  # the process has gone
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def _sample(stop: threading.Event, peaks: dict[str, int]) -> None:
    """Peak RSS of the server (this process) and of its workers, sampled until ``stop``."""
    me = os.getpid()
    while not stop.is_set():
        server = _rss_bytes(me)
        workers = sum(_rss_bytes(child) for child in _children(me))
        peaks["server"] = max(peaks.get("server", 0), server)
        peaks["workers"] = max(peaks.get("workers", 0), workers)
        peaks["group"] = max(peaks.get("group", 0), server + workers)
        time.sleep(0.05)


def test_a_runaway_gets_503_naming_the_ceiling(server: str) -> None:
    """A query past the memory ceiling: 503 naming it; the next query is answered."""
    response = _query(server, RUNAWAY)
    assert response.status_code == 503
    assert f"limit of {CEILING_MB} MB" in response.text
    assert _query(server, "ASK { ?s ?p ?o }").status_code == 200


def test_twenty_runaways_stay_within_the_memory_bound(server: str) -> None:
    """20 runaway queries at once: each is stopped (503), the server group's memory stays
    under workers x ceiling + the server, pages keep answering, and afterwards queries are
    answered as before."""
    assert _query(server, "ASK {}").status_code == 200
    stop, peaks = threading.Event(), dict[str, int]()
    sampler = threading.Thread(target=_sample, args=(stop, peaks))
    sampler.start()
    responses: list[httpx.Response] = []
    pages: list[float] = []

    def runaway() -> None:
        responses.append(_query(server, RUNAWAY))

    storm = [threading.Thread(target=runaway) for _ in range(20)]
    for thread in storm:
        thread.start()
    while any(thread.is_alive() for thread in storm):
        started = time.monotonic()
        assert httpx.get(server + PAGE, headers={"accept": "text/html"}).status_code == 200
        pages.append(time.monotonic() - started)
        time.sleep(0.2)
    stop.set()
    sampler.join()
    assert [response.status_code for response in responses] == [503] * 20
    stopped = sum(f"limit of {CEILING_MB} MB" in response.text for response in responses)
    bound = WORKERS * CEILING_MB * (1 << 20) + peaks["server"]
    print(
        f"peak RSS: server {peaks['server'] >> 20} MB, workers {peaks['workers'] >> 20} MB,"
        f" group {peaks['group'] >> 20} MB; bound {bound >> 20} MB;"
        f" {stopped} stopped at the memory ceiling, the others at the time limit;"
        f" {len(pages)} pages, slowest {max(pages):.2f} s"
    )
    assert peaks["workers"] <= WORKERS * CEILING_MB * (1 << 20)
    assert peaks["group"] <= bound
    assert max(pages) < 2.0
    assert _query(server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").status_code == 200
