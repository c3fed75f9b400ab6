"""Finding your way in: the home page and ``/geography`` (the levels of statistical
geography), with ``.json`` and ``.csv`` twins; the lists' shared parts, which ``web.search``
(``/search``) and ``web.lists`` (``/resources``) use too.

All of them read the release's search index (``store.search``): built once per release, so
a search costs a scan of some tens of thousands of names in memory, not a store query. That
scan and the rendering take milliseconds, so they run in the threadpool, never on the event
loop; each page is then kept for the release (``serving``). The index and the home page are made
before a release is served: at start-up, and for a release swapped in later, in the
background before the server switches to it (``prepare``, run by the app's start-up and as
one of ``LiveStore.warmers``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.formats import CSV, HTML, JSON, WebFormat
from opendatacommunities.iris import IriSpace, local_name
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.search import SEARCH_INDEX, Entry, Hit, SearchIndex, search_index
from opendatacommunities.vocab import DCAT, QB_DATASET_CLASS
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.serving import serve_rendered


def prepare(context: AppContext, release: Release) -> None:
    """The per-release work of these pages: the search index, then the home page."""
    home_page(context, release)


PAGE_SIZE = 50
MAX_QUERY = 200
_LIST_FORMATS = {"html": HTML, "json": JSON, "csv": CSV}
#: Where a release keeps its home page, rendered.
HOME_PAGE: Slot[str] = Slot("home-page")


@dataclass(frozen=True)
class Item:
    """A resource as a list shows it: name, where its page is, kind and code."""

    iri: str
    label: str
    href: str
    kinds: str
    notation: str | None
    within: str = ""
    """The names of what it lies within ("Cardiff")."""
    status: str | None = None


@dataclass(frozen=True)
class Listing:
    """One page of a list of resources."""

    items: list[Item]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills."""
        return max(1, -(-self.total // PAGE_SIZE))


def _item(index: SearchIndex, iris: IriSpace, entry: Entry) -> Item:
    kinds = [index.get(t) for t in entry.types]
    words = ", ".join(dict.fromkeys(k.label for k in kinds if k is not None))
    parents = [index.get(p) for p in entry.parents]
    within = ", ".join(sorted(p.label for p in parents if p is not None))
    href = iris.page_path(entry.iri)
    return Item(entry.iri, entry.label, href, words, entry.notation, within, entry.status)


def _listing(index: SearchIndex, iris: IriSpace, hits: list[Hit], page: int) -> Listing:
    start = (page - 1) * PAGE_SIZE
    chosen = hits[start : start + PAGE_SIZE]
    items = [_item(index, iris, hit.entry) for hit in chosen]
    if page > 1 and not items:
        raise NotFoundError(f"There is no page {page}: the list has {len(hits):,} entries.")
    return Listing(items, len(hits), page)


def _format(suffix: str | None) -> WebFormat:
    if suffix is None:
        return HTML
    if suffix not in _LIST_FORMATS:
        raise NotFoundError(f"This list is available as .json or .csv, not .{suffix}.")
    return _LIST_FORMATS[suffix]


async def _index(context: AppContext) -> tuple[Release, SearchIndex]:
    """The live release and its search index (built once per release)."""
    release = context.live.current()
    index = release.cache.get(SEARCH_INDEX)
    if index is None:
        index = await run_in_threadpool(_index_of, context, release)
    return release, index


def _index_of(context: AppContext, release: Release) -> SearchIndex:
    vocabulary = context.iris.definition("geography/")
    return search_index(release, parent=vocabulary + "parent", status=vocabulary + "status")


def list_headers(release: Release, fmt: WebFormat) -> dict[str, str]:
    """The headers of a list or search answer in ``fmt``: the release's validators, open to
    other sites' scripts."""
    return {
        **release_headers(release, fmt.content_type, fmt.key),
        "access-control-allow-origin": "*",
    }


def _send(request: Request, fmt: WebFormat, body: str, release: Release) -> Response:
    """The page, with the release's validators (304s) and HEAD support, remembered for the
    release: a repeat is answered before any routing."""
    headers = list_headers(release, fmt)
    if fmt is HTML:
        headers["link"] = ", ".join(
            f'<{_with_suffix(request, f.key)}>; rel="alternate"; type="{f.media_type}"'
            for f in (JSON, CSV)
        )
    return serve_rendered(request, release.id, Rendered(body.encode(), headers, headers["etag"]))


def _with_suffix(request: Request, suffix: str) -> str:
    query = request.url.query
    return f"{request.url.path}.{suffix}" + (f"?{query}" if query else "")


def _data(listing: Listing, fmt: WebFormat, about: dict[str, object]) -> str:
    rows = [
        {
            "uri": i.iri,
            "label": i.label,
            "kind": i.kinds,
            "code": i.notation,
            "within": i.within,
            "status": i.status,
            "page": i.href,
        }
        for i in listing.items
    ]
    if fmt is JSON:
        document = {**about, "total": listing.total, "page": listing.page, "results": rows}
        return json.dumps(document, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["uri", "label", "kind", "code", "within", "status", "page"]
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _query_text(request: Request) -> str:
    text = request.query_params.get("q", "").strip()
    if len(text) > MAX_QUERY:
        raise BadRequestError(f"A search may be at most {MAX_QUERY} characters long.")
    return text


def _link(path: str, request: Request, **changes: object) -> str:
    params: dict[str, object] = {**request.query_params, **changes}
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


@dataclass(frozen=True)
class Level:
    """A kind of area: its class, name, how many there are, and where they are listed."""

    iri: str
    label: str
    count: int
    href: str


def geography_levels(index: SearchIndex, iris: IriSpace) -> list[Level]:
    """The classes of areas of our geography vocabulary that have members, most first."""
    namespace = iris.definition("geography/")
    levels = []
    for kind, count in index.type_counts.most_common():
        entry = index.get(kind)
        if kind.startswith(namespace) and entry is not None:
            levels.append(Level(kind, entry.label, count, f"/geography/{local_name(kind)}"))
    return levels


def _datasets(index: SearchIndex, iris: IriSpace) -> tuple[list[Item], list[Item]]:
    """The catalogue's datasets: statistics cubes, then reference data. Entries harvested
    from other catalogues are left to ``/data`` and their harvest's page: there are many."""
    harvested_class = iris.document_iri("def", "catalogue/HarvestedDataset")
    harvested = {hit.entry.iri for hit in index.search("", kind=harvested_class)}
    found = [
        _item(index, iris, hit.entry)
        for hit in index.search("", kind=DCAT + "Dataset")
        if hit.entry.iri not in harvested
    ]
    cubes = {hit.entry.iri for hit in index.search("", kind=QB_DATASET_CLASS)}
    return [d for d in found if d.iri in cubes], [d for d in found if d.iri not in cubes]


async def home(request: Request) -> Response:
    """What the site holds, and the ways in: search, datasets, geography, SPARQL."""
    context = get_context(request)
    release = context.live.current()
    body = release.cache.get(HOME_PAGE)
    if body is None:
        body = await run_in_threadpool(home_page, context, release)
    return _send(request, HTML, body, release)


def home_page(context: AppContext, release: Release) -> str:
    """The home page of ``release``, rendered once (blocking: for worker threads)."""

    def render() -> str:
        index = _index_of(context, release)
        statistics, reference = _datasets(index, context.iris)
        return context.templates.get_template("home.html").render(
            statistics=statistics,
            reference=reference,
            levels=geography_levels(index, context.iris),
            release=release,
        )

    return release.cache.once(HOME_PAGE, render)
