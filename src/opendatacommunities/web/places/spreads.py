"""Charts of a spread of values: a histogram of a level's values (with an area's marked),
and a Fingertips-style spine (an area's value against its level's range, quartiles and
median, and its parent's value).

>>> edges, counts = bins([1, 2, 2, 3, 10])
>>> sum(counts), edges[0] <= 1, edges[-1] >= 10
(5, True, True)
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from opendatacommunities.web.places.figures import (
    Figure,
    Table,
    figure_id,
    number,
    ticks,
    with_unit,
)

WIDTH = 640
_HEIGHT = 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 24, 40
_SPINE_HEIGHT = 72


def bins(values: Sequence[float], marker: float | None = None) -> tuple[list[float], list[int]]:
    """Round, equal-width bins covering the values and the marker (Sturges' count, at most
    20) and how many values fall in each (the last bin holds its upper edge)."""
    span = [*values, *([marker] if marker is not None else [])] or [0.0]
    wanted = min(20, max(4, math.ceil(math.log2(max(len(values), 1)) + 1)))
    edges = ticks(min(span), max(span), wanted)
    counts = [0] * (len(edges) - 1)
    step = edges[1] - edges[0]
    for value in values:
        counts[min(int((value - edges[0]) // step), len(counts) - 1)] += 1
    return edges, counts


def _bars(edges: list[float], counts: list[int], unit: str) -> tuple[str, float]:
    """The histogram's bars, and the canvas units per unit of value."""
    plot_width, plot_height = WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    x_of = plot_width / (edges[-1] - edges[0])
    y_of = plot_height / max(max(counts), 1)
    out = []
    for (low, high), count in zip(itertools.pairwise(edges), counts, strict=True):
        x, height = _LEFT + (low - edges[0]) * x_of, count * y_of
        words = f"{with_unit(low, unit)} to {with_unit(high, unit)}: {count}"
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{_TOP + plot_height - height:.1f}" '
            f'width="{max((high - low) * x_of - 1, 0.5):.1f}" height="{height:.1f}">'
            f"<title>{escape(words)}</title></rect>"
        )
    return "".join(out), x_of


def _axis(edges: list[float], x_of: float, unit: str) -> str:
    every = max(1, math.ceil(len(edges) / 8))
    y = _HEIGHT - _BOTTOM
    marks = [
        f'<text class="tick" x="{_LEFT + (e - edges[0]) * x_of:.1f}" y="{y + 16}" '
        f'text-anchor="middle">{escape(with_unit(e, unit))}</text>'
        for i, e in enumerate(edges)
        if i % every == 0
    ]
    return f'<line class="axis" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y}" y2="{y}"/>' + "".join(
        marks
    )


def _marker(edges: list[float], x_of: float, marker: float, unit: str) -> str:
    x = _LEFT + (marker - edges[0]) * x_of
    return (
        f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 8}" '
        f'y2="{_HEIGHT - _BOTTOM}"/><text class="marker-label" x="{x + 4:.1f}" y="{_TOP - 10}">'
        f"{escape(with_unit(marker, unit))}</text>"
    )


def histogram(
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    marker: float | None = None,
    download: str | None = None,
) -> Markup:
    """A distribution: how many values fall in each of a few equal ranges; ``marker`` (the
    page's area) drawn as a line across."""
    edges, counts = bins(values, marker)
    drawing, x_of = _bars(edges, counts, unit)
    drawing += _axis(edges, x_of, unit)
    if marker is not None:
        drawing += _marker(edges, x_of, marker, unit)
    rows = [
        (f"{with_unit(low, unit)} to {with_unit(high, unit)}", number(count))
        for (low, high), count in zip(itertools.pairwise(edges), counts, strict=True)
    ]
    summary = f"{len(values)} values in {len(counts)} ranges" + (
        f"; the marked value is {with_unit(marker, unit)}." if marker is not None else "."
    )
    return Figure(
        "chart histogram",
        figure_id("histogram", title, tuple(values), marker),
        title,
        f"0 0 {WIDTH} {_HEIGHT}",
        drawing,
        summary,
        Table(("Range", "How many"), rows),
        download,
    ).html()


