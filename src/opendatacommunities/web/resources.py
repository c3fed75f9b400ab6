"""Resource pages: ``/id/`` (303), ``/doc/``, ``/def/`` and ``/resource?uri=``.

Rendered documents are cached per (release, address, format, page): the data cannot change
until the next release, so a page is rendered once and then served from memory on the event
loop. Most pages render in well under a millisecond, and render on the event loop itself: a
hop to a thread costs about as much, and render threads contending for the GIL hold up every
response the loop is sending. Resources with many links in (a code used by half a million
observations) can take much longer, and render in the threadpool.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import (
    BadRequestError,
    NotAnIriError,
    NotFoundError,
)
from opendatacommunities.formats import BY_SUFFIX, HTML, JSON, JSON_LD, RESOURCE_FORMATS, WebFormat
from opendatacommunities.store import Reader, Release
from opendatacommunities.store.cube.levels import is_observed
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import get_context
from opendatacommunities.web.cube.areas import AreaStatistics, Wanted, area_statistics
from opendatacommunities.web.dataset_facts import DatasetFacts, dataset_facts
from opendatacommunities.web.errors import bad_parameters, invalid_iris
from opendatacommunities.web.http import CACHE_CONTROL, release_headers
from opendatacommunities.web.negotiation import choose, split_suffix
from opendatacommunities.web.notfound import not_found
from opendatacommunities.web.places.areas import area_place
from opendatacommunities.web.representations import render
from opendatacommunities.web.schema_org import dataset_script
from opendatacommunities.web.serving import serve_once
from opendatacommunities.web.stars import rating_of
from opendatacommunities.web.target import Target, requested_page
from opendatacommunities.web.views import Address, PageView, build_page, page_links
from opendatacommunities.web.words import Words

# Characters left as they are when a decoded path goes back into a Location or a link.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# More links in than this (a few pages of them) and a page renders in the threadpool.
INLINE_LINKS = 300


def _format(request: Request, suffix: str | None) -> WebFormat:
    if suffix is not None:
        return BY_SUFFIX[suffix]
    return choose(request.headers.get("accept"), RESOURCE_FORMATS, "This resource")


def _headers(target: Target, view_links: dict[str, str]) -> dict[str, str]:
    fmt, address, page = target.fmt, target.address, target.page
    # JSON-LD processors read rel="alternate" as pointing at a JSON-LD version and take at
    # most one (pyld fails on several): the JSON-LD document names no alternates.
    links = [
        f'<{address.with_format(f.key, page)}>; rel="alternate"; type="{f.media_type}"'
        for f in RESOURCE_FORMATS
        if f is not fmt and fmt is not JSON_LD
    ]
    links += [f'<{href}>; rel="{rel}"' for rel, href in view_links.items()]
    headers = release_headers(target.release, fmt.content_type, fmt.key)
    if links:
        headers["link"] = ", ".join(links)  # one field: RFC 8288 allows either
    if target.negotiated:
        headers["vary"] = "Accept"
        headers["content-location"] = address.with_format(fmt.key, page)
    return headers


def _statistics(target: Target, iri: str, wanted: Wanted) -> AreaStatistics:
    """An area's observations by dataset, for the formats that show them (HTML, JSON)."""
    if target.fmt not in (HTML, JSON):
        return AreaStatistics()  # RDF and CSV documents hold the links in themselves
    return area_statistics(target.release, target.context.iris, iri, target.address, wanted)


def _render(target: Target, iri: str, anything: bool, dataset: str | None = None) -> Rendered:
    context, page, release = target.context, target.page, target.release
    reader = Reader.of(release)
    # Not an IRI (only possible through /resource?uri=): NotAnIriError, a 400.
    known = reader.is_known(iri) if anything else reader.is_subject(iri)
    if not known:
        raise not_found(reader, context.iris, iri)
    size = context.settings.page_size
    stats = _statistics(target, iri, Wanted(dataset, page, size))
    # With dataset=, the page is one of that dataset's figures, and the links in are at 1.
    links_page = 1 if dataset is not None else page
    description = reader.describe(iri, (links_page - 1) * size, size, stats.properties)
    if links_page > description.pages:
        raise NotFoundError(f"There is no page {page}: this resource has {description.pages}.")
    words = Words(context.iris, description.summaries)
    place = area_place(context, release, iri) if target.fmt in (HTML, JSON) else None

    def view() -> PageView:
        page = build_page(description, words, target.address)
        return replace(
            page,
            statistics=stats.datasets,
            dataset=_facts(target),
            stars=rating_of(context.iris, release, iri),
            place=place,
        )

    body = render(
        description,
        view,
        target.fmt,
        context.iris,
        context.templates,
        lambda: dataset_script(context.iris, release, iri),
    )
    headers = _headers(target, page_links(target.address, links_page, description.pages))
    return Rendered(body, headers, headers["etag"])


