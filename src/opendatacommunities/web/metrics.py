"""Prometheus metrics: requests, latency, the SPARQL workers and the release, at ``/metrics``.

Requests are counted by method, route template (``/doc/{path}``, never the raw path: the
number of series stays small) and status, with a latency histogram by route. The SPARQL
pool reports how many queries wait for a worker, how many ran out of time, and how many
workers were killed and replaced. The release served and its age are read when scraped.

One server process keeps its metrics in memory. Several (``ODC_WORKERS`` > 1) each write
theirs to a file in ``Settings.metrics_dir`` (prometheus-client's multiprocess mode), and
whichever process answers ``/metrics`` adds them all up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import OdcError
from opendatacommunities.store import LiveStore

#: Latency buckets, in seconds: a remembered page takes well under a millisecond.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
#: The methods counted by name; any other counts as ``other``.
METHODS = frozenset(("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"))


class ReleaseCollector:
    """The release served (``odc_release_info{release=...}``) and its age, read when scraped."""

    def __init__(self, live: LiveStore) -> None:
        self.live = live

    def collect(self) -> Iterable[Metric]:
        """Two gauges about the current release; none while nothing is published."""
        try:
            release = self.live.current()
        except OdcError:
            return []
        info = GaugeMetricFamily(
            "odc_release_info", "The release being served (1)", labels=["release"]
        )
        info.add_metric([release.id], 1)
        age = GaugeMetricFamily(
            "odc_release_age_seconds", "Seconds since the release served was published"
        )
        age.add_metric([], (datetime.now(UTC) - release.published).total_seconds())
        return [info, age]


class Metrics:
    """The server's metrics, and their exposition."""

    def __init__(self, live: LiveStore, sparql_workers: int, directory: Path | None) -> None:
        """Metrics of one app; ``directory`` is the multiprocess directory, if any (it must
        also be in ``PROMETHEUS_MULTIPROC_DIR`` before prometheus-client is imported)."""
        self.directory = directory
        self.registry = CollectorRegistry()
        self.releases = ReleaseCollector(live)
        registry = self.registry
        self.requests = Counter(
            "odc_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "odc_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response, by route template",
            ["route"],
            buckets=BUCKETS,
            registry=registry,
        )
        self.sparql_waiting = Gauge(
            "odc_sparql_queue_depth",
            "SPARQL queries waiting for a free query worker",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.sparql_workers = Gauge(
            "odc_sparql_workers",
            "SPARQL query worker processes",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.sparql_workers.set(max(1, sparql_workers))
        self.sparql_timeouts = Counter(
            "odc_sparql_timeouts",
            "SPARQL queries stopped by the time limit (running) or that found no free "
            "worker within it (waiting)",
            ["stage"],
            registry=registry,
        )
        self.sparql_killed = Counter(
            "odc_sparql_workers_killed",
            "SPARQL query workers killed and replaced (a query stopped, a client gone, "
            "a worker lost)",
            registry=registry,
        )
        self._requests: dict[tuple[str, str, int], Counter] = {}
        self._latency: dict[str, Histogram] = {}
        if directory is None:
            registry.register(self.releases)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        key = (method, route, status)
        counter = self._requests.get(key)
        if counter is None:
            shown = method if method in METHODS else "other"
            counter = self._requests[key] = self.requests.labels(shown, route, str(status))
        counter.inc()
        histogram = self._latency.get(route)
        if histogram is None:
            histogram = self._latency[route] = self.latency.labels(route)
        histogram.observe(seconds)

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format, added up over the server's processes."""
        if self.directory is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(self.directory))  # type: ignore[no-untyped-call]
        registry.register(self.releases)
        return generate_latest(registry)

    def process_stopped(self) -> None:
        """Drop this process's live gauges (its waiting queries, its workers) from the sum."""
        if self.directory is not None:
            multiprocess.mark_process_dead(os.getpid(), str(self.directory))  # type: ignore[no-untyped-call]


def metrics_of(app: Starlette) -> Metrics:
    """The metrics of ``app`` (made by ``create_app``)."""
    metrics = app.state.metrics
    assert isinstance(metrics, Metrics)
    return metrics


async def metrics_page(request: Request) -> Response:
    """The metrics, for Prometheus to scrape (never cached)."""
    body = await run_in_threadpool(metrics_of(request.app).exposition)
    headers = {"cache-control": "no-store"}
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4, headers=headers)
