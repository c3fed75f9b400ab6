"""``/robots.txt`` and the sitemaps: ``/sitemap.xml`` lists the page of every dataset, area
and concept; past ``Settings.sitemap_size`` URLs (the protocol's limit is 50,000) it is an
index of child sitemaps ``/sitemap-1.xml``, ``/sitemap-2.xml``...

The list of pages is read once per release (a ``Slot`` of the release's cache); each sitemap
is then written as it is sent, a few hundred URLs at a time, so a large one is never held in
memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from opendatacommunities.errors import NotFoundError
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.sitemap import page_iris
from opendatacommunities.vocab import DCAT, QB_DATASET_CLASS, SKOS
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.http import is_current, release_headers
from opendatacommunities.web.serving import serve_rendered

XML_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The classes whose members have a page worth listing, besides the areas.
PAGE_CLASSES = (DCAT + "Dataset", QB_DATASET_CLASS, SKOS + "Concept", SKOS + "ConceptScheme")
#: Paths a crawler is asked to leave alone: queries are costly and their answers endless.
DISALLOWED = ("/sparql", "/search", "/resources", "/resource", "/queries/")
_CHUNK = 500


@dataclass(frozen=True)
class SiteMap:
    """The pages of one release, as absolute URLs, and when they were last changed."""

    urls: tuple[str, ...]
    lastmod: str
    size: int
    """The most URLs one sitemap holds."""

    @property
    def parts(self) -> int:
        """How many child sitemaps there are (0: ``/sitemap.xml`` lists the URLs itself)."""
        return 0 if len(self.urls) <= self.size else -(-len(self.urls) // self.size)

    def part(self, number: int) -> tuple[str, ...]:
        """The URLs of child sitemap ``number`` (from 1)."""
        start = (number - 1) * self.size
        return self.urls[start : start + self.size]


SITEMAP: Slot[SiteMap] = Slot("sitemap")


def site_map(context: AppContext, release: Release) -> SiteMap:
    """The sitemap of ``release``, read from its store on first use (blocking)."""

    def build() -> SiteMap:
        iris = page_iris(release, PAGE_CLASSES, context.iris.definition("geography/"))
        paths = {context.iris.page_path(iri) for iri in iris}
        urls = tuple(context.iris.url(p) for p in sorted(paths) if not p.startswith("/resource"))
        lastmod = release.published.isoformat(timespec="seconds")
        return SiteMap(urls, lastmod, context.settings.sitemap_size)

    return release.cache.once(SITEMAP, build)


def urlset(urls: tuple[str, ...], lastmod: str) -> Iterator[bytes]:
    """A ``<urlset>`` of ``urls``, in pieces."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'.encode()
    for start in range(0, len(urls), _CHUNK):
        yield "".join(
            f"<url><loc>{escape(url)}</loc><lastmod>{lastmod}</lastmod></url>\n"
            for url in urls[start : start + _CHUNK]
        ).encode()
    yield b"</urlset>\n"


def sitemap_index(base: str, parts: int, lastmod: str) -> Iterator[bytes]:
    """A ``<sitemapindex>`` of the child sitemaps 1 to ``parts``, in pieces."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'.encode()
    for number in range(1, parts + 1):
        loc = escape(f"{base}/sitemap-{number}.xml")
        yield f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>\n".encode()
    yield b"</sitemapindex>\n"


async def _site_map(request: Request) -> tuple[Release, SiteMap]:
    context = get_context(request)
    release = context.live.current()
    found = release.cache.get(SITEMAP)
    if found is None:
        found = await run_in_threadpool(site_map, context, release)
    return release, found


def _stream(request: Request, release: Release, variant: str, body: Iterator[bytes]) -> Response:
    """``body`` streamed, with the release's validators; 304 when the client's copy holds."""
    headers = release_headers(release, XML_TYPE, variant)
    if is_current(request, headers["etag"], headers["last-modified"]):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        return Response(headers=headers)
    return StreamingResponse(body, headers=headers)


async def sitemap(request: Request) -> Response:
    """``/sitemap.xml``: every page, or the index of the child sitemaps when they are many."""
    release, found = await _site_map(request)
    if found.parts:
        base = get_context(request).iris.base
        body = sitemap_index(base, found.parts, found.lastmod)
        return _stream(request, release, "sitemap-index", body)
    return _stream(request, release, "sitemap", urlset(found.urls, found.lastmod))


async def sitemap_part(request: Request, number: int) -> Response:
    """``/sitemap-{number}.xml``: one child sitemap of the index."""
    release, found = await _site_map(request)
    if not 1 <= number <= found.parts:
        there = f"there are {found.parts}" if found.parts else "/sitemap.xml lists every page"
        raise NotFoundError(f"There is no sitemap {number}: {there}.")
    body = urlset(found.part(number), found.lastmod)
    return _stream(request, release, f"sitemap-{number}", body)


async def robots(request: Request) -> Response:
    """``/robots.txt``: crawl the pages, not the query services; where the sitemap is."""
    context = get_context(request)
    release = context.live.current()
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines.append(f"Sitemap: {context.iris.url('/sitemap.xml')}")
    headers = release_headers(release, "text/plain; charset=utf-8", "robots")
    body = ("\n".join(lines) + "\n").encode()
    return serve_rendered(request, release.id, Rendered(body, headers, headers["etag"]))
