"""``/data/{dataset}/map`` (HTML, ``.json``, ``.csv``): a choropleth of one measure of a cube
for every area of one geography level, each other dimension fixed to one code:
``/data/people/map?level=ElectoralWard&measure=people&refPeriod=2020``. The parameters are
the slicer's (``web.cube.views.resolve`` reads them), less the slicer's arrangement: the
areas are always the rows, the measure the one column. Levels known only by their centroids
make a point map. The JSON and CSV twins give each area's figure, class and colour.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from functools import partial
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.formats import CSV, HTML, JSON, WebFormat
from opendatacommunities.places.choropleth import Choropleth, MappedArea, choropleth
from opendatacommunities.places.classes import SCHEME
from opendatacommunities.places.geometry import area_geometries
from opendatacommunities.store import Release
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Cube
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.cube.browse import CORS, cube_of
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_json, levels_of
from opendatacommunities.web.cube.pages import MAX_OPTIONS
from opendatacommunities.web.cube.views import View, resolve, title, value_heading
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.negotiation import choose
from opendatacommunities.web.places.maps import MapArea, area_map
from opendatacommunities.web.serving import serve_once

MAP_FORMATS = (HTML, JSON, CSV)
CSV_HEADER = ("area", "label", "value", "class", "colour")


def _format(request: Request, suffix: str | None) -> WebFormat:
    if suffix is not None:
        found = next((f for f in MAP_FORMATS if f.key == suffix), None)
        if found is None:
            raise NotFoundError(f"A map is available as .html, .json or .csv, not .{suffix}.")
        return found
    return choose(request.headers.get("accept"), MAP_FORMATS, "A map")


def _mapped_level(release: Release, levels: CubeLevels) -> str:
    """The level a map shows by default: of those with the most areas that have a shape, the
    first (most areas) - so a cube of wards and their council area maps its wards."""

    def drawn(level: AreaLevel) -> int:
        return len(area_geometries(release, level.areas))

    return max(levels.levels, key=drawn).key


def map_view(
    release: Release, cube: Cube, query: Sequence[tuple[str, str]], levels: CubeLevels
) -> View:
    """The slice a map's query string asks for: every area of one level by one measure.

    :raises NotFoundError: the cube has no areas, or a code it does not take.
    :raises BadRequestError: a parameter the map does not take, an unknown level.
    """
    area = levels.dimension
    if area is None:
        raise NotFoundError(f"{cube.title} has no areas to map.")
    takes = ["level", *(d.key for d in cube.dimensions if d.key != area)]
    unknown = [key for key, _ in query if key not in takes]
    if unknown:
        raise BadRequestError(f"Unknown parameter {unknown[0]!r}; a map takes {', '.join(takes)}.")
    params = list(query)
    if levels.mixed and not any(key == "level" for key, _ in params):
        params.append(("level", _mapped_level(release, levels)))
    return resolve(cube, [("rows", area), ("columns", "none"), *params], levels)


def _unit(view: View) -> str:
    measure = view.measure
    found = view.cube.measure(measure.iri) if measure is not None else None
    unit = found.unit if found is not None else None
    # Other units are named in the title (value_heading): only a percentage is written by figures.
    return (
        "%"
        if unit is not None and unit.lower() in ("per cent", "percent", "percentage", "%")
        else ""
    )


def map_links(dataset: str, view: View) -> dict[str, str]:
    """The map's addresses in each format, and the slice and dataset it comes from."""
    query = urlencode(view.params(rows=None, columns=None))
    base = f"/data/{dataset}/map"
    return {
        "canonical": f"{base}?{query}",
        "alternate json": f"{base}.json?{query}",
        "alternate csv": f"{base}.csv?{query}",
        "describedby": f"/data/{dataset}",
        "related": f"/data/{dataset}/slice?{view.query(sort='-value')}",
    }


