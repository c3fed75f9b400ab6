"""Live blocks drawn: a chart, a map, a table or a sentence, each with its numbers as a
table, a link to the query or slice that feeds it, and a CSV download.

Numbers are shown as the data has them, rounded for reading: whole numbers with thousands
separators, others to one decimal place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from opendatacommunities.places.blocks import Block
from opendatacommunities.web.places.frames import Cell, Frame


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
    """Whether the template shows the table (a chart or map shows its own)."""


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


def show(block: Block, frame: Frame) -> Shown:
    """The block drawn from its frame."""
    columns = _columns(block, frame)
    chosen = pick(frame, [frame.keys[i] for i in columns])
    drawing = sentence(block, frame) if block.kind == "figure" and not frame.error else Markup("")
    return Shown(
        block,
        frame,
        drawing,
        chosen.headings,
        _rows(block, chosen),
        table=block.kind != "figure",
    )
