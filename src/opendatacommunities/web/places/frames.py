"""A live block's numbers: read from its named query (run like any other, in a worker) or
from its cube's slice (the slicer's own table), as one table of cells (a ``Frame``).

A block whose numbers cannot be read (a code the cube does not have, a query that fails)
gets a frame that says why, never a broken page: the publish has already checked what can be
checked without the data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool

from opendatacommunities.errors import OdcError
from opendatacommunities.formats import RESULTS_JSON
from opendatacommunities.places.blocks import Block, CubeSource, QuerySource, with_base
from opendatacommunities.store import Job, Release
from opendatacommunities.store.cube.structure import Code
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.cube.browse import cube_of
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_of
from opendatacommunities.web.cube.slices import build_table
from opendatacommunities.web.cube.views import Table, cell_text, header, resolve

_NUMERIC = ("integer", "decimal", "double", "float", "long", "int", "short", "byte")


@dataclass(frozen=True)
class Cell:
    """One value: its text, its number (None: not a number), and for a resource its IRI and
    where it links."""

    text: str
    number: float | None = None
    iri: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Frame:
    """A block's numbers: columns (keys and headings) and rows, with where they come from."""

    keys: tuple[str, ...]
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    page: str
    """The query's or slice's page, with the block's parameters."""
    csv: str
    """The same numbers as CSV."""
    error: str | None = None

    def column(self, key: str) -> int | None:
        """The place of a column, by key."""
        return self.keys.index(key) if key in self.keys else None


async def read_frame(context: AppContext, release: Release, block: Block) -> Frame:
    """The block's numbers, or a frame saying why they cannot be read."""
    if isinstance(block.source, QuerySource):
        return await _query_frame(context, release, block.source)
    return await _cube_frame(context, release, block.source)


def heading(name: str) -> str:
    """A variable's name as a column heading: ``ownedShare`` -> ``Owned share``.

    >>> heading("ownedShare"), heading("households_total"), heading("area")
    ('Owned share', 'Households total', 'Area')
    """
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).replace("_", " ")
    words = " ".join(words.split())
    return words[:1].upper() + words[1:]


def _number(term: dict[str, str]) -> float | None:
    datatype = term.get("datatype", "")
    if not any(datatype.endswith("#" + kind) for kind in _NUMERIC):
        return None
    try:
        return float(term["value"])
    except ValueError:
        return None


def _query_cell(context: AppContext, term: dict[str, str] | None, label: str | None) -> Cell:
    if term is None:
        return Cell("")
    if term["type"] == "uri":
        iri = term["value"]
        return Cell(label or iri, iri=iri, href=context.iris.page_path(iri))
    return Cell(term["value"], _number(term))


def _query_rows(
    context: AppContext, results: dict[str, object], hidden: set[str]
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """SPARQL JSON results as keys and rows; ``xLabel`` names the resources of ``x``."""
    head = results["head"]
    assert isinstance(head, dict)
    names = [v for v in head.get("vars", []) if v not in hidden]
    labelled = {v for v in names if f"{v}Label" in names}
    keys = tuple(v for v in names if not (v.endswith("Label") and v[:-5] in labelled))
    body = results.get("results", {})
    assert isinstance(body, dict)
    rows = []
    for binding in body.get("bindings", []):
        row = []
        for key in keys:
            label = binding.get(f"{key}Label") if key in labelled else None
            row.append(_query_cell(context, binding.get(key), label["value"] if label else None))
        rows.append(tuple(row))
    return keys, rows


async def _run(context: AppContext, release: Release, name: str, bound: dict[str, object]) -> bytes:
    job = Job(
        query=context.named_queries[name].text,
        store_path=str(release.path),
        solutions_format=RESULTS_JSON.media_type,
        substitutions=dict(bound),  # type: ignore[arg-type]
        base_iri=context.iris.url(f"/queries/{name}"),
        site=context.settings.base_iri,
    )
    answer = await context.queries.run(job)
    body = answer.head
    if answer.rest is not None:
        body += b"".join([chunk async for chunk in answer.rest])
    return body


async def _query_frame(context: AppContext, release: Release, source: QuerySource) -> Frame:
    page = source.path
    query = context.named_queries.get(source.name)
    if query is None:
        return Frame((), (), (), page, page, f"There is no named query {source.name!r}.")
    given = with_base(query, source.parameters, context.settings.base_iri)
    values = urlencode([(k, v) for k, vs in given.items() for v in vs])
    page, csv = (
        f"{page}{suffix}?{values}" if values else f"{page}{suffix}" for suffix in ("", ".csv")
    )
    try:
        body = await _run(context, release, source.name, dict(query.bind(given)))
    except OdcError as exc:
        return Frame((), (), (), page, csv, str(exc))
    hidden = {p.name for p in query.parameters}
    keys, rows = _query_rows(context, json.loads(body), hidden)
    return Frame(keys, tuple(heading(k) for k in keys), tuple(rows), page, csv)


def _slice_parameters(source: CubeSource, area_key: str | None) -> list[tuple[str, str]]:
    """A map's parameters as the slice of its areas: areas along the rows, one column."""
    if source.view == "slice":
        return list(source.parameters)
    given = [(k, v) for k, v in source.parameters if k not in ("rows", "columns")]
    return [("rows", area_key or "refArea"), ("columns", "none"), *given]


def _code_cell(context: AppContext, code: Code) -> Cell:
    return Cell(code.label, iri=code.iri, href=context.iris.page_path(code.iri))


def _slice_rows(context: AppContext, table: Table) -> list[tuple[Cell, ...]]:
    rows = []
    for code in table.rows:
        cells = [Cell(cell_text(c), c.number if c else None) for c in table.line(code)]
        rows.append((_code_cell(context, code), Cell(code.key), *cells))
    return rows


async def _cube_frame(context: AppContext, release: Release, source: CubeSource) -> Frame:
    page = f"{source.path}?{urlencode(source.parameters)}" if source.parameters else source.path
    try:
        cube = await cube_of(context, release, source.dataset)
        levels = await run_in_threadpool(levels_of, release, cube)
        view = resolve(cube, _slice_parameters(source, levels.dimension), levels)
        table = await run_in_threadpool(build_table, release, CubeIndex.of(release), view)
    except OdcError as exc:
        return Frame((), (), (), page, page, str(exc))
    base = f"/data/{source.dataset}/slice"
    if source.view == "slice":
        page = f"{base}?{view.query()}"
    csv = f"{base}.csv?{view.query()}"
    headings = tuple(header(table))
    columns = tuple(c.key for c in table.columns) if table.columns else ("value",)
    keys = ("label", "code", *columns)
    return Frame(keys, headings, tuple(_slice_rows(context, table)), page, csv)
