"""``/compare?areas=S13002967,S13002968``: two or more areas of one level side by side, the
same figures as their profiles, with ``/compare.csv`` and ``/compare.json`` holding the numbers
shown. Areas of different levels, or codes no area has, are a 400 naming them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import CSV, HTML, JSON, WebFormat
from opendatacommunities.places.compare import Comparison, compare
from opendatacommunities.store import Release
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.explore import list_headers
from opendatacommunities.web.places.profiles import (
    FIGURE_COLUMNS,
    cubes_now,
    figure_json,
    figure_row,
    place_now,
)
from opendatacommunities.web.serving import serve_once

_FORMATS = {"html": HTML, "json": JSON, "csv": CSV}
#: The longest ``areas=`` read (a dozen IRIs, with room to spare).
MAX_PARAMETER = 2_000


def _format(suffix: str | None) -> WebFormat:
    if suffix is None:
        return HTML
    if suffix not in _FORMATS:
        raise NotFoundError(f"A comparison is available as .json or .csv, not .{suffix}.")
    return _FORMATS[suffix]


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as its JSON twin carries it: the areas, then a row per figure."""
    return {
        "level": comparison.level,
        "areas": [{"uri": p.iri, "label": p.label} for p in comparison.profiles],
        "rows": [
            {
                "dataset": row.cube,
                "title": row.title,
                "figure": row.label,
                "values": [figure_json(f) if f is not None else None for f in row.figures],
            }
            for row in comparison.rows
        ],
    }


def comparison_csv(comparison: Comparison) -> str:
    """The comparison's figures, a row per area and figure (the profiles' columns)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIGURE_COLUMNS)
    for row in comparison.rows:
        for profile, figure in zip(comparison.profiles, row.figures, strict=True):
            if figure is not None:
                writer.writerow(figure_row(profile, row.title, figure))
    return out.getvalue()


def _body(context: AppContext, release: Release, texts: list[str], fmt: WebFormat) -> bytes:
    if not texts and fmt is HTML:
        page = context.templates.get_template("compare.html")
        return page.render(comparison=None, areas="", twin="").encode()
    found = compare(place_now(context, release), texts, cubes_now(release))
    if fmt is JSON:
        return json.dumps(comparison_json(found), ensure_ascii=False, indent=2).encode()
    if fmt is CSV:
        return comparison_csv(found).encode()
    areas = ",".join(p.iri.rsplit("/", 1)[-1] for p in found.profiles)
    twin = quote(areas, safe=",")
    page = context.templates.get_template("compare.html")
    return page.render(comparison=found, areas=areas, twin=twin).encode()


def _texts(request: Request) -> list[str]:
    value = request.query_params.get("areas", "")[:MAX_PARAMETER]
    return [t for t in value.replace(" ", ",").split(",") if t.strip()]


async def comparison(request: Request, suffix: str | None = None) -> Response:
    """Areas side by side (an empty ``areas=`` on the page: a form to choose them)."""
    fmt, context = _format(suffix), get_context(request)
    release = context.live.current()
    texts = _texts(request)

    def render() -> Rendered:
        body = _body(context, release, texts, fmt)
        headers = list_headers(release, fmt)
        return Rendered(body, headers, headers["etag"])

    key = (release.id, "compare", fmt.key, tuple(texts))
    return await serve_once(request, release.id, key, lambda: run_in_threadpool(render))
