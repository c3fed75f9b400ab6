"""Browsing and slicing statistics cubes: ``/data/{dataset}/slice`` (HTML, ``.csv``,
``.json``) and ``/data/{dataset}/observations.csv``.

A slice locks every dimension but the one along the rows and the one along the columns, and
shows one measure: ``/data/simd2020/slice?rows=refArea&measure=incomeRate&refPeriod=2020``.
Unnamed locks default to a dimension's first code (the latest, for periods), so every view is
a table, and its URL names everything that makes it. Codes appear by their labels; the URL
uses their notation or last IRI segment (a full IRI works too).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.store import Job, Release
from opendatacommunities.store.cubes import (
    Code,
    Cube,
    CubeDimension,
    Slice,
    read_cube,
    slice_cube,
)
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.errors import BadRequestError, NotFoundError
from opendatacommunities.web.negotiation import CSV, HTML, JSON, RESULTS_CSV
from opendatacommunities.web.sparql import CORS, results_response

router = APIRouter()

PAGE_ROWS = 50
#: A dimension with at most this many codes may run along the columns by default.
MAX_DEFAULT_COLUMNS = 20


@dataclass(frozen=True)
class View:
    """A slice request, resolved against the cube: what the URL asks for, made complete."""

    rows: CubeDimension
    columns: CubeDimension | None
    measure_key: str
    locks: dict[str, str]
    """Dimension key -> code key, for every dimension not along rows or columns."""
    page: int

    def query(self, **changes: object) -> str:
        """This view's query string, with ``changes`` applied (the stable URL of a view)."""
        params: dict[str, object] = {
            "rows": self.rows.key,
            "columns": self.columns.key if self.columns else "none",
            "measure": self.measure_key,
            **self.locks,
            "page": self.page,
        }
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, 1) or k != "page"})


async def cube_of(context: AppContext, release: Release, dataset: str) -> Cube:
    """The cube ``/data/{dataset}``, read once per release.

    :raises NotFoundError: when no cube has that name.
    """
    iri = context.iris.document_iri("data", dataset)
    key = f"cube {iri}"
    if key not in release.memo:
        release.memo[key] = await run_in_threadpool(read_cube, release.store, iri)
    cube = release.memo[key]
    if cube is None:
        raise NotFoundError(f"There is no statistics cube at /data/{dataset}.")
    assert isinstance(cube, Cube)
    return cube


def _axis(cube: Cube, key: str | None, default: CubeDimension | None) -> CubeDimension | None:
    if key is None:
        return default
    if key == "none":
        return None
    found = cube.dimension(key)
    if found is None:
        names = ", ".join(d.key for d in cube.dimensions)
        raise BadRequestError(f"{key!r} is not a dimension of this cube; it has: {names}.")
    return found


def _default_rows(cube: Cube) -> CubeDimension:
    return max(cube.dimensions, key=lambda d: len(d.codes))


def _default_columns(cube: Cube, rows: CubeDimension) -> CubeDimension | None:
    fits = [d for d in cube.dimensions if d is not rows and 1 < len(d.codes) <= MAX_DEFAULT_COLUMNS]
    return fits[0] if fits else None


def resolve(cube: Cube, params: dict[str, str]) -> View:
    """The complete view a query string asks for.

    :raises BadRequestError: an unknown dimension, measure or code, or a bad page.
    """
    rows = _axis(cube, params.get("rows"), _default_rows(cube))
    if rows is None:
        raise BadRequestError("Choose a dimension for the rows.")
    columns = _axis(cube, params.get("columns"), _default_columns(cube, rows))
    if columns is rows:
        raise BadRequestError("Rows and columns must be different dimensions.")
    measure = params.get("measure", cube.measures[0].key)
    if cube.measure(measure) is None:
        names = ", ".join(m.key for m in cube.measures)
        raise BadRequestError(f"{measure!r} is not a measure of this cube; it has: {names}.")
    locks = {}
    for dimension in cube.dimensions:
        if dimension is rows or dimension is columns:
            continue
        wanted = params.get(dimension.key)
        code = dimension.find(wanted) if wanted else _default_code(dimension)
        if code is None:
            raise NotFoundError(f"{wanted!r} is not a code of {dimension.label} in this cube.")
        locks[dimension.key] = code.key
    page = params.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise BadRequestError(f"page must be a whole number from 1, not {page!r}.")
    return View(rows, columns, measure, locks, int(page))


def _default_code(dimension: CubeDimension) -> Code | None:
    if dimension.key == "refPeriod":
        return max(dimension.codes, key=lambda c: c.iri)  # the latest period
    return dimension.codes[0] if dimension.codes else None


async def _slice(context: AppContext, release: Release, cube: Cube, view: View) -> Slice:
    locks = {}
    for key, code_key in view.locks.items():
        dimension = cube.dimension(key)
        assert dimension is not None
        code = dimension.find(code_key)
        assert code is not None
        locks[dimension.iri] = code.iri
    measure = cube.measure(view.measure_key)
    assert measure is not None
    offset = (view.page - 1) * PAGE_ROWS
    return await run_in_threadpool(
        lambda: slice_cube(
            release.store,
            cube,
            locks,
            (view.rows, view.columns),
            measure,
            offset=offset,
            limit=PAGE_ROWS,
        )
    )


