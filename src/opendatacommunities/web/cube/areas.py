"""An area's statistics: on the page of an area (a ward, a council area), its observations
grouped by dataset, each in words ("People, age 90+, 2016: 47"), in the order of the cube's
code lists (periods by time, codes as their list orders them), a page of them per dataset
with links to the rest (``?dataset=population&page=2``). Everything comes from the cubes'
structures, read once per release: no dataset has code of its own here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote

from opendatacommunities.errors import NotFoundError
from opendatacommunities.iris import IriSpace
from opendatacommunities.places.figures import number_text, series_label
from opendatacommunities.places.profile import slice_href
from opendatacommunities.store import Release
from opendatacommunities.store.cube.levels import total_observations
from opendatacommunities.store.cube.structure import Cube, CubeDimension, find_cubes
from opendatacommunities.store.cube.tables import Free, Observation, matching_observations
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_of
from opendatacommunities.web.views import Address

_LAST = 1 << 30


@dataclass(frozen=True)
class Figure:
    """One observation of the area: its codes in words, its value (None when it has none,
    and ``status`` says why), whether it is a total, and its IRI."""

    label: str
    value: str | None
    status: str | None
    total: bool
    iri: str
    href: str
    """Where the observation's page is."""

    @property
    def text(self) -> str:
        """The value as people read it, or why there is none."""
        return number_text(self.value) if self.value is not None else self.status or ""


@dataclass(frozen=True)
class DatasetFigures:
    """One page of an area's observations in one dataset."""

    iri: str
    title: str
    name: str
    """The dataset's name in its address (``/data/{name}``)."""
    count: int
    page: int
    pages: int
    figures: tuple[Figure, ...]
    links: dict[str, str] = field(default_factory=dict)
    """``prev`` and ``next`` pages of this dataset's figures, where there are such pages."""
    slice_href: str = ""
    """The slicer, with the area locked to this one."""


@dataclass(frozen=True)
class Wanted:
    """Which figures a page shows: every dataset's first page, or one page of one dataset."""

    dataset: str | None = None
    page: int = 1
    size: int = 100


def _cubes(release: Release) -> list[Cube]:
    index = CubeIndex.of(release)
    iris = index.compute(("cube-iris",), partial(find_cubes, release))
    return [cube for iri in iris if (cube := index.cube_now(iri)) is not None]


def _area_dimension(cube: Cube, area: str) -> CubeDimension | None:
    return next((d for d in cube.dimensions if d.kind == "area" and d.find(area) is not None), None)


def _label(free: list[Free], codes: dict[str, str]) -> str:
    """The observation's codes in words, as a profile's series is named."""
    return series_label([item.dimension for item in free], [codes[item.variable] for item in free])


def _ordered(free: list[Free], found: list[Observation]) -> list[Observation]:
    """Observations in the order of the code lists, dimension by dimension."""
    places = {
        item.variable: {code.iri: place for place, code in enumerate(item.dimension.codes)}
        for item in free
    }

    def key(observation: Observation) -> tuple[int, ...]:
        return tuple(
            places[item.variable].get(observation.codes[item.variable], _LAST) for item in free
        )

    return sorted(found, key=key)


def _figures(
    release: Release, iris: IriSpace, cube: Cube, dimension: CubeDimension, area: str
) -> list[Figure]:
    free = [Free(f"d{n}", d) for n, d in enumerate(cube.dimensions) if d.key != dimension.key]
    found = matching_observations(release, cube, {dimension.key: area}, free)
    totals: set[str] = set()
    if area in levels_of(release, cube).totals:
        totals = total_observations(release, cube, (dimension, area))
    figures = []
    for found_one in _ordered(free, found):
        cell = found_one.cell
        label = _label(free, found_one.codes)
        total = cell.observation in totals
        href = iris.page_path(cell.observation)
        figures.append(Figure(label, cell.value, cell.status, total, cell.observation, href))
    return figures


@dataclass(frozen=True)
class AreaStatistics:
    """What an area's page shows of its statistics, and the properties linking observations
    to the area (the page lists those links here, not one by one)."""

    datasets: tuple[DatasetFigures, ...] = ()
    properties: frozenset[str] = frozenset()


def _page(
    release: Release,
    iris: IriSpace,
    cube: Cube,
    dimension: CubeDimension,
    area: str,
    address: Address,
    wanted: Wanted,
) -> DatasetFigures:
    path = iris.page_path(cube.iri)
    name = path.removeprefix("/data/")
    figures = _figures(release, iris, cube, dimension, area)
    page = wanted.page if wanted.dataset is not None else 1
    pages = max(1, -(-len(figures) // wanted.size))
    if page > pages:
        raise NotFoundError(
            f"There is no page {page} of {cube.title} for this area: it has {pages}."
        )
    more = Address(
        address.path, "&".join(q for q in (address.query, f"dataset={quote(name, safe='')}") if q)
    )
    links = {}
    if page > 1:
        links["prev"] = more.with_page(page - 1)
    if page < pages:
        links["next"] = more.with_page(page + 1)
    start = (page - 1) * wanted.size
    shown = tuple(figures[start : start + wanted.size])
    slicer = slice_href(iris, cube, dimension, area)
    return DatasetFigures(
        cube.iri, cube.title, name, len(figures), page, pages, shown, links, slicer
    )


def area_statistics(
    release: Release, iris: IriSpace, area: str, address: Address, wanted: Wanted
) -> AreaStatistics:
    """The observations of ``area`` by dataset (datasets by title), as ``wanted`` asks.

    :raises NotFoundError: ``wanted`` names a dataset with no observation of the area, or
        a page past the last.
    """
    held = [(cube, d) for cube in _cubes(release) if (d := _area_dimension(cube, area)) is not None]
    held.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].iri))
    chosen = [
        (cube, d)
        for cube, d in held
        if wanted.dataset is None or iris.page_path(cube.iri) == f"/data/{wanted.dataset}"
    ]
    if wanted.dataset is not None and not chosen:
        raise NotFoundError(
            f"There are no statistics about this area in a dataset {wanted.dataset!r}."
        )
    datasets = tuple(_page(release, iris, cube, d, area, address, wanted) for cube, d in chosen)
    return AreaStatistics(datasets, frozenset(d.iri for _, d in held))


def _number(text: str) -> int | float:
    return int(text) if text.lstrip("+-").isdigit() else float(text)


def statistics_json(datasets: tuple[DatasetFigures, ...]) -> list[dict[str, Any]]:
    """The figures as the JSON twin of an area's page carries them."""
    return [
        {
            "dataset": group.iri,
            "title": group.title,
            "href": f"/data/{group.name}",
            "slice": group.slice_href,
            "count": group.count,
            "page": group.page,
            "pages": group.pages,
            "items": [
                {
                    "label": f.label,
                    "value": _number(f.value) if f.value is not None else None,
                    "status": f.status,
                    "total": f.total,
                    "uri": f.iri,
                }
                for f in group.figures
            ],
            **group.links,
        }
        for group in datasets
    ]
