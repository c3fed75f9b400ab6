"""The SPARQL query pool as the server uses it: real worker processes over a real release.
A query is answered in the format asked for, whole or streamed; every way a query can fail
is its own error with its own status, and the pool keeps answering afterwards (a worker that
was stopped is replaced)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import pytest

from opendatacommunities.errors import (
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnacceptableResultError,
)
from opendatacommunities.store import Answer, Confinement, Job, QueryPool, ReleaseRoot
from opendatacommunities.store.query.pool import PoolObserver
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.runaway import RUNAWAY, labels

T = TypeVar("T")
JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
CEILING_MB = 1024
LABELS = 2000
#: How many resources have a long label: answers the pool needs no time for.
COUNT = "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/label> ?o }"
#: Every long label: about 2 MB of JSON, more than the head the pool reads whole.
ALL_LABELS = "SELECT ?o { ?s <http://example.org/label> ?o }"
#: A cross product that counts for minutes and holds little memory while it does.
ENDLESS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A published release holding the fixtures and 2,000 labelled resources."""
    root = tmp_path_factory.mktemp("pool") / "store"
    publish(root, BASE, extra=labels(LABELS))
    return str(ReleaseRoot(Path(root)).open_current_read_only().path)


def _with_pool(use: Callable[[QueryPool], Awaitable[T]], **options: Any) -> T:
    """Run ``use`` with a new one-worker pool (options override), closing the pool after."""

    async def run() -> T:
        settings: dict[str, Any] = {"workers": 1, "timeout": 60, "max_bytes": 0}
        pool = QueryPool(**(settings | options))
        try:
            return await use(pool)
        finally:
            pool.close()

    return asyncio.run(run())


async def _whole(answer: Answer) -> bytes:
    rest = [chunk async for chunk in answer.rest] if answer.rest is not None else []
    return answer.head + b"".join(rest)


async def _count_once_free(pool: QueryPool, store_path: str) -> bytes:
    """The count, asked until a worker is free: a worker started in place of a stopped
    one takes a moment (seconds on a loaded machine), longer than a short time limit."""
    deadline = asyncio.get_running_loop().time() + 120
    while True:
        try:
            return (await pool.run(Job(COUNT, store_path, solutions_format=JSON))).head
        except QueryTimeoutError as busy:
            if "stayed busy" not in str(busy) or asyncio.get_running_loop().time() > deadline:
                raise


def _count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_each_kind_of_query_is_answered_in_the_format_asked(store_path: str) -> None:
    async def use(pool: QueryPool) -> list[Answer]:
        return [
            await pool.run(Job(COUNT, store_path, solutions_format=JSON)),
            await pool.run(Job("ASK { ?s ?p ?o }", store_path, solutions_format=JSON)),
            await pool.run(
                Job(
                    "CONSTRUCT { ?s a <http://x/T> } WHERE { ?s <http://example.org/label> ?o }",
                    store_path,
                    graph_format=NTRIPLES,
                )
            ),
        ]

    solutions, boolean, triples = _with_pool(use)
    assert (solutions.kind, boolean.kind, triples.kind) == ("solutions", "boolean", "triples")
    assert _count(solutions.head) == LABELS
    assert json.loads(boolean.head)["boolean"] is True
    assert len(triples.head.decode().splitlines()) == LABELS
    assert all(answer.rest is None for answer in (solutions, boolean, triples))


def test_an_answer_larger_than_the_head_streams_the_rest(store_path: str) -> None:
    async def use(pool: QueryPool) -> tuple[Answer, bytes, bytes]:
        answer = await pool.run(Job(ALL_LABELS, store_path, solutions_format=JSON))
        whole = await _whole(answer)
        after = await pool.run(Job(COUNT, store_path, solutions_format=JSON))
        return answer, whole, after.head

    answer, whole, after = _with_pool(use)
    assert answer.rest is not None
    assert len(answer.head) >= 1 << 20
    assert len(json.loads(whole)["results"]["bindings"]) == LABELS
    assert _count(after) == LABELS  # the worker is free again once the stream is read


