"""Resource pages: ``/id/`` (303), ``/doc/``, ``/def/`` and ``/resource?uri=``.

Rendered documents are cached per (release, address, format, page): the data cannot change
until the next release, so a page is rendered once and then served from memory on the event
loop. Most pages render in well under a millisecond, and render on the event loop itself: a
hop to a thread costs about as much, and render threads contending for the GIL hold up every
response the loop is sending. Resources with many links in (a code used by half a million
observations) can take much longer, and render in the threadpool.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError, NotAcceptableError, NotFoundError
from opendatacommunities.formats import BY_SUFFIX, JSON_LD, RESOURCE_FORMATS, WebFormat
from opendatacommunities.store import Reader, Release
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.errors import bad_parameters, invalid_iris
from opendatacommunities.web.fastpath import remember
from opendatacommunities.web.http import CACHE_CONTROL, http_date, make_etag, send
from opendatacommunities.web.negotiation import describe_offer, negotiate, split_suffix
from opendatacommunities.web.notfound import not_found
from opendatacommunities.web.representations import render
from opendatacommunities.web.views import Address, build_page, page_links
from opendatacommunities.web.words import Words

router = APIRouter()

# Characters left as they are when a decoded path goes back into a Location or a link.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
MAX_PAGE = 100_000
# More links in than this (a few pages of them) and a page renders in the threadpool.
INLINE_LINKS = 300


def _format(request: Request, suffix: str | None) -> WebFormat:
    if suffix is not None:
        return BY_SUFFIX[suffix]
    chosen = negotiate(request.headers.get("accept"), RESOURCE_FORMATS)
    if chosen is None:
        offer = describe_offer(RESOURCE_FORMATS)
        raise NotAcceptableError(
            f"None of the media types in your Accept header is available here. "
            f"This resource is available as: {offer}.",
            available=[f.media_type for f in RESOURCE_FORMATS],
            headers={"vary": "Accept"},
        )
    return chosen


def _page(request: Request) -> int:
    text = request.query_params.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise BadRequestError(f"page must be a whole number from 1 to {MAX_PAGE}, not {text!r}")
    return int(text)


def _headers(
    release: Release,
    fmt: WebFormat,
    address: Address,
    page: int,
    negotiated: bool,
    view_links: dict[str, str],
) -> dict[str, str]:
    # JSON-LD processors read rel="alternate" as pointing at a JSON-LD version and take at
    # most one (pyld fails on several): the JSON-LD document names no alternates.
    links = [
        f'<{address.with_format(f.key, page)}>; rel="alternate"; type="{f.media_type}"'
        for f in RESOURCE_FORMATS
        if f is not fmt and fmt is not JSON_LD
    ]
    links += [f'<{href}>; rel="{rel}"' for rel, href in view_links.items()]
    headers = {
        "content-type": fmt.content_type,
        "etag": make_etag(release.id, fmt.key),
        "last-modified": http_date(release.published),
        "cache-control": CACHE_CONTROL,
    }
    if links:
        headers["link"] = ", ".join(links)  # one field: RFC 8288 allows either
    if negotiated:
        headers["vary"] = "Accept"
        headers["content-location"] = address.with_format(fmt.key, page)
    return headers


def _render(
    context: AppContext,
    release: Release,
    iri: str,
    address: Address,
    fmt: WebFormat,
    page: int,
    negotiated: bool,
    anything: bool,
) -> Rendered:
    reader = Reader.of(release)
    try:
        known = reader.is_known(iri) if anything else reader.is_subject(iri)
    except ValueError as exc:  # not an IRI: only possible through /resource?uri=
        raise BadRequestError(f"not an IRI: {iri!r} ({exc})") from exc
    if not known:
        raise not_found(reader, context.iris, iri)
    size = context.settings.page_size
    description = reader.describe(iri, offset=(page - 1) * size, limit=size)
    if page > description.pages:
        raise NotFoundError(f"There is no page {page}: this resource has {description.pages}.")
    words = Words(context.iris, description.summaries)
    body = render(
        description,
        lambda: build_page(description, words, address),
        fmt,
        context.iris,
        context.templates,
    )
    links = page_links(address, page, description.pages)
    headers = _headers(release, fmt, address, page, negotiated, links)
    return Rendered(body, headers, headers["etag"])


def _is_big(release: Release, iri: str) -> bool:
    try:
        return Reader.of(release).links_in(iri, INLINE_LINKS + 1) > INLINE_LINKS
    except ValueError:
        return False  # not an IRI: rendering says so at once


async def serve_description(
    request: Request, iri: str, address: Address, suffix: str | None, anything: bool = False
) -> Response:
    """Answer with the description of ``iri`` in the negotiated (or suffixed) format.

    ``anything`` allows IRIs the store only mentions as objects (``/resource``); otherwise
    the store must hold triples about ``iri``.
    """
    context = get_context(request)
    fmt = _format(request, suffix)
    page = _page(request)
    release = context.live.current()
    negotiated = suffix is None
    key = (release.id, address, fmt.key, page, negotiated)
    rendered = context.cache.get(key)
    if rendered is None:
        render = partial(_render, context, release, iri, address, fmt, page, negotiated, anything)
        rendered = await run_in_threadpool(render) if _is_big(release, iri) else render()
        context.cache.put(key, rendered)
    remember(context.requests, release.id, request, rendered)
    return send(request, rendered)


def _redirect(location: str) -> Response:
    headers = {"location": location, "vary": "Accept", "cache-control": CACHE_CONTROL}
    return Response(f"See {location}\n", status_code=303, headers=headers, media_type="text/plain")


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def thing(request: Request, path: str) -> Response:
    """A real-world thing: 303 See Other to the document about it."""
    context = get_context(request)
    release = context.live.current()
    reader = Reader.of(release)
    iri = context.iris.id_iri(path)
    stem, suffix = split_suffix(path)
    try:
        if reader.is_subject(iri):
            return _redirect("/doc/" + quote(path, safe=_PATH_SAFE))
        if suffix is not None and reader.is_subject(context.iris.id_iri(stem)):
            return _redirect(f"/doc/{quote(stem, safe=_PATH_SAFE)}.{suffix}")
    except ValueError as exc:
        raise BadRequestError(f"not an IRI: {iri!r} ({exc})") from exc
    raise await run_in_threadpool(not_found, reader, context.iris, iri)


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def document(request: Request, path: str) -> Response:
    """The document about ``/id/{path}``, in any format."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.id_iri(stem)
    return await serve_description(
        request, iri, Address("/doc/" + quote(stem, safe=_PATH_SAFE)), suffix
    )


