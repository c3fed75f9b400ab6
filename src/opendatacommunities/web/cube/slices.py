"""A view's table, and its CSV and JSON twins: the rows in the order asked for, one page of
them with their cells, written as text (CSV), structured data (JSON) or a page (HTML) with
the same headings and the same cells.

Row orders by label, code or the cube's own order need no query; an order by a column's
values reads that column for every row once, and is kept for the life of the release. A
slice of up to ``GRID_CELLS`` cells (a council table, one measure by data zone) is read
whole in the background after its first visit and kept too: its other pages and sorts then
need no query. A bigger one is read a page at a time.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import partial
from typing import Any

from opendatacommunities.store import Release
from opendatacommunities.store.cube.structure import Code
from opendatacommunities.store.cube.tables import Cell, Free, column_cells, page_cells
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.levels import levels_json
from opendatacommunities.web.cube.views import (
    NO_OBSERVATION,
    Table,
    View,
    header,
    text_rows,
    title,
)

_INTEGER = re.compile(r"^[+-]?\d+$")
#: Slices of at most this many cells are read whole and kept (about 3 MB each).
GRID_CELLS = 10_000
Grid = dict[tuple[str, str], Cell]


Values = tuple[tuple[tuple[float, int, Code], ...], tuple[Code, ...]]
"""A column's numbers with their rows (and the rows' places), and the rows without one."""


def _columns(view: View) -> Free | None:
    return Free("col", view.columns) if view.columns is not None else None


def _grid(release: Release, index: CubeIndex, view: View, *, wait: bool = False) -> Grid | None:
    """Every cell of the view's slice, when it is small enough to keep and has been read
    (or, with ``wait``, once it is read)."""
    width = len(view.columns.codes) if view.columns is not None else 1
    if len(view.rows.codes) * width > GRID_CELLS:
        return None
    locks = view.lock_iris
    columns = view.columns.key if view.columns is not None else None
    key = (view.cube.iri, view.rows.key, columns, tuple(sorted(locks.items())))
    rows = Free("row", view.rows)
    read = partial(page_cells, release, view.cube, locks, rows, _columns(view))
    return index.grid_now(key, read) if wait else index.grid(key, read)


def _column(release: Release, index: CubeIndex, view: View) -> dict[str, Cell]:
    """Row code -> the cell of the sorted column (the one column of values if none)."""
    column = view.sort_column
    # Sorting reads the whole column anyway: read the slice it belongs to, once, instead.
    sortable = column is not None or view.columns is None
    grid = _grid(release, index, view, wait=True) if sortable else None
    if grid is not None:
        wanted = column.iri if column is not None else ""
        return {row: cell for (row, where), cell in grid.items() if where == wanted}
    locks = view.lock_iris
    if column is not None and view.columns is not None:
        locks[view.columns.key] = column.iri
    return column_cells(release, view.cube, locks, Free("row", view.rows))


def _values(release: Release, index: CubeIndex, view: View) -> Values:
    """The sorted column's value in every row (read once for both directions)."""
    cells = _column(release, index, view)
    valued, rest = [], []
    for place, code in enumerate(view.rows.codes):
        cell = cells.get(code.iri)
        number = cell.number if cell is not None else None
        if number is None:
            rest.append(code)
        else:
            valued.append((number, place, code))
    return tuple(valued), tuple(rest)


def _by_value(values: Values, descending: bool) -> tuple[Code, ...]:
    """Rows by value, ascending or descending (ties in the dimension's order), then the
    rows without a value (missing values, no observation) in the dimension's order."""
    valued, rest = values
    sign = -1 if descending else 1
    ordered = sorted(valued, key=lambda entry: (sign * entry[0], entry[1]))
    return tuple(code for _, _, code in ordered) + rest


def row_order(release: Release, index: CubeIndex, view: View) -> tuple[Code, ...]:
    """Every row code of the view, in the order its sort asks for."""
    codes = view.rows.codes
    sort = view.sort
    if sort.by == "order":
        return tuple(reversed(codes)) if sort.descending else codes
    level = view.level.key if view.level is not None else None
    key = (view.cube.iri, view.rows.key, level, sort.by)
    if sort.by in ("label", "code"):
        if sort.by == "label":
            ordered = index.order(
                key, lambda: tuple(sorted(codes, key=lambda c: c.label.casefold()))
            )
        else:
            ordered = index.order(key, lambda: tuple(sorted(codes, key=lambda c: c.key)))
        return tuple(reversed(ordered)) if sort.descending else ordered
    locks = (*key, tuple(sorted(view.lock_iris.items())))
    values = index.order(("values", *locks), lambda: _values(release, index, view))
    return index.order((*locks, sort.descending), lambda: _by_value(values, sort.descending))


def build_table(release: Release, index: CubeIndex, view: View) -> Table:
    """The page of ``view`` its ``page`` names: ``view.page_size`` rows by every column,
    from the kept slice where there is one, else read for this page."""
    ordered = row_order(release, index, view)
    start = (view.page - 1) * view.page_size
    page = ordered[start : start + view.page_size]
    columns_codes = view.columns.codes if view.columns is not None else ()
    cells: Grid = {}
    grid = _grid(release, index, view) if page else None
    if grid is not None:
        wanted = [code.iri for code in columns_codes] or [""]
        for row in page:
            for column in wanted:
                cell = grid.get((row.iri, column))
                if cell is not None:
                    cells[(row.iri, column)] = cell
    elif page:
        rows = Free("row", view.rows, tuple(code.iri for code in page))
        cells = page_cells(release, view.cube, view.lock_iris, rows, _columns(view))
    return Table(view, page, columns_codes, cells, len(ordered))


def table_csv(table: Table) -> bytes:
    """The page as CSV: the same headings and cells as the HTML table."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(text_rows(table))
    return out.getvalue().encode()


def _number(text: str) -> int | float:
    return int(text) if _INTEGER.match(text) else float(text)


def _cell_json(cell: Cell | None) -> dict[str, Any]:
    if cell is None:
        return {"value": None, "status": NO_OBSERVATION}
    if cell.value is None:
        return {"value": None, "status": cell.status}
    return {"value": _number(cell.value), "status": None}


def _code_json(code: Code) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": code.key, "label": code.label, "uri": code.iri}
    if code.parent is not None:
        entry["parent"] = code.parent
    if code.total:
        entry["total"] = True
    return entry


def table_json(table: Table, links: dict[str, str]) -> bytes:
    """The page as JSON: the view, the headings, then each row with its cells (a number,
    or null and the reason there is none)."""
    view = table.view
    document = {
        "dataset": view.cube.iri,
        "title": view.cube.title,
        "view": title(view),
        "rows": {"dimension": view.rows.key, "label": view.rows.label},
        "columns": (
            {
                "dimension": view.columns.key,
                "label": view.columns.label,
                "codes": [_code_json(c) for c in table.columns],
            }
            if view.columns is not None
            else None
        ),
        "locks": {d.key: {"dimension": d.label, **_code_json(c)} for d, c in view.locks},
        **levels_json(view),
        "sort": view.sort.text,
        "page": view.page,
        "pages": table.pages,
        "page_size": view.page_size,
        "total_rows": table.total_rows,
        "header": header(table),
        "data": [
            {**_code_json(row), "cells": [_cell_json(c) for c in table.line(row)]}
            for row in table.rows
        ],
        "links": links,
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