def _area_json(context: AppContext, area: MappedArea) -> dict[str, Any]:
    return {
        "area": area.code,
        "uri": area.iri,
        "label": area.label,
        "value": area.value,
        "status": area.status,
        "class": area.rank,
        "colour": area.band.colour if area.band is not None else None,
        "profile": context.iris.page_path(area.iri),
        "drawn": area.wkt is not None,
    }


def map_json(context: AppContext, view: View, data: Choropleth, links: dict[str, str]) -> bytes:
    """The choropleth's data: the view, the classes and each area's figure and colour."""
    document = {
        "dataset": view.cube.iri,
        "title": view.cube.title,
        "view": title(view),
        "measure": value_heading(view),
        "locks": {d.key: {"label": c.label, "code": c.key, "uri": c.iri} for d, c in view.locks},
        **levels_json(view),
        "kind": "points" if data.points else "areas",
        "scheme": SCHEME,
        "classes": [
            {"class": n, "lower": c.lower, "upper": c.upper, "colour": c.colour, "areas": c.count}
            for n, c in enumerate(data.classes.classes, start=1)
        ],
        "areas": [_area_json(context, area) for area in data.areas],
        "links": links,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def map_csv(data: Choropleth) -> bytes:
    """One row per area: its code, name, figure (empty: none), class and colour."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for area in data.areas:
        value = "" if area.value is None else f"{area.value:g}"
        colour = area.band.colour if area.band is not None else ""
        writer.writerow((area.code, area.label, value, area.rank or "", colour))
    return out.getvalue().encode()


def _picture(context: AppContext, view: View, data: Choropleth, links: dict[str, str]) -> str:
    areas = [
        MapArea(a.iri, a.label, context.iris.page_path(a.iri), a.wkt, a.value)
        for a in data.areas
        if a.wkt is not None
    ]
    return area_map(
        areas,
        title=title(view),
        unit=_unit(view),
        download=links["alternate csv"],
        classes=data.classes,  # the level's, as the JSON and CSV give them
    )


def map_page(context: AppContext, dataset: str, view: View, data: Choropleth) -> bytes:
    """The map's HTML page: the choices, the map with its legend and numbers, the links."""
    links = map_links(dataset, view)
    undrawn = [(a.label, context.iris.page_path(a.iri)) for a in data.areas if a.wkt is None]
    return (
        context.templates.get_template("choropleth.html")
        .render(
            cube=view.cube,
            view=view,
            dataset=dataset,
            title=title(view),
            picture=_picture(context, view, data, links) if data.drawn else None,
            data=data,
            undrawn=undrawn,
            links=links,
            area_dimension=view.levels.dimension,
            max_options=MAX_OPTIONS,
        )
        .encode()
    )


def _render(
    context: AppContext, release: Release, dataset: str, view: View, fmt: WebFormat
) -> Rendered:
    data = choropleth(release, view.cube, view.rows, view.lock_iris)
    links = map_links(dataset, view)
    if fmt is JSON:
        body = map_json(context, view, data, links)
    elif fmt is CSV:
        body = map_csv(data)
    else:
        body = map_page(context, dataset, view, data)
    variant = hashlib.sha1(links["canonical"].encode()).hexdigest()[:16]
    headers = {
        **release_headers(release, fmt.content_type, f"map-{fmt.key}-{variant}"),
        "vary": "Accept",
        "link": ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items()),
        **CORS,
    }
    return Rendered(body, headers, headers["etag"])


async def cube_map(request: Request, dataset: str, suffix: str | None = None) -> Response:
    """The choropleth of a cube's measure at one level (HTML), or its data (JSON, CSV)."""
    context = get_context(request)
    fmt = _format(request, suffix)
    release = context.live.current()
    cube = await cube_of(context, release, dataset)
    levels = await run_in_threadpool(levels_of, release, cube)
    query = request.query_params.multi_items()
    view = await run_in_threadpool(map_view, release, cube, query, levels)
    key = ("map", release.id, request.url.path, request.url.query, fmt.key)
    render = partial(_render, context, release, dataset, view, fmt)
    return await serve_once(
        request, release.id, key, lambda: CubeIndex.of(release).shared(key, render)
    )
