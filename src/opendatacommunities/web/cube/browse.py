"""Browsing and slicing statistics cubes.

* ``/data/{dataset}`` (HTML): the cube's page: what it measures, its dimensions, measures,
  attributes, code lists with counts, geography levels, periods and downloads, beside its
  catalogue record. Every other format of ``/data/{dataset}`` is the catalogue's.
* ``/data/{dataset}/slice`` (HTML, ``.csv``, ``.json``): the slicer. Rows along one
  dimension, columns along another (or none), every other dimension locked to one code:
  ``/data/simd2020/slice?rows=refArea&columns=none&measure=incomeRate&sort=-value``. The
  URL names everything that makes the view; codes appear by their labels.
* ``/data/{dataset}/observations.csv``: every observation matching the locks in the query
  string, streamed, with no row cap.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from functools import partial
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import CSV, HTML, JSON, WebFormat
from opendatacommunities.store import Release
from opendatacommunities.store.cube.structure import Cube
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.cube import pages as cube_pages
from opendatacommunities.web.cube.downloads import download_locks, observation_chunks
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_of
from opendatacommunities.web.cube.slices import build_table, table_csv, table_json
from opendatacommunities.web.cube.views import View, resolve
from opendatacommunities.web.http import CACHE_CONTROL, release_headers
from opendatacommunities.web.negotiation import choose
from opendatacommunities.web.serving import serve_once
from opendatacommunities.web.target import Target
from opendatacommunities.web.views import Address

SLICE_FORMATS = (HTML, CSV, JSON)
#: Characters left as they are when a path goes back into a link.
PATH_SAFE = "/:@!$&'()*+,;=-._~"
CORS = {"access-control-allow-origin": "*"}


async def cube_of(context: AppContext, release: Release, dataset: str) -> Cube:
    """The cube ``/data/{dataset}``, read once per release.

    :raises NotFoundError: when no cube has that name.
    """
    cube = await CubeIndex.of(release).cube(context.iris.document_iri("data", dataset))
    if cube is None:
        raise NotFoundError(f"There is no statistics cube at /data/{dataset}.")
    return cube


def _slice_format(request: Request, suffix: str | None) -> WebFormat:
    if suffix is not None:
        found = next((f for f in SLICE_FORMATS if f.key == suffix), None)
        if found is None:
            raise NotFoundError(f"A slice is available as .html, .csv or .json, not .{suffix}.")
        return found
    return choose(request.headers.get("accept"), SLICE_FORMATS, "A slice")


def _headers(
    release: Release, fmt: WebFormat, request: Request, links: dict[str, str]
) -> dict[str, str]:
    variant = hashlib.sha1(f"{request.url.path}?{request.url.query}".encode()).hexdigest()[:16]
    return {
        **release_headers(release, fmt.content_type, f"{fmt.key}-{variant}"),
        "vary": "Accept",
        "link": ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items()),
        **CORS,
    }


def download_url(dataset: str, view: View) -> str:
    """Where every observation matching the view's locks is downloaded."""
    locks = urlencode({dimension.key: code.key for dimension, code in view.locks})
    return f"/data/{dataset}/observations.csv" + (f"?{locks}" if locks else "")


def slice_links(dataset: str, view: View, pages: int) -> dict[str, str]:
    """The view's addresses: itself in each format, its neighbours, its downloads."""
    base = f"/data/{dataset}/slice"
    query = view.query()
    links = {
        "canonical": f"{base}?{query}",
        "alternate csv": f"{base}.csv?{query}",
        "alternate json": f"{base}.json?{query}",
        "describedby": f"/data/{dataset}",
        "download": download_url(dataset, view),
    }
    if view.page > 1:
        links["prev"] = f"{base}?{view.query(page=view.page - 1)}"
    if view.page < pages:
        links["next"] = f"{base}?{view.query(page=view.page + 1)}"
    return links


def _render_slice(target: Target, dataset: str, view: View, request: Request) -> Rendered:
    context, release, fmt = target.context, target.release, target.fmt
    index = CubeIndex.of(release)
    table = build_table(release, index, view)
    if view.page > table.pages:
        raise NotFoundError(f"There is no page {view.page}: this view has {table.pages}.")
    links = slice_links(dataset, view, table.pages)
    if fmt is CSV:
        body = table_csv(table)
    elif fmt is JSON:
        body = table_json(table, links)
    else:
        body = cube_pages.slicer_page(context, dataset, table, links)
    headers = _headers(release, fmt, request, links)
    return Rendered(body, headers, headers["etag"])


async def cube_slice(request: Request, dataset: str, suffix: str | None = None) -> Response:
    """The slicer (HTML), or the slice as CSV or JSON."""
    context = get_context(request)
    fmt = _slice_format(request, suffix)
    release = context.live.current()
    cube = await cube_of(context, release, dataset)
    levels = await run_in_threadpool(levels_of, release, cube)
    view = resolve(cube, request.query_params.multi_items(), levels)
    key = ("slice", release.id, request.url.path, request.url.query, fmt.key)
    # Requests for the same view at the same time render it once.
    target = Target(context, release, Address(f"/data/{dataset}/slice"), fmt, view.page)
    render = partial(_render_slice, target, dataset, view, request)
    return await serve_once(
        request, release.id, key, lambda: CubeIndex.of(release).shared(key, render)
    )


async def cube_observations(request: Request, dataset: str) -> Response:
    """Every observation matching the locks in the query string, as tidy CSV, streamed."""
    context = get_context(request)
    release = context.live.current()
    cube = await cube_of(context, release, dataset)
    locks = download_locks(cube, request.query_params.multi_items())

    async def body() -> AsyncIterator[bytes]:
        chunks = observation_chunks(release, cube, locks)
        while True:
            chunk = await run_in_threadpool(next, chunks, b"")
            if not chunk:
                return
            yield chunk

    name = dataset if not locks else f"{dataset}-slice"
    headers = {
        "content-disposition": f'attachment; filename="{name}.csv"',
        "cache-control": CACHE_CONTROL,
        **CORS,
    }
    return StreamingResponse(body(), media_type=CSV.content_type, headers=headers)
