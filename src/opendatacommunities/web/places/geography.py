"""``/geography``: the levels of statistical geography in plain words, with how many areas and
datasets each has; ``/geography/{level}``: the areas of one level, searched (``?q=``) and
paged (``?page=``). Each has ``.json`` and ``.csv`` twins, and is kept for the release.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import CSV, HTML, JSON, WebFormat
from opendatacommunities.places.geometry import area_geometries
from opendatacommunities.places.levels import (
    AreaPage,
    GeographyLevel,
    find_level,
    geography_levels,
    level_areas,
)
from opendatacommunities.store import Release
from opendatacommunities.store.search import SearchIndex
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.explore import list_headers
from opendatacommunities.web.places.maps import MapArea, area_map
from opendatacommunities.web.places.profiles import cubes_now, index_now
from opendatacommunities.web.serving import serve_once
from opendatacommunities.web.target import requested_page

_FORMATS = {"html": HTML, "json": JSON, "csv": CSV}
MAX_QUERY = 200
#: Areas a level's map draws at most: past this, it draws the page's areas only.
MAX_MAPPED = 1000


def _format(suffix: str | None) -> WebFormat:
    if suffix is None:
        return HTML
    if suffix not in _FORMATS:
        raise NotFoundError(f"This page is available as .json or .csv, not .{suffix}.")
    return _FORMATS[suffix]


def levels_now(context: AppContext, release: Release) -> list[GeographyLevel]:
    """The release's geography levels (blocking)."""
    index = index_now(context, release)
    return geography_levels(release, index, context.iris, cubes_now(release))


def _level_json(level: GeographyLevel) -> dict[str, Any]:
    return {
        "type": level.iri,
        "label": level.label,
        "areas": level.areas,
        "key": level.key,
        "definition": level.definition,
        "datasets": level.datasets,
        "href": level.href,
    }


def _levels_body(context: AppContext, release: Release, fmt: WebFormat) -> bytes:
    levels = levels_now(context, release)
    if fmt is JSON:
        document = {"levels": [_level_json(v) for v in levels]}
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    if fmt is CSV:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(("type", "label", "areas", "key", "datasets", "definition"))
        writer.writerows((v.iri, v.label, v.areas, v.key, v.datasets, v.definition) for v in levels)
        return out.getvalue().encode()
    page = context.templates.get_template("geography.html")
    return page.render(levels=levels).encode()


def _rendered(release: Release, fmt: WebFormat, body: bytes, alternates: str = "") -> Rendered:
    headers = list_headers(release, fmt)
    if alternates:
        headers["link"] = alternates
    return Rendered(body, headers, headers["etag"])


def _alternates(path: str, query: str) -> str:
    tail = f"?{query}" if query else ""
    return ", ".join(
        f'<{path}.{f.key}{tail}>; rel="alternate"; type="{f.media_type}"' for f in (JSON, CSV)
    )


async def levels(request: Request, suffix: str | None = None) -> Response:
    """The levels of statistical geography, each in words, with its areas and datasets."""
    fmt, context = _format(suffix), get_context(request)
    release = context.live.current()

    def render() -> Rendered:
        body = _levels_body(context, release, fmt)
        return _rendered(release, fmt, body, _alternates("/geography", "") if fmt is HTML else "")

    key = (release.id, "geography", fmt.key)
    return await serve_once(request, release.id, key, lambda: run_in_threadpool(render))


@dataclass(frozen=True)
class _Asked:
    level: str
    query: str
    page: int
    fmt: WebFormat


def _query(request: Request) -> str:
    text = request.query_params.get("q", "").strip()
    if len(text) > MAX_QUERY:
        raise NotFoundError(f"A search may be at most {MAX_QUERY} characters long.")
    return text


def _area_rows(context: AppContext, index: SearchIndex, found: AreaPage) -> list[dict[str, Any]]:
    rows = []
    for hit in found.hits:
        entry = hit.entry
        parents = [p.label for iri in entry.parents if (p := index.get(iri)) is not None]
        rows.append(
            {
                "uri": entry.iri,
                "label": entry.label,
                "code": entry.notation,
                "within": ", ".join(sorted(parents)),
                "page": context.iris.page_path(entry.iri),
            }
        )
    return rows


def _level_body(context: AppContext, release: Release, asked: _Asked) -> bytes:
    level = find_level(levels_now(context, release), asked.level)
    index = index_now(context, release)
    found = level_areas(index, level, asked.query, asked.page)
    rows = _area_rows(context, index, found)
    if asked.fmt is JSON:
        document = {
            "level": _level_json(level),
            "query": found.query,
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "results": rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    if asked.fmt is CSV:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["uri", "label", "code", "within", "page"])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    links = _pages(level, found)
    map_svg = _level_map(context, release, index, found)
    page = context.templates.get_template("geography_level.html")
    return page.render(level=level, found=found, rows=rows, links=links, map_svg=map_svg).encode()


def _level_map(
    context: AppContext, release: Release, index: SearchIndex, found: AreaPage
) -> Markup | None:
    """An outline map of the areas listed (every match, or only this page's when they are
    too many to draw), each a link to its page; None when none has a boundary or centre."""
    matched = [hit.entry.iri for hit in index.search(found.query, kind=found.level.iri)]
    shapes = area_geometries(release, matched)
    if len(shapes) > MAX_MAPPED:
        shapes = area_geometries(release, [hit.entry.iri for hit in found.hits])
    if not shapes:
        return None
    areas = [
        MapArea(iri, entry.label, context.iris.page_path(iri), wkt)
        for iri, wkt in shapes.items()
        if (entry := index.get(iri)) is not None
    ]
    what = f"{found.level.label}s" + (f" matching “{found.query}”" if found.query else "")
    return area_map(areas, title=f"Where the {what} are")


def _pages(level: GeographyLevel, found: AreaPage) -> dict[str, str]:
    def at(number: int) -> str:
        params = {"q": found.query, "page": number if number > 1 else ""}
        query = urlencode({k: v for k, v in params.items() if v != ""})
        return level.href + (f"?{query}" if query else "")

    links = {}
    if found.page > 1:
        links["prev"] = at(found.page - 1)
    if found.page < found.pages:
        links["next"] = at(found.page + 1)
    return links


async def level(request: Request, level: str, suffix: str | None = None) -> Response:
    """The areas of one level, searched and paged."""
    fmt, context = _format(suffix), get_context(request)
    release = context.live.current()
    asked = _Asked(level, _query(request), requested_page(request), fmt)

    def render() -> Rendered:
        body = _level_body(context, release, asked)
        query = request.url.query
        alternates = _alternates(f"/geography/{level}", query) if fmt is HTML else ""
        return _rendered(release, fmt, body, alternates)

    key = (release.id, "geography-level", level.casefold(), asked)
    return await serve_once(request, release.id, key, lambda: run_in_threadpool(render))
