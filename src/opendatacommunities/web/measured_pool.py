"""The SPARQL query pool, measured: queries waiting for a worker, timeouts, killed workers.

``MeasuredQueryPool`` is the store's ``QueryPool`` with the three points where those happen
observed (taking a free worker, reading a worker's answer, replacing a worker); the pool's
behaviour is unchanged.
"""

from __future__ import annotations

from typing import Any

from opendatacommunities.errors import QueryTimeoutError
from opendatacommunities.store import QueryPool
from opendatacommunities.store.query.messages import FromWorker
from opendatacommunities.web.metrics import Metrics


class MeasuredQueryPool(QueryPool):
    """A ``QueryPool`` reporting to ``Metrics``."""

    metrics: Metrics

    @classmethod
    def adopting(cls, pool: QueryPool, metrics: Metrics) -> MeasuredQueryPool:
        """The same pool as ``pool`` (which must not have started), measured: it takes over
        ``pool``'s configuration, whatever that holds."""
        measured = cls.__new__(cls)
        measured.__dict__.update(vars(pool))
        measured.metrics = metrics
        return measured

    async def _free_worker(self, deadline: float) -> Any:
        self.metrics.sparql_waiting.inc()
        try:
            return await super()._free_worker(deadline)
        except QueryTimeoutError:
            self.metrics.sparql_timeouts.labels("waiting").inc()
            raise
        finally:
            self.metrics.sparql_waiting.dec()

    async def _receive(self, worker: Any) -> FromWorker:
        try:
            return await super()._receive(worker)
        except QueryTimeoutError:
            self.metrics.sparql_timeouts.labels("running").inc()
            raise

    def _replace(self, worker: Any) -> None:
        self.metrics.sparql_killed.inc()
        super()._replace(worker)
