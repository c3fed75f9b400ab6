"""The SPARQL query pool, measured: queries waiting for a worker, timeouts, killed workers.

``PoolMetrics`` is the ``PoolObserver`` the server gives its ``QueryPool``: each event the
pool reports moves one of the ``Metrics``; the pool's behaviour is unchanged.
"""

from __future__ import annotations

from typing import Literal

from opendatacommunities.store.query.pool import PoolObserver
from opendatacommunities.web.metrics import Metrics


class PoolMetrics(PoolObserver):
    """Reports a ``QueryPool``'s events to ``Metrics``."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def waiting(self, change: int) -> None:
        """Move the gauge of queries waiting for a free worker."""
        self.metrics.sparql_waiting.inc(change)

    def timed_out(self, stage: Literal["waiting", "running"]) -> None:
        """Count a query stopped by the time limit, by the stage it was in."""
        self.metrics.sparql_timeouts.labels(stage).inc()

    def replaced(self) -> None:
        """Count a killed (and replaced) worker."""
        self.metrics.sparql_killed.inc()
