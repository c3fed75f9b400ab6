"""What ``/metrics`` tells operators: requests by route template and status, and the SPARQL
workers' queue, time-outs and replacements."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.plugins.operations import samples, value
from tests.plugins.servers import serving_fixtures
from tests.plugins.web import GLASGOW

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    """Remembered answers (the second and third request) count as much as rendered ones;
    unknown addresses share one label."""
    for _ in range(3):
        assert client.get(GLASGOW).status_code == 200
    assert client.head(GLASGOW).status_code == 200
    assert client.get("/doc/statistical-geography/S99999999").status_code == 404
    assert client.get("/no/such/page-1").status_code == 404
    assert client.get("/no/such/page-2").status_code == 404
    asked = client.post("/sparql", data={"query": "ASK {}"}, headers={"accept": "text/csv"})
    assert asked.status_code == 200
    scraped = samples(client.get("/metrics").text)
    total = "odc_http_requests_total"
    assert value(scraped, total, method="GET", route="/doc/{path}", status="200") == 3
    assert value(scraped, total, method="HEAD", route="/doc/{path}", status="200") == 1
    assert value(scraped, total, method="GET", route="/doc/{path}", status="404") == 1
    assert value(scraped, total, method="GET", route="(unmatched)", status="404") == 2
    assert value(scraped, total, method="POST", route="/sparql", status="200") == 1
    latency = "odc_http_request_duration_seconds_count"
    assert value(scraped, latency, route="/doc/{path}") == 5
    assert (
        value(scraped, "odc_http_request_duration_seconds_bucket", route="/doc/{path}", le="+Inf")
        == 5
    )
    assert not any("S12000049" in str(labels) for _, labels in scraped)
    release = client.get("/readyz").json()["release"]
    assert value(scraped, "odc_release_info", release=release) == 1
    assert 0 <= value(scraped, "odc_release_age_seconds") < 60
    assert value(scraped, "odc_sparql_workers") == 4


def test_sparql_queue_depth_timeouts_and_killed_workers(tmp_path: Path) -> None:
    """One worker, a query that runs out of time, and a second one waiting behind it."""

    with serving_fixtures(tmp_path / "store", sparql_workers=1, sparql_timeout=2.5) as settings:
        url = settings.base_iri
        assert httpx.post(url + "/sparql", data={"query": "ASK {}"}).status_code == 200
        answers: dict[str, httpx.Response] = {}

        def ask(name: str, query: str) -> None:
            answers[name] = httpx.post(url + "/sparql", data={"query": query}, timeout=30)

        runaway = threading.Thread(target=ask, args=("runaway", RUNAWAY))
        waiting = threading.Thread(target=ask, args=("waiting", "ASK { ?s ?p ?o }"))
        runaway.start()
        time.sleep(0.3)
        waiting.start()
        deadline = time.monotonic() + 1.5  # well before the runaway query's time is up
        during = samples(httpx.get(url + "/metrics").text)
        while value(during, "odc_sparql_queue_depth") < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
            during = samples(httpx.get(url + "/metrics").text)
        runaway.join()
        waiting.join()
        after = samples(httpx.get(url + "/metrics").text)
    assert value(during, "odc_sparql_queue_depth") == 1
    assert answers["runaway"].status_code == 503
    assert value(after, "odc_sparql_timeouts_total", stage="running") == 1
    waited_out = 1 if answers["waiting"].status_code == 503 else 0
    assert value(after, "odc_sparql_timeouts_total", stage="waiting") == waited_out
    assert value(after, "odc_sparql_workers_killed_total") == 1
    assert value(after, "odc_sparql_queue_depth") == 0
