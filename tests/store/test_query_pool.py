"""Each query worker has a memory ceiling the operating system enforces: a query that would
blow it gets a 503-class error naming the limit, its worker is replaced, and the next query
is answered as usual."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Literal

import pytest

from opendatacommunities.errors import QueryMemoryError, QueryTimeoutError
from opendatacommunities.store import Confinement, Job, QueryPool, ReleaseRoot
from opendatacommunities.store.query.pool import PoolObserver
from tests.runaway import RUNAWAY, labels
from tests.store.publishing import publish

JSON = "application/sparql-results+json"
CEILING_MB = 1024


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A published release holding the fixtures and 2,000 labelled resources."""
    root = tmp_path_factory.mktemp("pool") / "store"
    publish(root, "http://localhost:8000", extra=labels(2000))
    return str(ReleaseRoot(Path(root)).open_current_read_only().path)


async def _runaway_then_count(store_path: str) -> tuple[QueryMemoryError, bytes]:
    pool = QueryPool(
        workers=1,
        timeout=60,
        max_bytes=0,
        confinement=Confinement(max_memory_bytes=CEILING_MB << 20),
    )
    try:
        with pytest.raises(QueryMemoryError) as stopped:
            await pool.run(Job(RUNAWAY, store_path, solutions_format=JSON))
        count = "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/label> ?o }"
        answer = await pool.run(Job(count, store_path, solutions_format=JSON))
        return stopped.value, answer.head
    finally:
        pool.close()


def test_a_query_past_the_memory_ceiling_is_stopped_and_the_next_answered(
    store_path: str,
) -> None:
    """The runaway is stopped with a 503 naming the ceiling; a new worker answers next."""
    error, head = asyncio.run(_runaway_then_count(store_path))
    assert error.status == 503
    assert f"limit of {CEILING_MB} MB" in str(error)
    assert b'"2000"' in head


class _Recorder(PoolObserver):
    """Keeps every event a pool reports."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.waiting_now = 0

    def waiting(self, change: int) -> None:
        self.waiting_now += change
        self.events.append(f"waiting {change:+d}")

    def timed_out(self, stage: Literal["waiting", "running"]) -> None:
        self.events.append(f"timed out {stage}")

    def replaced(self) -> None:
        self.events.append("replaced")


SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


async def _two_at_once_on_one_worker(store_path: str, observer: PoolObserver) -> list[object]:
    pool = QueryPool(workers=1, timeout=1.5, max_bytes=0)
    pool.observer = observer
    await pool.start()
    try:
        jobs = [pool.run(Job(SLOW, store_path, solutions_format=JSON)) for _ in range(2)]
        return list(await asyncio.gather(*jobs, return_exceptions=True))
    finally:
        pool.close()


def test_the_pool_reports_waits_timeouts_and_replaced_workers(store_path: str) -> None:
    """One worker, two slow queries: one runs past the limit (its worker is replaced), the
    other finds no free worker in time; the observer hears of each."""
    recorder = _Recorder()
    outcomes = asyncio.run(_two_at_once_on_one_worker(store_path, recorder))
    assert all(isinstance(outcome, QueryTimeoutError) for outcome in outcomes)
    assert sorted(e for e in recorder.events if e.startswith("timed out")) == [
        "timed out running",
        "timed out waiting",
    ]
    assert recorder.events.count("replaced") == 1
    assert recorder.events.count("waiting +1") == 2
    assert recorder.waiting_now == 0
