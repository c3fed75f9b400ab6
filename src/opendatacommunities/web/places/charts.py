"""Charts drawn on the server as SVG: a ranking (bars), a time series (line), a distribution
(histogram) and a spine (an area against its level's spread and its parent). No script is
needed; each is a ``<figure>`` with its numbers as a table (see ``figures``).

>>> html = bar_chart([Bar("Calton", 62.0, "/doc/statistical-geography/S13002967")], title="D")
>>> html.startswith('<figure class="chart bar"'), 'href="/doc/statistical-geography/S' in html
(True, True)
>>> "<td class=\\"number\\">no figure</td>" in bar_chart([Bar("Linn", None)], title="T")
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from opendatacommunities.web.places.figures import (
    Figure,
    Table,
    clipped,
    figure_id,
    link,
    ticks,
    with_unit,
)
from opendatacommunities.web.places.spreads import Spine, histogram, spine_chart

WIDTH = 640
_ROW = 24
_LABEL = 210
_BAR_END = 560
_LINE_HEIGHT = 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 24, 16, 56


@dataclass(frozen=True)
class Bar:
    """One bar (or one point of a line): its label, value, link and whether it is the area
    the page is about."""

    label: str
    value: float | None
    """None: no figure (shown as such, never as 0)."""
    href: str | None = None
    highlight: bool = False


def _class(bar: Bar, base: str) -> str:
    return f"{base} highlight" if bar.highlight else base


def _bar_row(bar: Bar, y: float, scale: float, zero: float, unit: str) -> str:
    said = with_unit(bar.value, unit)
    label = (
        f'<text class="label" x="{_LABEL - 6}" y="{y + 16}" text-anchor="end">'
        f"{escape(clipped(bar.label, 30))}</text>"
    )
    if bar.value is None:
        shape = f'<text class="missing" x="{zero + 4:.1f}" y="{y + 16}">no figure</text>'
    else:
        x0, x1 = sorted((zero, zero + bar.value * scale))
        shape = (
            f'<rect class="{_class(bar, "bar")}" x="{x0:.1f}" y="{y + 4}" '
            f'width="{max(x1 - x0, 0.5):.1f}" height="{_ROW - 8}"/>'
            f'<text class="value" x="{x1 + 4:.1f}" y="{y + 16}">{escape(said)}</text>'
        )
    return link(bar.href, label + shape, f"{bar.label}: {said}")


def bar_chart(
    bars: Sequence[Bar], *, title: str, unit: str = "", download: str | None = None
) -> Markup:
    """A ranking: one horizontal bar per item, in the order given, labels linking on."""
    values = [b.value for b in bars if b.value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    scale = (_BAR_END - _LABEL) / ((high - low) or 1)
    zero = _LABEL + (0 - low) * scale
    rows = [_bar_row(bar, i * _ROW, scale, zero, unit) for i, bar in enumerate(bars)]
    axis = f'<line class="axis" x1="{zero:.1f}" x2="{zero:.1f}" y1="0" y2="{len(bars) * _ROW}"/>'
    return Figure(
        "chart bar",
        figure_id("bar", title, bars),
        title,
        f"0 0 {WIDTH} {max(len(bars), 1) * _ROW}",
        axis + "".join(rows),
        _spread_words([b.label for b in bars], values, unit),
        Table(("", title), [(b.label, with_unit(b.value, unit)) for b in bars]),
        download,
    ).html()


def _spread_words(labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    """The chart in one sentence: what it covers, its range, and what has no figure."""
    count = len(labels)
    if count == 0:
        return "No figures."
    span = f"{count} figures, {labels[0]} to {labels[-1]}" if count > 1 else f"{count} figure"
    if not values:
        return f"{span}, none given."
    missing = count - len(values)
    return (
        f"{span}, ranging from {with_unit(min(values), unit)} to "
        f"{with_unit(max(values), unit)}" + (f"; {missing} without a figure." if missing else ".")
    )


def _y_axis(marks: list[float], y_of: float, unit: str) -> str:
    """Horizontal grid lines and their labels, on a line chart's canvas."""
    out = []
    for mark in marks:
        y = _TOP + (marks[-1] - mark) * y_of
        out.append(
            f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(with_unit(mark, unit))}</text>"
        )
    return "".join(out)


def _x_labels(points: Sequence[Bar], x_of: float) -> str:
    every = max(1, math.ceil(len(points) / 8))
    bottom = _LINE_HEIGHT - _BOTTOM + 18
    return "".join(
        f'<text class="tick" x="{_LEFT + i * x_of:.1f}" y="{bottom}" text-anchor="middle">'
        f"{escape(clipped(p.label, 12))}</text>"
        for i, p in enumerate(points)
        if i % every == 0 or i == len(points) - 1
    )


def _segments(xy: list[tuple[float, float] | None]) -> str:
    """The line through consecutive points, broken where a point has no figure."""
    paths, run = [], []
    for point in [*xy, None]:
        if point is not None:
            run.append(f"{point[0]:.1f} {point[1]:.1f}")
        elif run:
            paths.append("M" + " L".join(run))
            run = []
    return f'<path class="line" fill="none" d="{" ".join(paths)}"/>' if paths else ""


def line_chart(
    points: Sequence[Bar], *, title: str, unit: str = "", download: str | None = None
) -> Markup:
    """A time series: the points in the order given (oldest first), joined by a line that
    breaks where a figure is missing."""
    values = [p.value for p in points if p.value is not None]
    marks = ticks(min(values, default=0.0), max(values, default=1.0), 4)
    plot_height = _LINE_HEIGHT - _TOP - _BOTTOM
    y_of = plot_height / (marks[-1] - marks[0])
    x_of = (WIDTH - _LEFT - _RIGHT) / max(len(points) - 1, 1)
    xy = [
        None if p.value is None else (_LEFT + i * x_of, _TOP + (marks[-1] - p.value) * y_of)
        for i, p in enumerate(points)
    ]
    dots = [
        link(
            p.href,
            f'<circle class="{_class(p, "point")}" cx="{at[0]:.1f}" cy="{at[1]:.1f}" r="4"/>',
            f"{p.label}: {with_unit(p.value, unit)}",
        )
        for p, at in zip(points, xy, strict=True)
        if at is not None
    ]
    drawing = _y_axis(marks, y_of, unit) + _segments(xy) + "".join(dots)
    return Figure(
        "chart line",
        figure_id("line", title, points),
        title,
        f"0 0 {WIDTH} {_LINE_HEIGHT}",
        drawing + _x_labels(points, x_of),
        _spread_words([p.label for p in points], values, unit),
        Table(("", title), [(p.label, with_unit(p.value, unit)) for p in points]),
        download,
    ).html()


__all__ = ["Bar", "Spine", "bar_chart", "histogram", "line_chart", "spine_chart"]
