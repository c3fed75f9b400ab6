"""``/data``: every dataset of the catalogue (the site's own and harvested ones), filtered,
sorted and paged as its query string says, as an HTML page with ``.json`` and ``.csv``
twins. The catalogue's RDF formats (``/data.ttl``, or ``Accept: text/turtle``) are its
description, as for any resource.

The listing is read once per release (``store.datasets``); filtering, sorting and rendering
a page of it takes a few milliseconds, in the threadpool, and the page is kept for the
release (``serving``). The JSON is paged as the page is (with the honest total); the CSV
holds every dataset the filters leave, sorted, for a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import (
    BY_SUFFIX,
    CSV,
    HTML,
    JSON,
    RDF_FORMATS,
    RESOURCE_FORMATS,
    WebFormat,
)
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Release
from opendatacommunities.store.datasets import ListedDataset, dataset_listing
from opendatacommunities.web import resources
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.listing.filters import (
    Facet,
    ListQuery,
    check_values,
    chosen,
    facets,
    licence_words,
    parse_query,
)
from opendatacommunities.web.negotiation import negotiate
from opendatacommunities.web.serving import serve_rendered
from opendatacommunities.web.stars import stars_json
from opendatacommunities.web.words import literal_words

_LIST_FORMATS = {"html": HTML, "json": JSON, "csv": CSV}
#: Each way of sorting the page offers, in words.
SORT_WORDS = {
    "title": "title, A to Z",
    "-title": "title, Z to A",
    "-published": "newest first",
    "published": "oldest first",
    "-stars": "most stars first",
    "stars": "fewest stars first",
    "publisher": "publisher, A to Z",
}
CSV_COLUMNS = [
    "uri",
    "title",
    "summary",
    "themes",
    "publisher",
    "licence",
    "geography_levels",
    "periods",
    "last_published",
    "harvested",
    "stars",
    "test_entry",
]


@dataclass(frozen=True)
class ListPage:
    """One page of the list: its datasets, the honest total, the filters and sorts."""

    query: ListQuery
    entries: list[ListedDataset]
    total: int
    facets: list[Facet]

    @property
    def pages(self) -> int:
        """How many pages the datasets the filters leave fill."""
        return max(1, -(-self.total // self.query.page_size))

    def links(self) -> dict[str, str]:
        """The first, previous, next and last pages, where there are such."""
        query, found = self.query, {}
        if query.page > 1:
            found["first"] = query.url(page=1)
            found["prev"] = query.url(page=query.page - 1)
        if query.page < self.pages:
            found["next"] = query.url(page=query.page + 1)
            found["last"] = query.url(page=self.pages)
        return found


def published_words(entry: ListedDataset) -> str:
    """When it was last published, as a date in words ("" when not known)."""
    if entry.published is None:
        return ""
    words = literal_words(entry.published, entry.published_type or "")
    # The day is what a list needs: the time of day stays in the data formats.
    return (words or entry.published).split(",")[0]


def _page(query: ListQuery, entries: list[ListedDataset]) -> ListPage:
    check_values(query, entries)
    kept = chosen(query, entries)
    start = (query.page - 1) * query.page_size
    page = ListPage(query, kept[start : start + query.page_size], len(kept), facets(query, entries))
    if query.page > page.pages:
        raise NotFoundError(f"There is no page {query.page}: the list has {page.pages}.")
    return page


def entry_json(context: AppContext, entry: ListedDataset) -> dict[str, object]:
    """One dataset as the JSON twin lists it."""
    return {
        "uri": entry.iri,
        "href": context.iris.page_path(entry.iri),
        "title": entry.title,
        "summary": entry.summary,
        "themes": list(entry.themes),
        "publisher": entry.publisher,
        "licence": licence_words(entry),
        "licence_uri": entry.licence_iri,
        "geography_levels": list(entry.levels),
        "periods": list(entry.periods),
        "last_published": entry.published,
        "harvested": entry.harvested,
        "stars": stars_json(entry.rating) if entry.rating else None,
        "test_entry": entry.test_entry,
    }


def _json(context: AppContext, page: ListPage) -> str:
    document = {
        "total": page.total,
        "page": page.query.page,
        "pages": page.pages,
        "page_size": page.query.page_size,
        "sort": page.query.sort,
        "filters": page.query.filters,
        "links": page.links(),
        "datasets": [entry_json(context, entry) for entry in page.entries],
        "facets": {
            facet.key: [{"value": v.value, "count": v.count} for v in facet.values]
            for facet in page.facets
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _csv(entries: list[ListedDataset]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.iri,
                e.title,
                e.summary,
                "; ".join(e.themes),
                e.publisher or "",
                licence_words(e),
                "; ".join(e.levels),
                "; ".join(e.periods),
                e.published or "",
                "yes" if e.harvested else "no",
                "" if e.rating is None else str(e.rating.stars),
                e.test_entry or "",
            ]
        )
    return out.getvalue()


def _html(context: AppContext, page: ListPage) -> str:
    template = context.templates.get_template("data.html")
    sorts = [(key, words, page.query.url(sort=key)) for key, words in SORT_WORDS.items()]
    return template.render(
        page=page,
        links=page.links(),
        sorts=sorts,
        page_path=context.iris.page_path,
        published=published_words,
        licence=licence_words,
        formats=[
            (f.name, f.media_type, page.query.link({}, f"/data.{f.key}")) for f in (JSON, CSV)
        ],
        rdf_formats=[(f.name, f.media_type, f"/data.{f.key}") for f in RDF_FORMATS],
    )


def render_list(context: AppContext, release: Release, fmt: WebFormat, query: ListQuery) -> str:
    """The body of the list in ``fmt``."""
    entries = dataset_listing(release, context.iris)
    if fmt is CSV:
        check_values(query, entries)
        return _csv(chosen(query, entries))
    page = _page(query, entries)
    return _json(context, page) if fmt is JSON else _html(context, page)


def prepare(iris: IriSpace, release: Release) -> None:
    """Read the listing (and rate every dataset) before ``release`` is served, so that
    neither ``/data`` nor a dataset's page waits for it."""
    dataset_listing(release, iris)


def _list_format(request: Request, suffix: str | None) -> WebFormat | None:
    """The list's format the request asks for; None for the catalogue's RDF formats."""
    if suffix is not None:
        if suffix not in BY_SUFFIX:
            offered = ", ".join(BY_SUFFIX)
            raise NotFoundError(f"There is no format .{suffix}; try one of {offered}")
        return _LIST_FORMATS.get(suffix)
    chosen_format = negotiate(request.headers.get("accept"), RESOURCE_FORMATS)
    return chosen_format if chosen_format in (HTML, JSON, CSV) else None


async def catalogue(request: Request, suffix: str | None = None) -> Response:
    """``/data``: the datasets as a list (HTML, JSON, CSV), or the catalogue's description
    in an RDF format."""
    fmt = _list_format(request, suffix)
    if fmt is None:
        return await resources.catalogue(request, suffix)
    query = parse_query(request.query_params.multi_items())
    context = get_context(request)
    release = context.live.current()
    body = await run_in_threadpool(render_list, context, release, fmt, query)
    headers = {
        **release_headers(release, fmt.content_type, f"data-{fmt.key}"),
        "access-control-allow-origin": "*",
    }
    if suffix is None:
        headers["vary"] = "Accept"
    return serve_rendered(request, release.id, Rendered(body.encode(), headers, headers["etag"]))
