"""What every chart and map on the site shares: a ``<figure>`` holding an SVG that names
itself to assistive technology, a caption, the numbers as an HTML table (the accessible
alternative, and what a reader with scripts and images off sees) and a link to download
them; numbers written for people; nice axis ticks.

>>> number(1234567.0), number(0.126), number(-3.0), number(12.5)
('1,234,567', '0.13', '-3', '12.5')
>>> ticks(0, 97)
[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"


def number(value: float) -> str:
    """A figure as people read it: thousands separated, at most two decimals."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    digits = 1 if abs(value) >= 100 else 2
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def with_unit(value: float | None, unit: str) -> str:
    """A figure and its unit ("no figure" for a missing one)."""
    if value is None:
        return "no figure"
    if unit in ("%", ""):
        return number(value) + unit
    return f"{number(value)} {unit}"


def figure_id(kind: str, *parts: object) -> str:
    """An id for a figure's parts, the same for the same figure (pages are cached whole),
    and different for different figures on one page."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=5).hexdigest()
    return f"{kind}-{digest}"


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values covering ``low`` to ``high`` (for an axis)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    return [float(round(first + i * step, 10)) for i in range(round((last - first) / step) + 1)]


@dataclass(frozen=True)
class Table:
    """The numbers behind a figure: column headings and rows of cells (already words)."""

    headings: Sequence[str]
    rows: Sequence[Sequence[str | Markup]]

    def html(self) -> Markup:
        """The table, first column as row headings, other columns right-aligned."""
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in self.headings)
        body = []
        for row in self.rows:
            first, *rest = row
            cells = "".join(f'<td class="number">{escape(c)}</td>' for c in rest)
            body.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>')
        return Markup(
            f'<table class="figures"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )


@dataclass(frozen=True)
class Figure:
    """A chart or map: its kind (a CSS class), id, caption, the SVG's canvas and drawing,
    what it shows in one sentence, its numbers and where to download them."""

    kind: str
    id: str
    title: str
    view_box: str
    drawing: str | Markup
    summary: str
    table: Table
    download: str | None = None
    extra: str = ""
    """Anything shown between the picture and the table (a map's legend)."""

    def html(self) -> Markup:
        """The ``<figure>``; the SVG is named by the caption and described by the summary."""
        caption, desc = f"{self.id}-caption", f"{self.id}-desc"
        # An image's parts are hidden from assistive technology: a drawing whose parts are
        # links (areas, bars) is a group instead, so that each link is reachable and named.
        role = "group" if "<a " in self.drawing else "img"
        svg = (
            f'<svg xmlns="{SVG_NS}" role="{role}" aria-labelledby="{caption}" '
            f'aria-describedby="{desc}" viewBox="{self.view_box}" '
            f'preserveAspectRatio="xMidYMid meet"><desc id="{desc}">{escape(self.summary)}</desc>'
            f"{self.drawing}</svg>"
        )
        download = (
            f'<p class="download"><a href="{escape(self.download)}" download>'
            "Download the numbers (CSV)</a></p>"
            if self.download
            else ""
        )
        return Markup(
            f'<figure class="{self.kind}" id="{self.id}">'
            f'<figcaption id="{caption}">{escape(self.title)}</figcaption>{svg}{self.extra}'
            f"<details><summary>The numbers</summary>{self.table.html()}</details>"
            f"{download}</figure>"
        )


def link(href: str | None, inner: str, title: str) -> str:
    """``inner`` (SVG) wrapped in a link when there is somewhere to go; ``title`` is what a
    pointer's hover and a screen reader tell of it."""
    named = f"<title>{escape(title)}</title>{inner}"
    if href is None:
        return f"<g>{named}</g>"
    return f'<a href="{escape(href)}">{named}</a>'


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
