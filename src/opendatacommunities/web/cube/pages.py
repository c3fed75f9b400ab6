"""The HTML pages of a cube: the slicer (one view's table, with its controls) and the
cube's own page (what it measures, in words and in full; its catalogue record).

Everything from the data goes into the templates as text, which Jinja escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool

from opendatacommunities.formats import HTML, RESOURCE_FORMATS
from opendatacommunities.places.figures import number_text
from opendatacommunities.store import Description, Reader, Release
from opendatacommunities.store.cube.profile import CubeProfile
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension
from opendatacommunities.store.cube.tables import Cell
from opendatacommunities.store.terms import NamedNode
from opendatacommunities.vocab import DCAT, QB
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_in_words, levels_of
from opendatacommunities.web.cube.views import (
    NO_OBSERVATION,
    Sort,
    Table,
    View,
    cell_text,
    header,
    title,
    value_heading,
)
from opendatacommunities.web.cube.words import cube_in_words, dimension_in_words
from opendatacommunities.web.dataset_facts import dataset_facts
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.schema_org import dataset_script
from opendatacommunities.web.stars import rating_of
from opendatacommunities.web.views import Address, PageView, build_page
from opendatacommunities.web.words import Words

#: A lock with more codes than this is a text box (a code), not a drop-down.
MAX_OPTIONS = 1_000


@dataclass(frozen=True)
class CellView:
    """A table cell as the page shows it."""

    text: str
    data: str
    """The cell as the CSV twin has it."""
    missing: bool
    href: str | None


@dataclass(frozen=True)
class Heading:
    """A column heading: its text, the link that sorts by it, and its place in a hierarchy."""

    text: str
    sort_href: str
    sorted: str
    """"ascending", "descending" or "" (for ``aria-sort``)."""
    href: str | None = None
    depth: int = 0
    total: bool = False


def _cell_view(context: AppContext, cell: Cell | None) -> CellView:
    text = cell_text(cell)
    if cell is None or cell.value is None:
        href = context.iris.page_path(cell.observation) if cell and cell.observation else None
        return CellView(text, text, True, href)
    return CellView(number_text(cell.value), text, False, context.iris.page_path(cell.observation))


def _sort_heading(
    base: str, view: View, by: str, text: str, href: str | None = None, code: Code | None = None
) -> Heading:
    current = view.sort.by == by
    flip = Sort(by, not view.sort.descending if current else by_value_first(by))
    state = ("descending" if view.sort.descending else "ascending") if current else ""
    link = f"{base}?{view.query(sort=flip.text, page=None)}"
    depth, total = (code.depth, code.total) if code else (0, False)
    return Heading(text, link, state, href, depth, total)


def by_value_first(by: str) -> bool:
    """Whether a first click sorts descending: values (biggest first) do, names do not."""
    return by not in ("order", "label", "code")


def _headings(context: AppContext, base: str, table: Table) -> list[Heading]:
    view = table.view
    first = header(table)
    headings = [
        _sort_heading(base, view, "label", first[0]),
        _sort_heading(base, view, "code", first[1]),
    ]
    if table.columns:
        for code in table.columns:
            href = context.iris.page_path(code.iri)
            headings.append(_sort_heading(base, view, code.key, code.label, href, code))
    else:
        headings.append(_sort_heading(base, view, "value", value_heading(view)))
    return headings


def slicer_page(context: AppContext, dataset: str, table: Table, links: dict[str, str]) -> bytes:
    """The slicer's HTML page for one view."""
    view = table.view
    base = f"/data/{dataset}/slice"
    rows = [
        (code, context.iris.page_path(code.iri), [_cell_view(context, c) for c in table.line(code)])
        for code in table.rows
    ]
    return (
        context.templates.get_template("cube.html")
        .render(
            cube=view.cube,
            view=view,
            table=table,
            title=title(view),
            dataset=dataset,
            base=base,
            headings=_headings(context, base, table),
            rows=rows,
            links=links,
            max_options=MAX_OPTIONS,
            no_observation=NO_OBSERVATION,
        )
        .encode()
    )


