"""Pages of a cube and its parts for browsers: ``/data/{cube}``, each observation
(``/data/{cube}/{codes}/.../{measure}``), each codes-used collection and each code
(``/def/concept/{cube}/{dimension}/{code}``). Anything else asked of these addresses (other
formats, other resources) is the resource pages' (``resources``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError
from opendatacommunities.formats import HTML, RESOURCE_FORMATS
from opendatacommunities.store import Release
from opendatacommunities.web import resources
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.cube import pages as cube_pages
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.resources import (
    code_of,
    code_page,
    codes_used_page,
    dimension_using,
    is_observation,
    observation_page,
)
from opendatacommunities.web.fastpath import remember
from opendatacommunities.web.http import send
from opendatacommunities.web.negotiation import negotiate, split_suffix
from opendatacommunities.web.views import Address

router = APIRouter()

#: Characters left as they are when a path goes back into a link.
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _wants_html(request: Request, suffix: str | None) -> bool:
    if suffix is not None:
        return suffix == "html"
    return negotiate(request.headers.get("accept"), RESOURCE_FORMATS) is HTML


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise BadRequestError(f"page must be a whole number from 1, not {text!r}.")
    return int(text)


def _address(path: str) -> Address:
    return Address(quote(path, safe=PATH_SAFE))


async def _serve(
    context: AppContext,
    release: Release,
    request: Request,
    key: Hashable,
    build: Callable[[], Awaitable[Rendered]],
) -> Response:
    """A page rendered once per release (and per ``key``), then served from memory."""
    rendered = context.cache.get(key)
    if rendered is None:
        rendered = await build()
        context.cache.put(key, rendered)
    remember(context.requests, release.id, request, rendered)
    return send(request, rendered)


@router.api_route("/data/{path}", methods=["GET", "HEAD"], include_in_schema=False)
async def dataset_page(request: Request, path: str) -> Response:
    """A cube's page, for clients that want HTML; anything else is the catalogue's."""
    stem, suffix = split_suffix(path)
    context = get_context(request)
    if _wants_html(request, suffix):
        release = context.live.current()
        cube = await CubeIndex.of(release).cube(context.iris.document_iri("data", stem))
        if cube is not None:
            rendered = await cube_pages.dataset_page(context, release, stem, cube, suffix is None)
            remember(context.requests, release.id, request, rendered)
            return send(request, rendered)
    return await resources.dataset(request, path)


@router.api_route("/data/{dataset}/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def part(request: Request, dataset: str, path: str) -> Response:
    """An observation's or a codes-used collection's page, for clients that want HTML."""
    stem, suffix = split_suffix(path)
    context = get_context(request)
    if _wants_html(request, suffix):
        release = context.live.current()
        cube = await CubeIndex.of(release).cube(context.iris.document_iri("data", dataset))
        iri = context.iris.document_iri("data", f"{dataset}/{stem}")
        address, negotiated = _address(f"/data/{dataset}/{stem}"), suffix is None
        dimension = dimension_using(cube, iri) if cube is not None else None
        if cube is not None and dimension is not None:
            page = _page_number(request)

            def codes() -> Rendered:
                assert cube is not None and dimension is not None
                return codes_used_page(
                    context, release, dataset, cube, dimension, page, address, negotiated
                )

            codes_key = ("codes-used-page", release.id, iri, page, negotiated)
            return await _serve(
                context, release, request, codes_key, lambda: run_in_threadpool(codes)
            )
        if cube is not None and is_observation(release, cube, iri):
            of_cube = cube

            def observation() -> Rendered:
                return observation_page(
                    context, release, dataset, of_cube, iri, address, negotiated
                )

            async def inline() -> Rendered:
                # One observation's page is small and quick: rendered on the event loop, as
                # resource pages are (a thread hop costs as much, and contends for the GIL).
                return observation()

            key = ("observation-page", release.id, iri, negotiated)
            return await _serve(context, release, request, key, inline)
    return await resources.dataset(request, f"{dataset}/{path}")


@router.api_route(
    "/def/concept/{dataset}/{dimension}/{path:path}",
    methods=["GET", "HEAD"],
    include_in_schema=False,
)
async def code(request: Request, dataset: str, dimension: str, path: str) -> Response:
    """A cube's code's page, for clients that want HTML."""
    stem, suffix = split_suffix(path)
    context = get_context(request)
    if _wants_html(request, suffix):
        release = context.live.current()
        index = CubeIndex.of(release)
        cube = await index.cube(context.iris.document_iri("data", dataset))
        iri = context.iris.document_iri("def", f"concept/{dataset}/{dimension}/{stem}")
        found = code_of(cube, iri) if cube is not None else None
        if cube is not None and found is not None:
            address = _address(f"/def/concept/{dataset}/{dimension}/{stem}")
            of_cube, negotiated = cube, suffix is None

            async def build() -> Rendered:
                profile = await index.profile(of_cube)
                return await run_in_threadpool(
                    lambda: code_page(
                        context, release, dataset, of_cube, profile, found, address, negotiated
                    )
                )

            key = ("code-page", release.id, iri, negotiated)
            return await _serve(context, release, request, key, build)
    return await resources.definition(request, f"concept/{dataset}/{dimension}/{path}")
