"""A cube's documents as browsers see them: the pages of ``/data/{cube}``, each observation
(``/data/{cube}/{codes}/.../{measure}``), each codes-used collection and each code
(``/def/concept/{cube}/{dimension}/{code}``). Each handler answers None for anything else
asked of these addresses (other formats, other resources): the route table (``web.routes``)
then hands the request to the resource pages (``resources``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.formats import HTML, RESOURCE_FORMATS
from opendatacommunities.store import Release
from opendatacommunities.store.cube.structure import Cube
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
from opendatacommunities.web.negotiation import negotiate, split_suffix
from opendatacommunities.web.serving import serve_once
from opendatacommunities.web.target import Target, requested_page
from opendatacommunities.web.views import Address

#: Characters left as they are when a path goes back into a link.
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def _wants_html(request: Request, suffix: str | None) -> bool:
    if suffix is not None:
        return suffix == "html"
    return negotiate(request.headers.get("accept"), RESOURCE_FORMATS) is HTML


def _address(path: str) -> Address:
    return Address(quote(path, safe=PATH_SAFE))


async def _live_cube(request: Request, dataset: str) -> tuple[AppContext, Release, Cube] | None:
    """The app's context, the live release and its cube ``/data/{dataset}``, if it is one."""
    context = get_context(request)
    release = context.live.current()
    cube = await CubeIndex.of(release).cube(context.iris.document_iri("data", dataset))
    return None if cube is None else (context, release, cube)


async def dataset_page(request: Request, path: str) -> Response | None:
    """``/data/{cube}``: a cube's page, for clients that want HTML; None for the rest."""
    stem, suffix = split_suffix(path)
    if not _wants_html(request, suffix):
        return None
    live = await _live_cube(request, stem)
    if live is None:
        return None
    context, release, cube = live
    negotiated = suffix is None
    key = ("cube-page", release.id, stem, negotiated)
    render = partial(cube_pages.dataset_page, context, release, stem, cube, negotiated)
    return await serve_once(request, release.id, key, render)


async def part(request: Request, path: str) -> Response | None:
    """``/data/{cube}/...``: an observation's or a codes-used collection's page, for clients
    that want HTML; None for the rest."""
    dataset, _, rest = path.partition("/")
    stem, suffix = split_suffix(rest)
    if not rest or not _wants_html(request, suffix):
        return None
    live = await _live_cube(request, dataset)
    if live is None:
        return None
    context, release, cube = live
    iri = context.iris.document_iri("data", f"{dataset}/{stem}")
    address = _address(f"/data/{dataset}/{stem}")
    target = Target(context, release, address, HTML, negotiated=suffix is None)
    dimension = dimension_using(cube, iri)
    if dimension is not None:
        target = replace(target, page=requested_page(request))

        def codes() -> Rendered:
            assert dimension is not None
            return codes_used_page(target, dataset, cube, dimension)

        key = ("codes-used-page", release.id, iri, target.page, target.negotiated)
        return await serve_once(request, release.id, key, lambda: run_in_threadpool(codes))
    if is_observation(release, cube, iri):

        async def inline() -> Rendered:
            # One observation's page is small and quick: rendered on the event loop, as
            # resource pages are (a thread hop costs as much, and contends for the GIL).
            return observation_page(target, dataset, cube, iri)

        return await serve_once(
            request, release.id, ("observation-page", release.id, iri, target.negotiated), inline
        )
    return None


async def code(request: Request, path: str) -> Response | None:
    """``/def/concept/{cube}/{dimension}/{code}``: a cube's code's page, for clients that
    want HTML; None for the rest (and for every other definition)."""
    parts = path.split("/", 3)
    if len(parts) < 4 or parts[0] != "concept" or not all(parts[1:]):
        return None
    _, dataset, dimension, rest = parts
    stem, suffix = split_suffix(rest)
    if not _wants_html(request, suffix):
        return None
    context = get_context(request)
    release = context.live.current()
    index = CubeIndex.of(release)
    cube = await index.cube(context.iris.document_iri("data", dataset))
    iri = context.iris.document_iri("def", f"concept/{dataset}/{dimension}/{stem}")
    found = code_of(cube, iri) if cube is not None else None
    if cube is None or found is None:
        return None
    address = _address(f"/def/concept/{dataset}/{dimension}/{stem}")
    target = Target(context, release, address, HTML, negotiated=suffix is None)
    of_cube = cube

    async def render() -> Rendered:
        profile = await index.profile(of_cube)
        return await run_in_threadpool(lambda: code_page(target, dataset, of_cube, profile, found))

    key = ("code-page", release.id, iri, target.negotiated)
    return await serve_once(request, release.id, key, render)
