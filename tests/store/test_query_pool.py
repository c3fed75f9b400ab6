"""Each query worker has a memory ceiling the operating system enforces: a query that would
blow it gets a 503-class error naming the limit, its worker is replaced, and the next query
is answered as usual."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from opendatacommunities.errors import QueryMemoryError
from opendatacommunities.store import Confinement, Job, QueryPool, ReleaseRoot
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
