"""Running a list: its page of items, their count and their values, each query in a worker of
the query pool (so the endpoint's time limit really stops a slow one).

A list of one type, perhaps filtered by text, is read from the release's search index (no
query but the values); anything more is asked of the store.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace

import pyoxigraph
from pyoxigraph import RdfFormat, Triple

from opendatacommunities.errors import (
    BadRequestError,
    NotFoundError,
    ParameterError,
    ParameterProblem,
    QueryTimeoutError,
)
from opendatacommunities.formats import NTRIPLES, RESULTS_JSON
from opendatacommunities.store.listing.params import ListParameters
from opendatacommunities.store.listing.query import ListQuery, Scope, resolve
from opendatacommunities.store.listing.sparql import (
    COUNT_CAP,
    VALUES_CAP,
    count_query,
    page_query,
    values_query,
)
from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.pool import Answer, QueryPool
from opendatacommunities.store.releases import Release
from opendatacommunities.store.search import SearchIndex

MAX_CANDIDATES = 5_000
"""The most resources a text (``q``) may match when other filters are applied too."""


@dataclass(frozen=True)
class Count:
    """How many items a list has: exactly, or at least ``number`` (``exact`` false: "more
    than ``number``")."""

    number: int
    exact: bool

    def __str__(self) -> str:
        return f"{self.number:,}" if self.exact else f"more than {self.number:,}"


@dataclass(frozen=True)
class ListPage:
    """One page of a list: its items in order, the count, and what the page shows of them."""

    query: ListQuery
    items: tuple[str, ...]
    count: Count
    has_next: bool
    triples: tuple[Triple, ...]


async def _read(answer: Answer) -> bytes:
    body = answer.head
    if answer.rest is not None:
        body += b"".join([chunk async for chunk in answer.rest])
    return body


_SLOW = (
    "This list took longer than the time limit of {limit:g} s and was stopped: name a type, "
    "add a filter that few resources pass (a value rather than a bound), or sort fewer items."
)


async def _run(pool: QueryPool, job: Job) -> bytes:
    """The answer to ``job``; a timeout says how to make a list quicker."""
    try:
        return await _read(await pool.run(job))
    except QueryTimeoutError:
        raise QueryTimeoutError(_SLOW.format(limit=pool.timeout)) from None


async def _select(pool: QueryPool, release: Release, text: str) -> list[dict[str, dict[str, str]]]:
    job = Job(query=text, store_path=str(release.path), solutions_format=RESULTS_JSON.media_type)
    results = json.loads(await _run(pool, job))
    bindings: list[dict[str, dict[str, str]]] = results["results"]["bindings"]
    return bindings


async def _values(
    pool: QueryPool, release: Release, query: ListQuery, items: tuple[str, ...]
) -> tuple[Triple, ...]:
    if not items:
        return ()
    text = values_query(items, query.columns)
    job = Job(query=text, store_path=str(release.path), graph_format=NTRIPLES.media_type)
    body = await _run(pool, job)
    triples = tuple(quad.triple for quad in pyoxigraph.parse(body, format=RdfFormat.N_TRIPLES))
    if len(triples) >= VALUES_CAP:
        raise BadRequestError(
            f"This page's values run past {VALUES_CAP:,} statements: ask for fewer "
            "_properties or a smaller _pageSize."
        )
    return triples


def _no_page(query: ListQuery, count: Count) -> NotFoundError:
    return NotFoundError(f"There is no page {query.page}: the list has {count} entries.")


async def _from_store(pool: QueryPool, release: Release, query: ListQuery) -> ListPage:
    counted = await _select(pool, release, count_query(query))
    number = int(counted[0]["n"]["value"]) if counted else 0
    count = Count(min(number, COUNT_CAP), number <= COUNT_CAP)
    # Sorting by name costs a look at every item: worth it up to the count's cap, where the
    # list is read in the store's order instead (unless a _sort asks for an order).
    rows = await _select(pool, release, page_query(query, by_name=count.exact))
    items = tuple(
        row["item"]["value"] for row in rows[: query.page_size] if row["item"]["type"] == "uri"
    )
    if query.page > 1 and not items:
        raise _no_page(query, count)
    triples = await _values(pool, release, query, items)
    return ListPage(query, items, count, len(rows) > query.page_size, triples)


async def _from_index(
    pool: QueryPool, release: Release, query: ListQuery, hits: list[str]
) -> ListPage:
    items = tuple(hits[query.offset : query.offset + query.page_size])
    count = Count(len(hits), exact=True)
    if query.page > 1 and not items:
        raise _no_page(query, count)
    triples = await _values(pool, release, query, items)
    has_next = query.offset + query.page_size < len(hits)
    return ListPage(query, items, count, has_next, triples)


def _candidates(
    parameters: ListParameters, index: SearchIndex, kind: str | None
) -> tuple[str, ...]:
    hits = index.search(parameters.text, kind=kind, limit=MAX_CANDIDATES + 1)
    if len(hits) > MAX_CANDIDATES:
        reason = (
            f"matches more than {MAX_CANDIDATES:,} resources, too many to filter further: "
            "give more of the name, or a type"
        )
        raise ParameterError([ParameterProblem("q", reason, parameters.text)])
    return tuple(hit.entry.iri for hit in hits)


async def list_page(
    pool: QueryPool,
    release: Release,
    parameters: ListParameters,
    scope: Scope,
    index: SearchIndex,
) -> ListPage:
    """The page ``parameters`` ask for.

    :raises ParameterError: a name or value that stands for nothing here.
    :raises NotFoundError: the type has no members, or the page lies past the end.
    :raises QueryError: a query failed or ran out of time (``QueryTimeoutError``).
    """
    # Resolving may read the store (what a property holds): off the event loop.
    query = await asyncio.to_thread(resolve, parameters, scope)
    if query.kind is not None and not scope.has_instances(query.kind):
        raise NotFoundError(f"Nothing of type {query.kind} is published.")
    # A search scans the index's names (milliseconds): in a thread, as /search does.
    if query.kind in index.type_counts and not parameters.store_needed:
        hits = await asyncio.to_thread(index.search, parameters.text, kind=query.kind)
        return await _from_index(pool, release, query, [hit.entry.iri for hit in hits])
    if parameters.text:
        found = await asyncio.to_thread(_candidates, parameters, index, query.kind)
        query = replace(query, candidates=found)
    return await _from_store(pool, release, query)
