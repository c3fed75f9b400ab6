"""Live blocks drawn: a chart, a map, a table or a sentence, each with its numbers as a
table, a link to the query or slice that feeds it, and a CSV download.

Numbers are shown as the data has them, rounded for reading: whole numbers with thousands
separators, others to one decimal place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from opendatacommunities.places.blocks import Block
from opendatacommunities.web.places.charts import Bar, bar_chart, line_chart
from opendatacommunities.web.places.frames import Cell, Frame
from opendatacommunities.web.places.maps import MapArea, area_map


@dataclass(frozen=True)
class Shown:
    """A block ready for its template: what is drawn, and the table of its numbers."""

    block: Block
    frame: Frame
    drawing: Markup
    """The chart, map or sentence (empty for a table)."""
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    """The rows shown (the block's ``limit``), numbers written for reading."""
    table: bool
    """Whether the template shows the table (a drawn chart or map holds its own)."""


def readable(number: float) -> str:
    """A number for reading.

    >>> readable(1234567.0), readable(62.54), readable(-0.04), readable(3.0)
    ('1,234,567', '62.5', '-0.0', '3')
    """
    if math.isfinite(number) and number == int(number):
        return f"{int(number):,}"
    return f"{number:,.1f}"


def _read(cell: Cell) -> Cell:
    if cell.number is None:
        return cell
    return Cell(readable(cell.number), cell.number, cell.iri, cell.href)


def _rows(block: Block, frame: Frame) -> tuple[tuple[Cell, ...], ...]:
    rows = frame.rows[: block.limit] if block.limit else frame.rows
    return tuple(tuple(_read(cell) for cell in row) for row in rows)


def _columns(block: Block, frame: Frame) -> list[int]:
    """The columns a table shows: those the block names, else every one."""
    if not block.columns:
        return list(range(len(frame.keys)))
    return [i for key in block.columns if (i := frame.column(key)) is not None]


def sentence(block: Block, frame: Frame) -> Markup:
    """A figure's sentence, its ``{variables}`` filled from the first row (escaped)."""
    first = frame.rows[0] if frame.rows else ()
    parts: list[str] = []
    text = block.caption
    for name in block.placeholders:
        before, _, text = text.partition("{" + name + "}")
        index = frame.column(name)
        cell = _read(first[index]) if first and index is not None else Cell("no figure")
        parts.append(f"{escape(before)}<strong>{escape(cell.text)}</strong>")
    return Markup("".join(parts) + str(escape(text)))


def pick(frame: Frame, keys: Sequence[str]) -> Frame:
    """The frame with only the columns ``keys`` (in that order)."""
    places = [i for key in keys if (i := frame.column(key)) is not None]
    return Frame(
        tuple(frame.keys[i] for i in places),
        tuple(frame.headings[i] for i in places),
        tuple(tuple(row[i] for i in places) for row in frame.rows),
        frame.page,
        frame.csv,
        frame.error,
    )


def map_areas(block: Block, frame: Frame) -> list[str]:
    """The areas a map block would draw (its label column's IRIs); none for other blocks."""
    axes = _axes(block, frame)
    if block.kind != "map" or frame.error or axes is None:
        return []
    return [iri for row in frame.rows if (iri := row[axes[0]].iri) is not None]


def _axes(block: Block, frame: Frame) -> tuple[int, int] | None:
    """The columns of labels (or areas) and values: those named, else a slice's label and
    first value column."""
    x = frame.column(block.x) if block.x else (0 if frame.keys else None)
    y = frame.column(block.y) if block.y else (2 if len(frame.keys) > 2 else None)
    return None if x is None or y is None else (x, y)


def _bars(block: Block, frame: Frame, axes: tuple[int, int]) -> list[Bar]:
    x, y = axes
    rows = frame.rows[: block.limit] if block.limit else frame.rows
    return [Bar(row[x].text, row[y].number, row[x].href) for row in rows]


def _map(
    block: Block, frame: Frame, axes: tuple[int, int], shapes: Mapping[str, str]
) -> Markup | None:
    x, y = axes
    if not shapes:
        return None
    # Areas without a boundary stay in the map's table of numbers, undrawn.
    areas = [
        MapArea(iri, row[x].text, row[x].href or "", shapes.get(iri, ""), row[y].number)
        for row in frame.rows
        if (iri := row[x].iri) is not None
    ]
    title = block.caption or frame.headings[y]
    return area_map(areas, title=title, unit=block.unit, download=frame.csv)


def drawing(block: Block, frame: Frame, shapes: Mapping[str, str]) -> Markup | None:
    """The block's chart or map (with its numbers as a table), or None: a table is drawn
    as one, and a map without any boundary to draw stays a table."""
    axes = _axes(block, frame)
    if frame.error or axes is None or block.kind not in ("chart", "map"):
        return None
    if block.kind == "map":
        return _map(block, frame, axes, shapes)
    draw = line_chart if block.type == "line" else bar_chart
    title = block.caption or frame.headings[axes[1]]
    return draw(_bars(block, frame, axes), title=title, unit=block.unit, download=frame.csv)


def show(block: Block, frame: Frame, shapes: Mapping[str, str] | None = None) -> Shown:
    """The block drawn from its frame; ``shapes`` (area IRI -> WKT) are a map's boundaries."""
    columns = _columns(block, frame)
    chosen = pick(frame, [frame.keys[i] for i in columns])
    drawn = drawing(block, frame, shapes or {})
    if block.kind == "figure" and not frame.error:
        drawn = sentence(block, frame)
    return Shown(
        block,
        frame,
        drawn or Markup(""),
        chosen.headings,
        _rows(block, chosen),
        table=block.kind != "figure" and drawn is None,
    )
