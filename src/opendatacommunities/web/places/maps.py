"""Maps drawn on the server as SVG from the areas' WKT (``web.wkt`` parses and projects it):
a choropleth when the areas have values (classed, colour-blind-safe sequential colours, a
legend with each class's bounds, areas without a figure hatched), an outline map otherwise;
areas known only by their centroid are drawn as dots. Each area is a link to its profile,
focusable, with a title telling its name and figure. No tiles, no script, works offline.

>>> square = "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"
>>> html = area_map([MapArea("http://x/a", "A & B", "/doc/a", square, 3.0)], title="T")
>>> 'href="/doc/a"' in html and "A &amp; B: 3" in html and 'fill="#41b6c4"' in html
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from opendatacommunities.places.classes import SCHEME, Classes, quantile_classes
from opendatacommunities.places.geometry import simplified
from opendatacommunities.web.places.figures import Figure, Table, figure_id, with_unit
from opendatacommunities.web.wkt import RADIUS, Frame, Shapes, shapes_of

#: Detail finer than this share of a canvas unit is dropped before drawing.
_DETAIL = 0.75
NO_DATA = "No figure"
NOTHING = "No boundary or centre is known for these areas."


@dataclass(frozen=True)
class MapArea:
    """An area on a map: its IRI, name, profile page, WKT (a boundary, or a POINT for an
    area known by its centroid) and its value, if the map shows one."""

    iri: str
    label: str
    href: str
    wkt: str
    value: float | None = None


@dataclass(frozen=True)
class _Drawn:
    area: MapArea
    shapes: Shapes


def _drawn(areas: Sequence[MapArea]) -> tuple[list[_Drawn], Frame | None]:
    """The areas that can be drawn, simplified for the canvas, and the frame they fit."""
    raw = [(area, shapes_of([area.wkt])) for area in areas]
    readable = [(a, s) for a, s in raw if s is not None and s.all_points()]
    points = [p for _, s in readable for p in s.all_points()]
    if not points:
        return [], None
    frame = Frame.around(points, any(s.planar for _, s in readable))
    # Only boundaries have detail to drop: points are drawn as read.
    areal = [i for i, (_, shapes) in enumerate(readable) if shapes.rings]
    texts = simplified([readable[i][0].wkt for i in areal], frame.units_per_pixel * _DETAIL)
    drawn = [_Drawn(area, shapes) for area, shapes in readable]
    for i, text in zip(areal, texts, strict=True):
        drawn[i] = _Drawn(drawn[i].area, shapes_of([text]) or drawn[i].shapes)
    return drawn, frame


def _fill(value: float | None, classes: Classes | None, hatch: str) -> str:
    if classes is None:
        return ""
    found = classes.of(value)
    return f' fill="{found.colour}"' if found is not None else f' fill="url(#{hatch})"'


def _area(drawn: _Drawn, frame: Frame, fill: str, unit: str, highlight: str | None) -> str:
    area, shapes = drawn.area, drawn.shapes
    kind = "area highlight" if area.iri == highlight else "area"
    words = area.label if fill == "" else f"{area.label}: {with_unit(area.value, unit)}"
    parts = []
    if shapes.rings:
        d = frame.path(shapes.rings)
        parts.append(f'<path fill-rule="evenodd" d="{d}"{fill}/>')
    for p in shapes.points:
        x, y = frame.xy(p).split()
        parts.append(f'<circle class="point" cx="{x}" cy="{y}" r="{RADIUS:.1f}"{fill}/>')
    return (
        f'<a href="{escape(area.href)}" class="{kind}" data-area="{escape(area.iri)}">'
        f"<title>{escape(words)}</title>{''.join(parts)}</a>"
    )


def _hatch(pattern: str) -> str:
    return (
        f'<defs><pattern id="{pattern}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#767676" stroke-width="3"/></pattern></defs>'
    )


def _swatch(paint: str) -> str:
    return (
        '<svg class="swatch" width="18" height="14" aria-hidden="true" focusable="false">'
        f'<rect width="18" height="14" fill="{paint}"/></svg>'
    )


def _bounds(lower: float, upper: float, unit: str) -> str:
    if lower == upper:
        return with_unit(lower, unit)
    return f"{with_unit(lower, unit)} to {with_unit(upper, unit)}"


def _item(paint: str, words: str, count: int) -> str:
    # The site's "count" class puts the count in brackets.
    areas = "1 area" if count == 1 else f"{count:,} areas"
    return (
        f'<li>{_swatch(paint)} <span>{escape(words)} <span class="count">{areas}</span></span></li>'
    )


def legend(classes: Classes, unit: str, hatch: str, missing: int) -> str:
    """The classes' colours and bounds (lowest first), and the hatching of "no figure"."""
    items = [_item(c.colour, _bounds(c.lower, c.upper, unit), c.count) for c in classes.classes]
    if missing:
        items.append(_item(f"url(#{hatch})", NO_DATA, missing))  # the map's own pattern
    return (
        f'<div class="legend"><p>Quantile classes, colours from {escape(SCHEME)}.</p>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def _summary(areas: Sequence[MapArea], drawn: int, classes: Classes | None, unit: str) -> str:
    said = f"{drawn} of {len(areas)} areas drawn"
    if classes is None or not classes.classes:
        return said + "."
    low, high = classes.classes[0].lower, classes.classes[-1].upper
    return f"{said}, values from {with_unit(low, unit)} to {with_unit(high, unit)}."


def area_map(
    areas: Sequence[MapArea],
    *,
    title: str,
    unit: str = "",
    highlight: str | None = None,
    download: str | None = None,
    classes: Classes | None = None,
) -> Markup:
    """A map of the areas: a choropleth when any has a value, an outline map otherwise;
    ``highlight`` (an area IRI) is outlined. The colours are those of ``classes`` (by
    default, quantile classes of these areas' values: pass the classes of a whole level to
    colour part of it alike). The figures' table lists every area, drawn or not."""
    drawn, frame = _drawn(areas)
    valued = any(area.value is not None for area in areas)
    if valued and classes is None:
        classes = quantile_classes(a.value for a in areas if a.value is not None)
    classes = classes if valued else None
    map_id = figure_id("map", title, unit, highlight, [(a.iri, a.value) for a in areas])
    hatch = f"{map_id}-none"
    body = [_hatch(hatch)] if classes is not None else []
    # The highlighted area last, so that its outline is drawn over its neighbours'.
    ordered = sorted(drawn, key=lambda d: d.area.iri == highlight)
    if frame is not None:
        body += [
            _area(d, frame, _fill(d.area.value, classes, hatch), unit, highlight) for d in ordered
        ]
    if frame is None:
        body.append(f'<text class="nothing" x="0" y="36">{NOTHING}</text>')
    missing = sum(1 for area in areas if area.value is None)
    # Filled by /static/maps.js (where the page loads it) with the area hovered or focused.
    extra = '<p class="map-detail" aria-live="polite"></p>'
    extra += legend(classes, unit, hatch, missing) if classes is not None else ""
    rows = [(a.label, with_unit(a.value, unit) if valued else "") for a in areas]
    return Figure(
        "map choropleth" if valued else "map",
        map_id,
        title,
        frame.view_box() if frame is not None else "0 0 1000 60",
        "".join(body),
        _summary(areas, len(drawn), classes, unit),
        Table(("Area", title if valued else ""), rows),
        download,
        extra,
    ).html()