def _facts(target: Target) -> DatasetFacts | None:
    """A dataset's provenance, size, dumps and queries, for the page of one (``/data/x``)."""
    name = target.address.path.removeprefix("/data/")
    if name == target.address.path or "/" in name:
        return None
    return dataset_facts(target.release, target.context.iris, name)


def _is_observed(release: Release, iri: str) -> bool:
    try:
        return is_observed(release, iri)
    except NotAnIriError:
        return False  # rendering says so at once


def _is_big(release: Release, iri: str) -> bool:
    try:
        return Reader.of(release).links_in(iri, INLINE_LINKS + 1) > INLINE_LINKS
    except NotAnIriError:
        return False  # rendering says so at once


async def serve_description(
    request: Request,
    iri: str,
    address: Address,
    suffix: str | None,
    anything: bool = False,
    threaded: bool = False,
) -> Response:
    """Answer with the description of ``iri`` in the negotiated (or suffixed) format.

    ``anything`` allows IRIs the store only mentions as objects (``/resource``); otherwise
    the store must hold triples about ``iri``. ``threaded`` renders in the threadpool
    whatever the page (a dataset's reads its whole graph once per release).
    """
    context = get_context(request)
    fmt, page = _format(request, suffix), requested_page(request)
    dataset = request.query_params.get("dataset")
    release = context.live.current()
    target = Target(context, release, address, fmt, page, negotiated=suffix is None)

    async def rendered() -> Rendered:
        made = partial(_render, target, iri, anything, dataset)
        # An area's figures are read from the cubes: in a thread, with the big pages.
        observed = fmt in (HTML, JSON) and (threaded or _is_observed(release, iri))
        return await run_in_threadpool(made) if observed or _is_big(release, iri) else made()

    key = (release.id, address, fmt.key, page, target.negotiated, dataset)
    return await serve_once(request, release.id, key, rendered)


def _redirect(location: str) -> Response:
    headers = {"location": location, "vary": "Accept", "cache-control": CACHE_CONTROL}
    return Response(f"See {location}\n", status_code=303, headers=headers, media_type="text/plain")


async def thing(request: Request, path: str) -> Response:
    """A real-world thing: 303 See Other to the document about it."""
    context = get_context(request)
    release = context.live.current()
    reader = Reader.of(release)
    iri = context.iris.id_iri(path)
    stem, suffix = split_suffix(path)
    if reader.is_subject(iri):  # NotAnIriError, a 400, for a path no IRI can hold
        return _redirect("/doc/" + quote(path, safe=_PATH_SAFE))
    if suffix is not None and reader.is_subject(context.iris.id_iri(stem)):
        return _redirect(f"/doc/{quote(stem, safe=_PATH_SAFE)}.{suffix}")
    raise await run_in_threadpool(not_found, reader, context.iris, iri)


async def document(request: Request, path: str) -> Response:
    """The document about ``/id/{path}``, in any format."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.id_iri(stem)
    return await serve_description(
        request, iri, Address("/doc/" + quote(stem, safe=_PATH_SAFE)), suffix
    )


async def definition(request: Request, path: str) -> Response:
    """A vocabulary, class, property, concept scheme or concept (information resources)."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.document_iri("def", stem)
    return await serve_description(
        request, iri, Address("/def/" + quote(stem, safe=_PATH_SAFE)), suffix
    )


async def catalogue(request: Request, suffix: str | None = None) -> Response:
    """The catalogue: every published dataset."""
    if suffix is not None and suffix not in BY_SUFFIX:
        raise NotFoundError(f"There is no format .{suffix}; try one of " + ", ".join(BY_SUFFIX))
    iri = get_context(request).iris.catalogue()
    return await serve_description(request, iri, Address("/data"), suffix)


async def dataset(request: Request, path: str) -> Response:
    """A dataset's page: its description, provenance and size, in any format."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.document_iri("data", stem)
    address = Address("/data/" + quote(stem, safe=_PATH_SAFE))
    # A dataset's own page (not a part of one) reads its whole graph once per release.
    return await serve_description(request, iri, address, suffix, threaded="/" not in stem)


async def _any_resource(request: Request, suffix: str | None) -> Response:
    uri = request.query_params.get("uri", "").strip()
    if not uri:
        raise BadRequestError("Give the IRI to describe: /resource?uri=http://...")
    invalid = invalid_iris("uri", [uri])
    if invalid:
        raise bad_parameters(invalid)
    address = Address("/resource", "uri=" + quote(uri, safe=""))
    return await serve_description(request, uri, address, suffix, anything=True)


async def any_resource(request: Request) -> Response:
    """Describe any IRI the store holds, including other sites' IRIs."""
    return await _any_resource(request, None)


async def any_resource_as(request: Request, suffix: str) -> Response:
    """``/resource`` in the format a suffix names."""
    if suffix not in BY_SUFFIX:
        raise NotFoundError(f"There is no format .{suffix}; try one of " + ", ".join(BY_SUFFIX))
    return await _any_resource(request, suffix)
