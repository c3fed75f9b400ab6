"""The levels of statistical geography (countries, local authorities, wards, data zones...):
each in plain words, with how many areas it has and how many datasets have figures at it, and
the areas of one level, searched and paged.

Levels are the classes of the site's geography vocabulary that have members; a level's key is
its class's local name (``ElectoralWard``), as the slicer's ``level=`` names it. Everything
comes from the release's search index and the cubes' levels, read once per release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opendatacommunities.errors import NotFoundError
from opendatacommunities.iris import IriSpace, local_name
from opendatacommunities.places.profile import CubeAndLevels
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.definitions import read_definitions
from opendatacommunities.store.search import Hit, SearchIndex

#: Areas on one page of a level's list.
AREAS_PAGE = 50


@dataclass(frozen=True)
class GeographyLevel:
    """A kind of area, in words, with its counts."""

    iri: str
    key: str
    label: str
    definition: str
    areas: int
    datasets: int
    """How many cubes have figures for areas of this level."""

    @property
    def href(self) -> str:
        """Where its areas are listed."""
        return f"/geography/{self.key}"


_DEFINITIONS: Slot[dict[str, str]] = Slot("geography level definitions")


def _definitions(release: Release, kinds: list[str]) -> dict[str, str]:
    return release.cache.once(_DEFINITIONS, lambda: read_definitions(release, kinds))


def geography_levels(
    release: Release, index: SearchIndex, iris: IriSpace, cubes: Sequence[CubeAndLevels]
) -> list[GeographyLevel]:
    """The classes of areas of the geography vocabulary that have members, most first."""
    namespace = iris.definition("geography/")
    kinds = [
        (kind, count)
        for kind, count in index.type_counts.most_common()
        if kind.startswith(namespace) and index.get(kind) is not None
    ]
    definitions = _definitions(release, [kind for kind, _ in kinds])
    levels = []
    for kind, count in kinds:
        entry = index.get(kind)
        assert entry is not None
        datasets = sum(1 for _, lv in cubes if any(level.iri == kind for level in lv.levels))
        text = definitions.get(kind, "")
        levels.append(GeographyLevel(kind, local_name(kind), entry.label, text, count, datasets))
    return levels


def find_level(levels: Sequence[GeographyLevel], key: str) -> GeographyLevel:
    """The level ``key`` names, in any case.

    :raises NotFoundError: no level has that key (the message lists those there are).
    """
    for level in levels:
        if level.key.casefold() == key.casefold():
            return level
    known = ", ".join(level.key for level in levels)
    raise NotFoundError(f"There is no geography level {key!r}; the levels are {known}.")


@dataclass(frozen=True)
class AreaPage:
    """One page of a level's areas (all, or those a search finds)."""

    level: GeographyLevel
    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills."""
        return max(1, -(-self.total // AREAS_PAGE))


def level_areas(index: SearchIndex, level: GeographyLevel, query: str, page: int) -> AreaPage:
    """The areas of ``level`` whose names or codes match ``query`` (every area when it is
    empty; a word may be mistyped by a letter), best first, page ``page``.

    :raises NotFoundError: the page is past the last.
    """
    hits = index.search(query, kind=level.iri)
    start = (page - 1) * AREAS_PAGE
    chosen = tuple(hits[start : start + AREAS_PAGE])
    if page > 1 and not chosen:
        raise NotFoundError(f"There is no page {page}: the list has {len(hits):,} areas.")
    return AreaPage(level, query, chosen, len(hits), page)


_CHILDREN: Slot[dict[str, list[str]]] = Slot("areas within")


def children_of(release: Release, index: SearchIndex, area: str) -> list[str]:
    """The areas whose parent is ``area``, by name (read once per release)."""

    def make() -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for entry in index.entries:  # in order of name
            for parent in entry.parents:
                children.setdefault(parent, []).append(entry.iri)
        return children

    return release.cache.once(_CHILDREN, make).get(area, [])