def table_rows(cube: Cube, view: View, table: Slice) -> list[list[str]]:
    """The slice as rows of text: a header, then each row's label, code and cells (labels,
    never bare codes; "" where there is no observation)."""
    columns = table.columns or ()
    header = (
        [view.rows.label, "code", *(c.label for c in columns)]
        if columns
        else [
            view.rows.label,
            "code",
            cube.measure(view.measure_key).label,  # type: ignore[union-attr]
        ]
    )
    lines = [header]
    for row in table.rows:
        keys = [c.iri for c in columns] if columns else [""]
        cells = [table.cells.get((row.iri, k)) for k in keys]
        lines.append([row.label, row.key, *(_text(c) for c in cells)])
    return lines


def _text(cell: object) -> str:
    if cell is None:
        return ""
    value, status = getattr(cell, "value", ""), getattr(cell, "status", None)
    return status if status else str(value)


def _csv(lines: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue().encode()


def _json(cube: Cube, view: View, lines: list[list[str]], table: Slice) -> bytes:
    document = {
        "dataset": cube.iri,
        "title": cube.title,
        "measure": cube.measure(view.measure_key).__dict__,
        "rows": view.rows.key,
        "columns": view.columns.key if view.columns else None,
        "locks": view.locks,
        "page": view.page,
        "total_rows": table.total_rows,
        "header": lines[0],
        "data": lines[1:],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@router.get("/data/{dataset}/slice")
@router.get("/data/{dataset}/slice.{suffix}")
async def cube_slice(request: Request, dataset: str, suffix: str | None = None) -> Response:
    """The cube's page and slicer (HTML), or the slice as CSV or JSON."""
    formats = {"html": HTML, "csv": CSV, "json": JSON}
    if suffix is not None and suffix not in formats:
        raise NotFoundError(f"A slice is available as .html, .csv or .json, not .{suffix}.")
    context = get_context(request)
    release = context.live.current()
    cube = await cube_of(context, release, dataset)
    view = resolve(cube, dict(request.query_params))
    table = await _slice(context, release, cube, view)
    lines = table_rows(cube, view, table)
    headers = {"vary": "Accept", **CORS}
    if suffix == "csv":
        return Response(_csv(lines), headers={"content-type": CSV.content_type, **headers})
    if suffix == "json":
        return Response(
            _json(cube, view, lines, table), headers={"content-type": JSON.content_type, **headers}
        )
    base = f"/data/{dataset}/slice"
    pages = max(1, -(-table.total_rows // PAGE_ROWS))
    body = context.templates.get_template("cube.html").render(
        cube=cube,
        view=view,
        table=table,
        lines=lines,
        dataset=dataset,
        base=base,
        pages=pages,
        links={
            "csv": f"{base}.csv?{view.query()}",
            "json": f"{base}.json?{view.query()}",
            "all": f"/data/{dataset}/observations.csv?{urlencode(view.locks)}",
            "everything": f"/data/{dataset}/observations.csv",
        },
    )
    return Response(body, headers={"content-type": HTML.content_type, **headers})


def download_query(cube: Cube, locks: dict[str, str]) -> str:
    """SPARQL for every observation matching ``locks`` (dimension IRI -> code IRI): each
    dimension's code and label, the measure, the value and its status."""
    patterns, variables = [], []
    for index, dimension in enumerate(cube.dimensions):
        if dimension.iri in locks:
            patterns.append(f"BIND(<{locks[dimension.iri]}> AS ?d{index})")
        patterns.append(f"?obs <{dimension.iri}> ?d{index} .")
        patterns.append(
            f"OPTIONAL {{ ?d{index} <http://www.w3.org/2000/01/rdf-schema#label> ?l{index} }}"
        )
        variables += [f"(?d{index} AS ?{dimension.key})", f"(?l{index} AS ?{dimension.key}_label)"]
    measures = " ".join(f"<{m.iri}>" for m in cube.measures)
    return f"""SELECT {" ".join(variables)} ?measure ?value ?status WHERE {{
  ?obs <http://purl.org/linked-data/cube#dataSet> <{cube.iri}> .
  {" ".join(patterns)}
  VALUES ?measure {{ {measures} }} ?obs ?measure ?value .
  OPTIONAL {{ ?obs <http://purl.org/linked-data/sdmx/2009/attribute#obsStatus> ?status }}
}}"""


@router.get("/data/{dataset}/observations.csv")
async def cube_observations(request: Request, dataset: str) -> Response:
    """Every observation matching the locks in the query string, streamed (no row cap)."""
    context = get_context(request)
    release = context.live.current()
    cube = await cube_of(context, release, dataset)
    locks = {}
    for key, value in request.query_params.items():
        dimension = cube.dimension(key)
        code = dimension.find(value) if dimension else None
        if dimension is None or code is None:
            raise BadRequestError(f"{key}={value} is not a dimension and code of this cube.")
        locks[dimension.iri] = code.iri
    job = Job(
        query=download_query(cube, locks),
        store_path=str(release.path),
        solutions_format=RESULTS_CSV.media_type,
    )
    answer = await context.queries.run(job)
    disposition = {"content-disposition": f'attachment; filename="{dataset}.csv"'}
    return results_response(answer, RESULTS_CSV, {**disposition, **CORS})