@router.api_route("/def/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def definition(request: Request, path: str) -> Response:
    """A vocabulary, class, property, concept scheme or concept (information resources)."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.document_iri("def", stem)
    return await serve_description(
        request, iri, Address("/def/" + quote(stem, safe=_PATH_SAFE)), suffix
    )


@router.api_route("/data", methods=["GET", "HEAD"], include_in_schema=False)
@router.api_route("/data.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def catalogue(request: Request, suffix: str | None = None) -> Response:
    """The catalogue: every published dataset."""
    if suffix is not None and suffix not in BY_SUFFIX:
        raise NotFoundError(f"There is no format .{suffix}; try one of " + ", ".join(BY_SUFFIX))
    iri = get_context(request).iris.catalogue()
    return await serve_description(request, iri, Address("/data"), suffix)


@router.api_route("/data/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def dataset(request: Request, path: str) -> Response:
    """A dataset's page: its description, provenance and size, in any format."""
    stem, suffix = split_suffix(path)
    iri = get_context(request).iris.document_iri("data", stem)
    return await serve_description(
        request, iri, Address("/data/" + quote(stem, safe=_PATH_SAFE)), suffix
    )


async def _any_resource(request: Request, suffix: str | None) -> Response:
    uri = request.query_params.get("uri", "").strip()
    if not uri:
        raise BadRequestError("Give the IRI to describe: /resource?uri=http://...")
    invalid = invalid_iris("uri", [uri])
    if invalid:
        raise bad_parameters(invalid)
    address = Address("/resource", "uri=" + quote(uri, safe=""))
    return await serve_description(request, uri, address, suffix, anything=True)


@router.api_route("/resource", methods=["GET", "HEAD"], include_in_schema=False)
async def any_resource(request: Request) -> Response:
    """Describe any IRI the store holds, including other sites' IRIs."""
    return await _any_resource(request, None)


@router.api_route("/resource.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def any_resource_as(request: Request, suffix: str) -> Response:
    """``/resource`` in the format a suffix names."""
    if suffix not in BY_SUFFIX:
        raise NotFoundError(f"There is no format .{suffix}; try one of " + ", ".join(BY_SUFFIX))
    return await _any_resource(request, suffix)
