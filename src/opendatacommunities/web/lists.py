"""``/resources``: lists of resources with the Linked Data API's conventions, as an HTML page,
JSON, CSV or any RDF format (``.{suffix}``, or ``Accept`` without one).

The parameters are read and resolved by ``store.listing``, which runs the queries; this
module picks the format, turns bad parameters into one 400 naming each of them, and writes
the page. Each answer is kept for the release, like every list of the site.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import ParameterError, ParameterProblem
from opendatacommunities.formats import CSV, HTML, JSON, RDF_FORMATS, WebFormat
from opendatacommunities.iris import humanise
from opendatacommunities.store.lexicon import lexicon_of
from opendatacommunities.store.listing import ListPage, list_page, read_parameters, scope_of
from opendatacommunities.store.listing.params import RESERVED
from opendatacommunities.store.listing.rows import Statements, Value, View, cell, page_rdf
from opendatacommunities.store.search import SearchIndex
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.explore import Item, _index, _item, list_headers
from opendatacommunities.web.negotiation import choose
from opendatacommunities.web.serving import serve_rendered
from opendatacommunities.web.target import MAX_PAGE

OFFERED = (HTML, JSON, CSV, *RDF_FORMATS)
"""The formats of a list, HTML first (what a browser, or a client stating no preference,
gets)."""
_BY_SUFFIX = {fmt.key: fmt for fmt in OFFERED}
_PAGING = ("page", "_page")


def _format(request: Request, suffix: str | None) -> WebFormat:
    if suffix is not None:
        if suffix not in _BY_SUFFIX:
            known = ", ".join(f".{key}" for key in _BY_SUFFIX)
            reason = f"is not a format of lists (they come as {known})"
            raise ParameterError([ParameterProblem("format", reason, suffix)])
        return _BY_SUFFIX[suffix]
    return choose(request.headers.get("accept"), OFFERED, "/resources")


async def resources(request: Request, suffix: str | None = None) -> Response:
    """A list of resources: of a type, in a dataset, matching filters along property paths,
    sorted, paged, with the columns asked for (see the OpenAPI description)."""
    fmt, context = _format(request, suffix), get_context(request)
    parameters = read_parameters(request.query_params.multi_items(), max_page=MAX_PAGE)
    release, index = await _index(context)
    base = context.settings.base_iri
    scope = await run_in_threadpool(scope_of, release, base, index.type_counts)
    page = await list_page(context.queries, release, parameters, scope, index)
    body = await run_in_threadpool(_render, context, request, fmt, page, index)
    headers = list_headers(release, fmt)
    if suffix is None:
        headers["vary"] = "Accept"
    if fmt is HTML:
        headers["link"] = ", ".join(
            f'<{link(request, f.key)}>; rel="alternate"; type="{f.media_type}"'
            for f in OFFERED
            if f is not HTML
        )
    return serve_rendered(request, release.id, Rendered(body, headers, headers["etag"]))


def link(request: Request, suffix: str | None = None, **changes: object) -> str:
    """The path and query of this list with ``changes`` made to its parameters (a value of
    None removes one), and the format ``suffix``; the page is always ``_page``."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    if "_page" in changes:
        items = [(k, v) for k, v in items if k not in _PAGING]
    items += [(k, str(v)) for k, v in changes.items() if v is not None]
    path = "/resources" + (f".{suffix}" if suffix else "")
    return path + (f"?{urlencode(items)}" if items else "")


def _neighbours(request: Request, page: ListPage, suffix: str | None) -> tuple[str | None, ...]:
    number = page.query.page
    previous = link(request, suffix, _page=number - 1) if number > 1 else None
    following = link(request, suffix, _page=number + 1) if page.has_next else None
    return previous, following


def _render(
    context: AppContext, request: Request, fmt: WebFormat, page: ListPage, index: SearchIndex
) -> bytes:
    statements = Statements(page.triples)
    if fmt.rdf is not None:
        previous, following = _neighbours(request, page, fmt.key)
        here = context.iris.url(link(request, fmt.key, _page=page.query.page))
        view = View(
            context.iris.url(link(request, fmt.key, _page=None)),
            here,
            None if previous is None else context.iris.url(previous),
            None if following is None else context.iris.url(following),
            page.count.number if page.count.exact else None,
        )
        return page_rdf(page.triples, page.items, view, fmt.rdf)
    columns, rows = _table(context, page, statements, index)
    if fmt is JSON:
        return _json(request, page, columns, rows).encode()
    if fmt is CSV:
        return _csv(columns, rows).encode()
    return _html(context, request, page, columns, rows, index).encode()