def outgoing_view(context: AppContext, release: Release, iri: str, address: Address) -> PageView:
    """A resource's own statements as a resource page shows them, without the links to it
    (half a million observations link to a cube, tens of thousands to one of its codes:
    the slicer shows those)."""
    reader = Reader.of(release)
    triples = reader.outgoing(iri)
    properties = {t.predicate.value for t in triples}
    mentioned = [iri, *(t.object.value for t in triples if isinstance(t.object, NamedNode))]
    summaries, label_triples = reader.summaries([*properties, *mentioned])
    description = Description(iri, triples, (), 0, 0, 100, summaries, tuple(label_triples), ())
    return build_page(description, Words(context.iris, summaries), address)


def page_headers(
    release: Release, address: Address, variant: str, negotiated: bool
) -> dict[str, str]:
    """Headers of an HTML page about a resource: validators, and its other formats."""
    headers = {
        **release_headers(release, HTML.content_type, variant),
        "link": ", ".join(
            f'<{address.with_format(f.key)}>; rel="alternate"; type="{f.media_type}"'
            for f in RESOURCE_FORMATS
            if f is not HTML
        ),
    }
    if negotiated:
        headers["vary"] = "Accept"
        headers["content-location"] = address.with_format("html")
    return headers


def _downloads(page: PageView) -> list[tuple[str, str]]:
    """Dumps the catalogue lists for the dataset (``dcat:distribution`` with a
    ``dcat:downloadURL``), by title."""
    found = []
    for prop in page.properties:
        if prop.property.iri != DCAT + "distribution":
            continue
        for value in prop.values:
            for nested in value.nested:
                if nested.property.iri in (DCAT + "downloadURL", DCAT + "accessURL"):
                    found += [(v.text, v.link.href or v.text) for v in nested.values if v.link]
    return found


def _render_dataset(
    context: AppContext, release: Release, stem: str, cube: Cube, profile: CubeProfile
) -> bytes:
    catalogue = outgoing_view(context, release, cube.iri, Address(f"/data/{stem}"))
    dimensions = [
        (d, dimension_in_words(d, profile), context.iris.page_path(d.iri)) for d in cube.dimensions
    ]
    return (
        context.templates.get_template("cube_dataset.html")
        .render(
            cube=cube,
            dataset=stem,
            profile=profile,
            summary=cube_in_words(cube, profile) + levels_in_words(cube, levels_of(release, cube)),
            dimensions=dimensions,
            catalogue=catalogue,
            downloads=_downloads(catalogue),
            facts=dataset_facts(release, context.iris, stem),
            page_path=context.iris.page_path,
            sparql_href="/sparql?query=" + quote(_example_query(cube), safe=""),
            code_lists=[d for d in cube.dimensions if d.kind in ("coded", "measure", "other")],
            schema_org=dataset_script(context.iris, release, cube.iri),
            stars=rating_of(context.iris, release, cube.iri),
        )
        .encode()
    )


def _example_query(cube: Cube) -> str:
    """A SPARQL query for the cube's observations, each dimension a column."""
    lines = ["SELECT * WHERE {", f"  ?observation <{QB}dataSet> <{cube.iri}> ;"]
    for index, dimension in enumerate(cube.dimensions):
        if dimension.kind == "measure" and not cube.measure_type:
            continue
        prop = QB + "measureType" if dimension.kind == "measure" else dimension.iri
        lines.append(f"    <{prop}> ?{_variable(dimension, index)} ;")
    lines += [f"    <{cube.measures[0].iri}> ?value .", "}", "LIMIT 100"]
    return "\n".join(lines)


def _variable(dimension: CubeDimension, index: int) -> str:
    return dimension.key if dimension.key.isidentifier() else f"d{index}"


async def dataset_page(
    context: AppContext, release: Release, stem: str, cube: Cube, negotiated: bool
) -> Rendered:
    """The cube's page (rendered once per release: ``serving.serve_once``)."""
    profile = await CubeIndex.of(release).profile(cube)
    body = await run_in_threadpool(_render_dataset, context, release, stem, cube, profile)
    headers = page_headers(release, Address(f"/data/{stem}"), "cube-html", negotiated)
    return Rendered(body, headers, headers["etag"])