@dataclass(frozen=True)
class Spine:
    """An area's value against its level's spread (Fingertips' spine chart), and its
    parent's value where there is one."""

    value: float
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float
    parent: float | None = None
    parent_label: str | None = None

    @classmethod
    def of(
        cls,
        value: float,
        values: Sequence[float],
        parent: float | None = None,
        parent_label: str | None = None,
    ) -> Spine:
        """The spine of ``value`` among ``values`` (its level's figures; at least one):
        their range, quartiles (inclusive, as a spreadsheet's QUARTILE) and median.

        >>> Spine.of(7, [1, 3, 5, 7, 9]).lower_quartile, Spine.of(7, [1, 3, 5, 7, 9]).median
        (3.0, 5.0)
        """
        ordered = sorted(values)
        if len(ordered) == 1:
            ordered = ordered * 2  # one figure is its own quartiles
        lower, middle, upper = statistics.quantiles(ordered, n=4, method="inclusive")
        return cls(value, ordered[0], lower, middle, upper, ordered[-1], parent, parent_label)


def _spine_drawing(spine: Spine, label: str, unit: str) -> str:
    """The range, the middle half, the median, the parent (a diamond), the area (a dot)."""
    known = [spine.minimum, spine.maximum, spine.value]
    known += [spine.parent] if spine.parent is not None else []
    low, high = min(known), max(known)
    x_of = (WIDTH - _LEFT - _RIGHT) / ((high - low) or 1)

    def x(value: float) -> float:
        return _LEFT + (value - low) * x_of

    middle = _SPINE_HEIGHT / 2
    out = [
        f'<rect class="range" x="{x(spine.minimum):.1f}" y="{middle - 10}" '
        f'width="{x(spine.maximum) - x(spine.minimum):.1f}" height="20"/>',
        f'<rect class="quartiles" x="{x(spine.lower_quartile):.1f}" y="{middle - 10}" '
        f'width="{x(spine.upper_quartile) - x(spine.lower_quartile):.1f}" height="20"/>',
        f'<line class="median" x1="{x(spine.median):.1f}" x2="{x(spine.median):.1f}" '
        f'y1="{middle - 14}" y2="{middle + 14}"/>',
    ]
    if spine.parent is not None:
        px, name = x(spine.parent), spine.parent_label or "Parent area"
        out.append(
            f'<path class="parent" d="M{px:.1f} {middle - 9} L{px + 9:.1f} {middle} '
            f'L{px:.1f} {middle + 9} L{px - 9:.1f} {middle} Z">'
            f"<title>{escape(name)}: {escape(with_unit(spine.parent, unit))}</title></path>"
        )
    out.append(
        f'<circle class="area" cx="{x(spine.value):.1f}" cy="{middle}" r="8">'
        f"<title>{escape(label)}: {escape(with_unit(spine.value, unit))}</title></circle>"
    )
    return "".join(out)


def _key(label: str, spine: Spine) -> str:
    """What the spine's marks stand for, in words beside small copies of them."""
    parent = (
        f'<span><span class="mark parent" aria-hidden="true">◇</span> '
        f"{escape(spine.parent_label or 'Parent area')}</span>"
        if spine.parent is not None
        else ""
    )
    return (
        f'<p class="key"><span><span class="mark area" aria-hidden="true">●</span> '
        f"{escape(label)}</span>{parent}"
        '<span><span class="mark median" aria-hidden="true">|</span> median</span>'
        '<span><span class="mark quartiles" aria-hidden="true">■</span> middle half of '
        "the areas</span></p>"
    )


def spine_chart(spine: Spine, *, label: str, unit: str = "", download: str | None = None) -> Markup:
    """One figure of an area (``label``) against the spread of its level: the range
    (light), the middle half (darker), the median (a line), the parent (a diamond) and the
    area (a dot)."""
    rows = [(label, with_unit(spine.value, unit))]
    if spine.parent is not None:
        rows.append((spine.parent_label or "Parent area", with_unit(spine.parent, unit)))
    rows += [
        (name, with_unit(value, unit))
        for name, value in (
            ("Lowest", spine.minimum),
            ("Lower quartile", spine.lower_quartile),
            ("Median", spine.median),
            ("Upper quartile", spine.upper_quartile),
            ("Highest", spine.maximum),
        )
    ]
    summary = (
        f"{label}: {with_unit(spine.value, unit)}; areas of its kind range from "
        f"{with_unit(spine.minimum, unit)} to {with_unit(spine.maximum, unit)}, median "
        f"{with_unit(spine.median, unit)}."
    )
    return Figure(
        "chart spine",
        figure_id("spine", label, spine),
        label,
        f"0 0 {WIDTH} {_SPINE_HEIGHT}",
        _spine_drawing(spine, label, unit),
        summary,
        Table(("", "Value"), rows),
        download,
        _key(label, spine),
    ).html()