@dataclass(frozen=True)
class Cell:
    """One value of a column: its text and, for a resource, its IRI and page."""

    text: str
    iri: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class TableRow:
    """One item as the page shows it: the default columns (``item``), or the cells of the
    columns ``_properties`` names."""

    iri: str
    label: str
    href: str
    item: Item | None = None
    cells: dict[str, tuple[Cell, ...]] = field(default_factory=dict)

    def data(self, column: str) -> object:
        """The value of ``column`` as data: text, or a list of IRIs and texts."""
        if self.item is not None:
            return _DEFAULT[column](self.item)
        if column == "uri":
            return self.iri
        if column == "page":
            return self.href
        return [c.iri or c.text for c in self.cells[column]]


_DEFAULT: dict[str, Callable[[Item], str | None]] = {
    "uri": lambda i: i.iri,
    "label": lambda i: i.label,
    "kind": lambda i: i.kinds,
    "code": lambda i: i.notation,
    "within": lambda i: i.within,
    "status": lambda i: i.status,
    "page": lambda i: i.href,
}
DEFAULT_COLUMNS = tuple(_DEFAULT)


def _default_row(context: AppContext, index: SearchIndex, statements: Statements, iri: str) -> Item:
    entry = index.get(iri)
    if entry is not None:
        return _item(index, context.iris, entry)
    lexicon = lexicon_of(context.live.current())
    kinds = [lexicon.label(kind) or humanise(kind) for kind in statements.types(iri)]
    words = ", ".join(dict.fromkeys(kinds))
    label = statements.label(iri) or iri
    return Item(iri, label, context.iris.page_path(iri), words, statements.notation(iri))


def _table(
    context: AppContext, page: ListPage, statements: Statements, index: SearchIndex
) -> tuple[list[str], list[TableRow]]:
    """The columns and rows of the page: the default columns, or those of ``_properties``."""
    if not page.query.columns:
        items = [_default_row(context, index, statements, iri) for iri in page.items]
        return list(DEFAULT_COLUMNS), [TableRow(i.iri, i.label, i.href, i) for i in items]
    name = _namer(context, index)
    names = ["label" if c is None else c.text for c in page.query.columns]
    rows = []
    for iri in page.items:
        label = statements.label(iri) or name(iri) or iri
        cells = {
            title: (Cell(label),)
            if column is None
            else tuple(_cell(context, v) for v in cell(statements, iri, column, name))
            for column, title in zip(page.query.columns, names, strict=True)
        }
        rows.append(TableRow(iri, label, context.iris.page_path(iri), cells=cells))
    return ["uri", *names, "page"], rows


def _cell(context: AppContext, value: Value) -> Cell:
    href = None if value.iri is None else context.iris.page_path(value.iri)
    return Cell(value.text, value.iri, href)


def _namer(context: AppContext, index: SearchIndex) -> Callable[[str], str | None]:
    lexicon = lexicon_of(context.live.current())

    def name(iri: str) -> str | None:
        entry = index.get(iri)
        return entry.label if entry is not None else lexicon.label(iri)

    return name


def _json(request: Request, page: ListPage, columns: list[str], rows: list[TableRow]) -> str:
    previous, following = _neighbours(request, page, "json")
    document = {
        "type": page.query.kind,
        "query": request.query_params.get("q", ""),
        "total": page.count.number if page.count.exact else None,
        "count": str(page.count),
        "page": page.query.page,
        "pageSize": page.query.page_size,
        "previous": previous,
        "next": following,
        "columns": columns,
        "results": [{c: row.data(c) for c in columns} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _csv(columns: list[str], rows: list[TableRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        values = [row.data(c) for c in columns]
        writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else v for v in values])
    return out.getvalue()


def _filters(given: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each filter of the list (``name``, ``value``) with the address of the list without it."""
    shown = []
    for number, (name, value) in enumerate(given):
        if name in RESERVED:
            continue
        rest = [pair for n, pair in enumerate(given) if n != number and pair[0] not in _PAGING]
        shown.append((name, value, "/resources?" + urlencode(rest)))
    return shown


def _html(
    context: AppContext,
    request: Request,
    page: ListPage,
    columns: list[str],
    rows: list[TableRow],
    index: SearchIndex,
) -> str:
    kind = page.query.kind
    entry = index.get(kind) if kind else None
    previous, following = _neighbours(request, page, None)
    given = request.query_params.multi_items()
    hidden = [(k, v) for k, v in given if k not in ("q", *_PAGING)]
    return context.templates.get_template("resources.html").render(
        title=entry.label if entry else (kind or "Resources"),
        kind=kind,
        kind_href=context.iris.page_path(kind) if kind else None,
        query=request.query_params.get("q", ""),
        page=page,
        custom=bool(page.query.columns),
        columns=[c for c in columns if c not in ("uri", "page")],
        rows=rows,
        hidden=hidden,
        filters=_filters(given),
        previous=previous,
        next=following,
        twin=lambda suffix: link(request, suffix),
    )