def test_a_syntax_error_is_400_and_the_worker_answers_next(store_path: str) -> None:
    async def use(pool: QueryPool) -> tuple[QuerySyntaxError, bytes]:
        with pytest.raises(QuerySyntaxError) as refused:
            await pool.run(Job("SELECT ?s WHERE { ?s ?p }", store_path, solutions_format=JSON))
        answer = await pool.run(Job(COUNT, store_path, solutions_format=JSON))
        return refused.value, answer.head

    error, head = _with_pool(use)
    assert error.status == 400
    assert str(error)  # the parser's message says where
    assert _count(head) == LABELS


def test_a_result_past_the_size_limit_is_refused_naming_the_limit(store_path: str) -> None:
    async def use(pool: QueryPool) -> tuple[ResultTooLargeError, bytes]:
        with pytest.raises(ResultTooLargeError) as refused:
            await pool.run(Job(ALL_LABELS, store_path, solutions_format=JSON))
        answer = await pool.run(Job(COUNT, store_path, solutions_format=JSON))
        return refused.value, answer.head

    error, head = _with_pool(use, max_bytes=100_000)
    assert error.status == 400
    assert "limit of 0.1 MB" in str(error)
    assert _count(head) == LABELS  # small enough: the same worker answers


def test_no_format_the_client_accepts_is_406_naming_the_kind(store_path: str) -> None:
    async def use(pool: QueryPool) -> UnacceptableResultError:
        with pytest.raises(UnacceptableResultError) as refused:
            await pool.run(Job(COUNT, store_path, graph_format=NTRIPLES))
        return refused.value

    error = _with_pool(use)
    assert (error.status, error.kind) == (406, "solutions")
    assert str(error) == "no acceptable format for solutions"


def test_a_query_past_the_time_limit_is_stopped_and_a_new_worker_answers(
    store_path: str,
) -> None:
    """The endless query is stopped at the limit with a 503 saying so; a query waiting for
    the one busy worker meanwhile is told the pool stayed busy; then a new worker answers."""

    async def use(pool: QueryPool) -> tuple[list[BaseException], bytes]:
        await pool.start()
        # Asked together, so both wait until the same moment: no new worker can come first.
        endless = pool.run(Job(ENDLESS, store_path, solutions_format=JSON))
        waiting = pool.run(Job(COUNT, store_path, solutions_format=JSON))
        errors = await asyncio.gather(endless, waiting, return_exceptions=True)
        head = await _count_once_free(pool, store_path)
        return [e for e in errors if isinstance(e, BaseException)], head

    (stopped, busy), head = _with_pool(use, timeout=2)
    assert isinstance(stopped, QueryTimeoutError) and stopped.status == 503
    assert "longer than this endpoint's limit of 2 s" in str(stopped)
    assert isinstance(busy, QueryTimeoutError)
    assert "All 1 query workers stayed busy for 2 s" in str(busy)
    assert _count(head) == LABELS


def test_a_query_past_the_memory_ceiling_is_stopped_and_the_next_answered(
    store_path: str,
) -> None:
    """The runaway is stopped with a 503 naming the ceiling; a new worker answers next."""

    async def use(pool: QueryPool) -> tuple[QueryMemoryError, bytes]:
        with pytest.raises(QueryMemoryError) as stopped:
            await pool.run(Job(RUNAWAY, store_path, solutions_format=JSON))
        answer = await pool.run(Job(COUNT, store_path, solutions_format=JSON))
        return stopped.value, answer.head

    error, head = _with_pool(use, confinement=Confinement(max_memory_bytes=CEILING_MB << 20))
    assert error.status == 503
    assert f"limit of {CEILING_MB} MB" in str(error)
    assert _count(head) == LABELS


def test_warming_opens_the_store_in_every_worker(store_path: str) -> None:
    async def use(pool: QueryPool) -> list[bytes]:
        await pool.warm(store_path)
        jobs = [pool.run(Job(COUNT, store_path, solutions_format=JSON)) for _ in range(2)]
        return [answer.head for answer in await asyncio.gather(*jobs)]

    heads = _with_pool(use, workers=2)
    assert [_count(head) for head in heads] == [LABELS, LABELS]


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
