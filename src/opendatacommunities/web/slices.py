"""A view's table, and its CSV and JSON twins: the rows in the order asked for, one page of
them with their cells, written as text (CSV), structured data (JSON) or a page (HTML) with
the same headings and the same cells.

Row orders by label, code or the cube's own order need no query; an order by a column's
values reads that column for every row once, and is kept for the life of the release.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from pyoxigraph import Store

from opendatacommunities.store.cube_tables import Cell, Free, column_cells, page_cells
from opendatacommunities.store.cubes import Code
from opendatacommunities.web.cube_index import CubeIndex
from opendatacommunities.web.cube_views import (
    NO_OBSERVATION,
    Table,
    View,
    header,
    text_rows,
    title,
)

_INTEGER = re.compile(r"^[+-]?\d+$")


Values = tuple[tuple[tuple[float, int, Code], ...], tuple[Code, ...]]
"""A column's numbers with their rows (and the rows' places), and the rows without one."""


def _values(store: Store, view: View) -> Values:
    """The sorted column's value in every row (read once for both directions)."""
    locks = view.lock_iris
    column = view.sort_column
    if column is not None and view.columns is not None:
        locks[view.columns.key] = column.iri
    cells = column_cells(store, view.cube, locks, Free("row", view.rows))
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


def row_order(store: Store, index: CubeIndex, view: View) -> tuple[Code, ...]:
    """Every row code of the view, in the order its sort asks for."""
    codes = view.rows.codes
    sort = view.sort
    if sort.by == "order":
        return tuple(reversed(codes)) if sort.descending else codes
    key = (view.cube.iri, view.rows.key, sort.by)
    if sort.by in ("label", "code"):
        if sort.by == "label":
            ordered = index.order(
                key, lambda: tuple(sorted(codes, key=lambda c: c.label.casefold()))
            )
        else:
            ordered = index.order(key, lambda: tuple(sorted(codes, key=lambda c: c.key)))
        return tuple(reversed(ordered)) if sort.descending else ordered
    locks = (*key, tuple(sorted(view.lock_iris.items())))
    values = index.order(("values", *locks), lambda: _values(store, view))
    return index.order((*locks, sort.descending), lambda: _by_value(values, sort.descending))


def build_table(store: Store, index: CubeIndex, view: View) -> Table:
    """The page of ``view`` its ``page`` names.

    Reads one page of cells: ``view.page_size`` rows by every column.
    """
    ordered = row_order(store, index, view)
    start = (view.page - 1) * view.page_size
    page = ordered[start : start + view.page_size]
    cells: dict[tuple[str, str], Cell] = {}
    if page:
        rows = Free("row", view.rows, tuple(code.iri for code in page))
        columns = Free("col", view.columns) if view.columns is not None else None
        cells = page_cells(store, view.cube, view.lock_iris, rows, columns)
    columns_codes = view.columns.codes if view.columns is not None else ()
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
