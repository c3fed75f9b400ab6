"""Draw GeoSPARQL WKT geometries as inline SVG: no tiles, no scripts, works offline.

>>> svg = wkt_to_svg(["POLYGON((0 0, 1 0, 1 1, 0 0))"], "A")
>>> svg.startswith("<svg") and "<path" in svg
True
>>> wkt_to_svg(["not wkt"], "A") is None
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from opendatacommunities.errors import WktError

Point = tuple[float, float]
# Coordinates nest to a depth that depends on the geometry type, so the parser sees them
# untyped and ``add`` interprets them by type.
Nested = list[Any]

WIDTH = 1000.0
_TOKEN = re.compile(r"\s*(<[^>]*>|[A-Za-z]+|\(|\)|,|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
# GeoSPARQL's EPSG:4326 states latitude first; CRS84 (the default) longitude first.
_LAT_FIRST = re.compile(r"EPSG/0/4326>$")
_PROJECTED = re.compile(r"EPSG/0/(27700|3857|29902)>$")


@dataclass
class Shapes:
    """Geometries reduced to what we draw: closed rings, open lines and points."""

    rings: list[list[Point]] = field(default_factory=list)
    lines: list[list[Point]] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    planar: bool = False

    def all_points(self) -> list[Point]:
        """Every coordinate, for the bounding box."""
        return [p for ring in (*self.rings, *self.lines) for p in ring] + self.points


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise WktError(f"unexpected text at {position}: {text[position : position + 10]!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str], shapes: Shapes, lat_first: bool) -> None:
        self.tokens, self.at, self.shapes, self.lat_first = tokens, 0, shapes, lat_first

    def take(self) -> str:
        """The next token, consumed."""
        if self.at >= len(self.tokens):
            raise WktError("WKT ends too early")
        self.at += 1
        return self.tokens[self.at - 1]

    def peek(self) -> str:
        """The next token, left in place ("" at the end)."""
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def geometry(self) -> None:
        """One tagged geometry (``POLYGON (...)``), added to the shapes."""
        kind = self.take().upper()
        while self.peek().upper() in ("Z", "M", "ZM"):
            self.take()
        if self.peek().upper() == "EMPTY":
            self.take()
            return
        if kind == "GEOMETRYCOLLECTION":
            self.expect("(")
            self.geometry()
            while self.peek() == ",":
                self.take()
                self.geometry()
            self.expect(")")
            return
        self.add(kind, self.nested())

    def expect(self, token: str) -> None:
        """Consume ``token`` or fail."""
        if self.take() != token:
            raise WktError(f"expected {token!r}")

    def nested(self) -> Nested:
        """A parenthesised list: of points (lists of numbers) or of further lists."""
        self.expect("(")
        items: list[Nested] = []
        numbers: list[float] = []
        while True:
            token = self.peek()
            if token == "(":
                items.append(self.nested())
            elif token == ",":
                self.take()
                if numbers:
                    items.append(numbers)
                    numbers = []
            elif token == ")":
                self.take()
                if numbers:
                    items.append(numbers)
                return items
            else:
                numbers.append(float(self.take()))

    def point(self, numbers: Nested) -> Point:
        """(x, y) from a coordinate list, in longitude-latitude order."""
        if len(numbers) < 2 or not isinstance(numbers[0], float):
            raise WktError("a point needs two coordinates")
        x, y = float(numbers[0]), float(numbers[1])
        return (y, x) if self.lat_first else (x, y)

    def points(self, items: Nested) -> list[Point]:
        """A list of points."""
        # MULTIPOINT allows both "(1 2, 3 4)" and "((1 2), (3 4))".
        return [self.point(i[0] if i and isinstance(i[0], list) else i) for i in items]

    def add(self, kind: str, items: Nested) -> None:
        """Interpret parsed coordinates by geometry type."""
        shapes = self.shapes
        if kind == "POINT":
            shapes.points.append(self.point(items[0]))
        elif kind == "MULTIPOINT":
            shapes.points += self.points(items)
        elif kind == "LINESTRING":
            shapes.lines.append(self.points(items))
        elif kind == "MULTILINESTRING":
            shapes.lines += [self.points(line) for line in items]
        elif kind == "POLYGON":
            shapes.rings += [self.points(ring) for ring in items]
        elif kind == "MULTIPOLYGON":
            for polygon in items:
                shapes.rings += [self.points(ring) for ring in polygon]
        else:
            raise WktError(f"cannot draw {kind}")


def parse_wkt(texts: Iterable[str]) -> Shapes:
    """Parse WKT literals (with an optional leading CRS IRI) into ``Shapes``."""
    shapes = Shapes()
    for text in texts:
        tokens = _tokens(text)
        crs = tokens.pop(0) if tokens and tokens[0].startswith("<") else ""
        shapes.planar = shapes.planar or bool(_PROJECTED.search(crs))
        parser = _Parser(tokens, shapes, bool(_LAT_FIRST.search(crs)))
        parser.geometry()
    return shapes


@dataclass(frozen=True)
class Frame:
    """Where coordinates land on the screen: an equirectangular projection of the points'
    bounding box onto a ``WIDTH``-wide canvas (y down), with a margin around it."""

    left: float
    top: float
    x_scale: float
    scale: float
    width: float
    height: float

    @classmethod
    def around(cls, points: Sequence[Point], planar: bool) -> Frame:
        """The frame that fits ``points`` (geographic unless ``planar``)."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        # Equirectangular: shrink longitude by cos(latitude) so that Scotland is not squashed.
        x_scale = 1.0 if planar else math.cos(math.radians((min(ys) + max(ys)) / 2))
        span = max((max(xs) - min(xs)) * x_scale, max(ys) - min(ys), 1e-9)
        scale = WIDTH / span
        width = (max(xs) - min(xs)) * x_scale * scale
        return cls(min(xs), max(ys), x_scale, scale, width, (max(ys) - min(ys)) * scale)

    @property
    def units_per_pixel(self) -> float:
        """How much of the coordinates' units one unit of the canvas covers."""
        return 1 / self.scale

    def xy(self, p: Point) -> str:
        """A point's canvas coordinates, as SVG writes them."""
        x = (p[0] - self.left) * self.x_scale * self.scale
        return f"{x:.1f} {(self.top - p[1]) * self.scale:.1f}"

    def path(self, rings: Iterable[list[Point]], close: bool = True) -> str:
        """SVG path data for rings (closed) or lines (open)."""
        end = " Z" if close else ""
        return " ".join("M" + " L".join(self.xy(p) for p in ring) + end for ring in rings if ring)

    def view_box(self) -> str:
        """The canvas with its margin, as an SVG ``viewBox``."""
        pad = WIDTH * 0.03
        return f"{-pad:.1f} {-pad:.1f} {self.width + 2 * pad:.1f} {self.height + 2 * pad:.1f}"


#: The radius of a drawn point, on the canvas.
RADIUS = WIDTH * 0.012


def shapes_of(texts: Sequence[str]) -> Shapes | None:
    """The drawable shapes of the geometries, or None when they cannot be read."""
    try:
        return parse_wkt(texts)
    except (WktError, ValueError, IndexError):
        return None


def wkt_to_svg(texts: Sequence[str], title: str) -> Markup | None:
    """An SVG map of the geometries, or None when there is nothing drawable."""
    shapes = shapes_of(texts)
    points = shapes.all_points() if shapes is not None else []
    if shapes is None or not points:
        return None
    frame = Frame.around(points, shapes.planar)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
        f'viewBox="{frame.view_box()}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
    ]
    if shapes.rings:
        parts.append(f'<path class="area" fill-rule="evenodd" d="{frame.path(shapes.rings)}"/>')
    for line in shapes.lines:
        parts.append(f'<path class="line" fill="none" d="{frame.path([line], close=False)}"/>')
    for p in shapes.points:
        x, y = frame.xy(p).split()
        parts.append(f'<circle class="point" cx="{x}" cy="{y}" r="{RADIUS:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
