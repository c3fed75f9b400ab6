"""What an area's page adds for an area: where it sits (the areas it lies within, those within
it, its neighbours), a map, and its profile; and the same in its JSON twin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from opendatacommunities.places.compare import MAX_AREAS as MAX_COMPARED
from opendatacommunities.places.geometry import area_geometries
from opendatacommunities.places.levels import children_of
from opendatacommunities.places.neighbours import neighbours_of
from opendatacommunities.places.profile import Profile, Section, ancestors, area_profile
from opendatacommunities.store import Release
from opendatacommunities.store.search import SearchIndex
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.places.maps import MapArea, area_map
from opendatacommunities.web.places.profiles import cubes_now, place_now, profile_json
from opendatacommunities.web.places.spreads import Spine, spine_chart

#: Areas within an area listed on its page (the level's list has them all).
MAX_CHILDREN = 60


@dataclass(frozen=True)
class AreaLink:
    """An area as a link: name, kind, code and page."""

    iri: str
    label: str
    kind: str
    code: str | None
    href: str


@dataclass(frozen=True)
class AreaPlace:
    """What an area's page shows beside its properties."""

    profile: Profile
    kind: str
    parents: tuple[AreaLink, ...]
    children: tuple[AreaLink, ...]
    children_total: int
    neighbours: tuple[AreaLink, ...] = ()
    map_svg: Markup | None = None
    """The area highlighted among its neighbours, or its parent's other areas."""
    spines: dict[str, Markup] = field(default_factory=dict)
    """Cube IRI -> its section headline against the spread of the area's level."""

    @property
    def compare_href(self) -> str:
        """The area beside its neighbours (or, without any, its siblings), on /compare."""
        others = [a.code for a in self.neighbours if a.code][: MAX_COMPARED - 1]
        if not others:
            return ""
        return "/compare?areas=" + ",".join([self.code, *others])

    @property
    def code(self) -> str:
        """The area's code, as the figures' addresses name it."""
        return self.profile.iri.rsplit("/", 1)[-1]


def _kind(context: AppContext, index: SearchIndex, iri: str) -> str:
    entry = index.get(iri)
    namespace = context.iris.definition("geography/")
    kinds = [t for t in entry.types if t.startswith(namespace)] if entry else []
    found = [k.label for t in sorted(kinds) if (k := index.get(t)) is not None]
    return found[0] if found else ""


def _link(context: AppContext, index: SearchIndex, iri: str) -> AreaLink:
    entry = index.get(iri)
    label = entry.label if entry is not None else iri.rsplit("/", 1)[-1]
    code = entry.notation if entry is not None else None
    return AreaLink(iri, label, _kind(context, index, iri), code, context.iris.page_path(iri))


def is_area(context: AppContext, index: SearchIndex, iri: str) -> bool:
    """Whether ``iri`` is an area of the geography (of a kind of its vocabulary)."""
    return _kind(context, index, iri) != ""


def area_place(context: AppContext, release: Release, iri: str) -> AreaPlace | None:
    """What the page of ``iri`` shows of it as a place; None when it is not an area
    (blocking: for worker threads)."""
    place = place_now(context, release)
    index = place.index
    if not is_area(context, index, iri):
        return None
    profile = area_profile(place, iri, cubes_now(release))
    children = children_of(release, index, iri)
    neighbours = neighbours_of(release, index, iri)
    return AreaPlace(
        profile,
        _kind(context, index, iri),
        tuple(_link(context, index, a) for a in ancestors(index, iri)),
        tuple(_link(context, index, a) for a in children[:MAX_CHILDREN]),
        len(children),
        tuple(_link(context, index, a) for a in neighbours),
        _map(context, release, iri, neighbours),
        {s.cube: chart for s in profile.sections if (chart := _spine(s, profile.label))},
    )


def _spine(section: Section, label: str) -> Markup | None:
    """The headline figure as a spine chart, when it has a number and a spread."""
    headline = section.headline
    value, spread = headline.value.number, headline.spread
    if value is None or spread is None:
        return None
    above = headline.parent
    spine = Spine(
        value,
        spread.minimum,
        spread.lower_quartile,
        spread.median,
        spread.upper_quartile,
        spread.maximum,
        above.value.number if above else None,
        above.label if above else None,
    )
    return spine_chart(spine, label=label, unit=headline.value.unit or "")


def _map(
    context: AppContext, release: Release, iri: str, neighbours: tuple[str, ...]
) -> Markup | None:
    """The area among its neighbours, else among its parent's other areas of its kind."""
    index = place_now(context, release).index
    around = list(neighbours)
    if not around:
        parents = ancestors(index, iri)[:1]
        kind = _kind(context, index, iri)
        siblings = children_of(release, index, parents[0]) if parents else []
        around = [a for a in siblings if _kind(context, index, a) == kind][:MAX_CHILDREN]
    shapes = area_geometries(release, [iri, *around])
    if iri not in shapes:
        return None
    links = [_link(context, index, a) for a in [iri, *around] if a in shapes]
    areas = [MapArea(a.iri, a.label, a.href, shapes[a.iri]) for a in links]
    title = f"{links[0].label} and the areas around it"
    return area_map(areas, title=title, highlight=iri)


def _link_json(link: AreaLink) -> dict[str, Any]:
    return {"uri": link.iri, "label": link.label, "kind": link.kind, "code": link.code}


def place_json(place: AreaPlace) -> dict[str, Any]:
    """The area's place and profile, as its page's JSON twin carries them."""
    return {
        "kind": place.kind,
        "parents": [_link_json(a) for a in place.parents],
        "children": [_link_json(a) for a in place.children],
        "children_total": place.children_total,
        "neighbours": [_link_json(a) for a in place.neighbours],
        **profile_json(place.profile),
        "figures_csv": f"/geography/profiles/{place.code}.csv",
    }
