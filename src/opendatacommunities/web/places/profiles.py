"""Area profiles on the web: the profile on an area's page (``/doc/statistical-geography/
{code}``), in its JSON twin, and its figures as a table (``/geography/profiles/{code}.csv``,
``.json``): every figure with its parent's, its rank and its level's spread.

The cubes, their levels and spreads are read once per release, before the release is served
(``prepare``); a profile is then one query per cube for the area and one for its parent.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import CSV, JSON, WebFormat
from opendatacommunities.places.neighbours import neighbours_of
from opendatacommunities.places.profile import CubeAndLevels, Figure, Place, Profile, area_profile
from opendatacommunities.places.spread import spreads_of
from opendatacommunities.store import Release
from opendatacommunities.store.cube.structure import find_cubes
from opendatacommunities.store.search import SEARCH_INDEX, SearchIndex, search_index
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.explore import list_headers
from opendatacommunities.web.serving import serve_once

_FORMATS = {"json": JSON, "csv": CSV}


def cubes_now(release: Release) -> list[CubeAndLevels]:
    """Every cube of the release with its levels, as the cube pages read them (blocking)."""
    index = CubeIndex.of(release)
    iris = index.compute(("cube-iris",), partial(find_cubes, release))
    cubes = [cube for iri in iris if (cube := index.cube_now(iri)) is not None]
    return [(cube, index.levels_now(cube)) for cube in cubes]


def index_now(context: AppContext, release: Release) -> SearchIndex:
    """The release's search index (names, kinds and parents of areas), made once (blocking)."""
    found = release.cache.get(SEARCH_INDEX)
    if found is not None:
        return found
    vocabulary = context.iris.definition("geography/")
    return search_index(release, parent=vocabulary + "parent", status=vocabulary + "status")


def place_now(context: AppContext, release: Release) -> Place:
    """Where profiles of ``release`` are made (blocking)."""
    return Place(release, context.iris, index_now(context, release))


def prepare(context: AppContext, release: Release) -> None:
    """Read every cube's spreads, and which areas touch, so that no profile waits for them
    (blocking)."""
    for cube, levels in cubes_now(release):
        spreads_of(release, cube, levels)
    neighbours_of(release, index_now(context, release), "")


def profile_now(context: AppContext, release: Release, area: str) -> Profile:
    """The profile of ``area`` (blocking)."""
    return area_profile(place_now(context, release), area, cubes_now(release))


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def figure_json(figure: Figure) -> dict[str, Any]:
    """One figure as the JSON twins carry it."""
    spread, parent = figure.spread, figure.parent
    return {
        "label": figure.label,
        "value": _number(figure.value.number),
        "text": figure.value.text(figure.label),
        "unit": figure.value.unit,
        "status": figure.value.status,
        "words": figure.words,
        "observation": figure.href,
        "slice": figure.slice_href,
        "parent": None
        if parent is None
        else {"uri": parent.iri, "label": parent.label, "value": _number(parent.value.number)},
        "rank": figure.rank or None,
        "spread": None
        if spread is None
        else {
            "areas": spread.count,
            "minimum": _number(spread.minimum),
            "lower_quartile": _number(spread.lower_quartile),
            "median": _number(spread.median),
            "upper_quartile": _number(spread.upper_quartile),
            "maximum": _number(spread.maximum),
        },
    }


def profile_json(profile: Profile) -> dict[str, Any]:
    """The profile as the JSON twins carry it: a section per cube."""
    return {
        "uri": profile.iri,
        "label": profile.label,
        "sections": [
            {
                "dataset": section.cube,
                "title": section.title,
                "href": section.href,
                "slice": section.slice_href,
                "level": section.level.key if section.level else None,
                "figures": [figure_json(f) for f in section.figures],
                "former_code": section.former or None,
                "trend_label": section.trend_label,
                "trend": [
                    {"period": p.period, "value": _number(p.value.number), "observation": p.href}
                    for p in section.trend
                ],
            }
            for section in profile.sections
        ],
    }


#: The columns of a figures table (a profile's, a comparison's).
FIGURE_COLUMNS = (
    "area",
    "area_label",
    "dataset",
    "figure",
    "value",
    "unit",
    "status",
    "parent",
    "parent_value",
    "rank",
    "areas",
    "minimum",
    "lower_quartile",
    "median",
    "upper_quartile",
    "maximum",
    "observation",
    "slice",
)


def figure_row(profile: Profile, title: str, figure: Figure) -> list[object]:
    """One figure as a row of ``FIGURE_COLUMNS``."""
    spread, parent = figure.spread, figure.parent
    numbers: Sequence[float | None] = (None,) * 6
    if spread is not None:
        low, high = spread.lower_quartile, spread.upper_quartile
        numbers = (spread.count, spread.minimum, low, spread.median, high, spread.maximum)
    return [
        profile.iri,
        profile.label,
        title,
        figure.label,
        figure.value.lexical,
        figure.value.unit,
        figure.value.status,
        parent.label if parent else None,
        parent.value.lexical if parent else None,
        figure.rank,
        *(_number(n) for n in numbers),
        figure.href,
        figure.slice_href,
    ]


def profile_csv(profile: Profile) -> str:
    """The profile's figures, a row each."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIGURE_COLUMNS)
    for section in profile.sections:
        writer.writerows(figure_row(profile, section.title, f) for f in section.figures)
    return out.getvalue()


@dataclass(frozen=True)
class _Request:
    context: AppContext
    release: Release
    area: str
    fmt: WebFormat


def _render(asked: _Request) -> Rendered:
    profile = profile_now(asked.context, asked.release, asked.area)
    if not profile.sections and index_now(asked.context, asked.release).get(asked.area) is None:
        raise NotFoundError(f"There is no area {asked.area.rsplit('/', 1)[-1]} here.")
    if asked.fmt is JSON:
        body = json.dumps(profile_json(profile), ensure_ascii=False, indent=2)
    else:
        body = profile_csv(profile)
    headers = list_headers(asked.release, asked.fmt)
    return Rendered(body.encode(), headers, headers["etag"])


async def area_figures(request: Request, code: str, suffix: str) -> Response:
    """An area's profile figures as a table: ``/geography/profiles/{code}.csv`` (or JSON)."""
    if suffix not in _FORMATS:
        raise NotFoundError(f"An area's figures are available as .json or .csv, not .{suffix}.")
    context = get_context(request)
    release = context.live.current()
    asked = _Request(context, release, context.iris.area(code), _FORMATS[suffix])
    key = (release.id, "profile-figures", code, suffix)
    return await serve_once(request, release.id, key, lambda: run_in_threadpool(_render, asked))
