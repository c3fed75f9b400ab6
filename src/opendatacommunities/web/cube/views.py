"""Slicer views: what a slice URL asks for, made complete, and the table it shows.

A view puts one dimension along the rows and at most one along the columns, and locks every
other dimension to one code (the measure dimension included: ``measure=incomeRate``). What the
URL leaves out takes its default (the biggest dimension along the rows, a small one along the
columns, each lock at its dimension's first code: the total of a hierarchy, the latest
period), and ``View.query`` writes the complete, canonical query string: every view has one
stable URL.

>>> Sort.parse("-value")
Sort(by='value', descending=True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension
from opendatacommunities.store.cube.tables import Cell
from opendatacommunities.web.cube.levels import NO_LEVELS, choose_level, first_area, narrow
from opendatacommunities.web.target import page_number

PAGE_ROWS = 50
#: A page holds about this many cells at most: wide tables get fewer rows a page (SIMD's 46
#: measures as columns, 20 rows), so that every page is quick to read and to take in.
PAGE_CELLS = 1_000
MIN_PAGE_ROWS = 10
#: A dimension with at most this many codes may run along the columns by default.
MAX_DEFAULT_COLUMNS = 20
CONTROLS = ("rows", "columns", "level", "sort", "page")
NO_OBSERVATION = "no observation"
"""What a cell with no observation at all says (a missing value says why it is missing)."""


@dataclass(frozen=True)
class Sort:
    """How rows are ordered: ``order`` (the dimension's own: hierarchy, time or label),
    ``label``, ``code``, or by the value in a column (its code's key; ``value`` when there is
    one column); ``descending`` reverses it."""

    by: str = "order"
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> Sort:
        """The sort a URL's ``sort`` parameter names (``-`` first: descending)."""
        descending = text.startswith("-")
        return cls(text.removeprefix("-") or "order", descending)

    @property
    def text(self) -> str:
        """The URL form."""
        return ("-" if self.descending else "") + self.by

    @property
    def by_value(self) -> bool:
        """Whether rows are sorted by a column's values."""
        return self.by not in ("order", "label", "code")


@dataclass(frozen=True)
class View:
    """A complete slice request."""

    cube: Cube
    rows: CubeDimension
    columns: CubeDimension | None
    locks: tuple[tuple[CubeDimension, Code], ...]
    """The code of every dimension along neither axis, in the cube's dimension order."""
    sort: Sort = Sort()
    page: int = 1
    level: AreaLevel | None = None
    """The geography level of the areas along an axis, when the cube mixes levels (the
    areas along the axis are then only those of this level)."""
    levels: CubeLevels = NO_LEVELS
    """The levels of the cube's areas."""

    def params(self, **changes: object) -> dict[str, str]:
        """This view's query parameters, canonical, with ``changes`` applied."""
        params: dict[str, object] = {
            "rows": self.rows.key,
            "columns": self.columns.key if self.columns else "none",
        }
        if self.level is not None:
            params["level"] = self.level.key
        params.update({dimension.key: code.key for dimension, code in self.locks})
        params["sort"] = self.sort.text
        params["page"] = self.page
        params.update(changes)
        defaults = {"sort": "order", "page": 1}
        return {k: str(v) for k, v in params.items() if v is not None and defaults.get(k) != v}

    def query(self, **changes: object) -> str:
        """This view's query string (its stable URL), with ``changes`` applied."""
        return urlencode(self.params(**changes))

    def lock(self, key: str) -> Code | None:
        """The code a dimension is locked to, if it is locked."""
        return next((code for dimension, code in self.locks if dimension.key == key), None)

    @property
    def lock_iris(self) -> dict[str, str]:
        """Dimension key -> locked code IRI."""
        return {dimension.key: code.iri for dimension, code in self.locks}

    @property
    def page_size(self) -> int:
        """Rows a page: ``PAGE_ROWS``, fewer for wide tables (a multiple of 5)."""
        columns = len(self.columns.codes) if self.columns is not None else 1
        fits = PAGE_CELLS // columns // 5 * 5
        return max(MIN_PAGE_ROWS, min(PAGE_ROWS, fits))

    @property
    def measure(self) -> Code | None:
        """The measure every cell shows, when the measure dimension is locked."""
        return self.lock(self.cube.measure_dimension.key)

    @property
    def sort_column(self) -> Code | None:
        """The column whose values order the rows (None: the one column of values, or a
        sort that is not by value)."""
        if not self.sort.by_value or self.columns is None:
            return None
        return self.columns.find(self.sort.by)


def _axis(cube: Cube, key: str | None, default: CubeDimension | None) -> CubeDimension | None:
    if key is None or key == "":
        return default
    if key == "none":
        return None
    found = cube.dimension(key)
    if found is None:
        names = ", ".join(d.key for d in cube.dimensions)
        raise BadRequestError(
            f"{key!r} is not a dimension of this cube; its dimensions are {names}."
        )
    return found


def default_rows(cube: Cube) -> CubeDimension:
    """The dimension with the most codes (areas, usually)."""
    return max(cube.dimensions, key=lambda d: len(d.codes))


def default_columns(cube: Cube, rows: CubeDimension) -> CubeDimension | None:
    """The first small dimension other than the rows (the measures last)."""
    fits = [d for d in cube.dimensions if d is not rows and 1 < len(d.codes) <= MAX_DEFAULT_COLUMNS]
    return fits[0] if fits else None


def default_code(dimension: CubeDimension) -> Code:
    """A lock's code when the URL names none: the latest period, else the first code (the
    top of a hierarchy, which is its total)."""
    return dimension.codes[-1] if dimension.kind == "period" else dimension.codes[0]


def _single(params: Sequence[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in params:
        if key in found and found[key] != value:
            raise BadRequestError(f"{key} is given twice ({found[key]!r} and {value!r}).")
        found[key] = value
    return found


def _locks(
    cube: Cube, params: dict[str, str], axes: tuple[CubeDimension | None, ...]
) -> tuple[tuple[CubeDimension, Code], ...]:
    locks = []
    for dimension in cube.dimensions:
        wanted = params.get(dimension.key)
        if any(dimension is axis for axis in axes):
            continue  # a lock on an axis (left over from a form) gives way to the axis
        code = dimension.find(wanted) if wanted else default_code(dimension)
        if code is None:
            raise NotFoundError(
                f"{wanted!r} is not a code of {dimension.label} ({dimension.key}) in this cube."
            )
        locks.append((dimension, code))
    return tuple(locks)


def resolve(cube: Cube, query: Sequence[tuple[str, str]], levels: CubeLevels = NO_LEVELS) -> View:
    """The complete view a query string asks for; ``levels``: those of the cube's areas,
    of which a view shows one.

    :raises BadRequestError: an unknown parameter, dimension or level, rows and columns
        along the same dimension, a sort by no column, a bad page number.
    :raises NotFoundError: a code the dimension does not take.
    """
    params = _single(query)
    unknown = [k for k in params if k not in CONTROLS and cube.dimension(k) is None]
    if unknown:
        names = ", ".join([*CONTROLS, *(d.key for d in cube.dimensions)])
        raise BadRequestError(f"Unknown parameter {unknown[0]!r}; this slicer takes {names}.")
    rows = _axis(cube, params.get("rows"), default_rows(cube))
    if rows is None:
        raise BadRequestError("Choose a dimension for the rows (rows=...).")
    columns = _axis(cube, params.get("columns"), default_columns(cube, rows))
    if columns is rows:
        raise BadRequestError("Rows and columns must be different dimensions.")
    level = choose_level(levels, params.get("level"))
    keys = {axis.key for axis in (rows, columns) if axis is not None}
    if level is not None and levels.dimension not in keys:
        # The areas are locked: by default to the first of the main level, never a total.
        default = first_area(cube, levels, level)
        if levels.dimension is not None and default is not None:
            params.setdefault(levels.dimension, default)
        level = None
    locks = _locks(cube, params, (rows, columns))
    shown = narrow(rows, levels, level)
    assert shown is not None
    columns = narrow(columns, levels, level)
    view = View(cube, shown, columns, locks, level=level, levels=levels)
    sort = Sort.parse(params.get("sort", "order"))
    valid = columns.find(sort.by) is not None if columns else sort.by == "value"
    if sort.by_value and not valid:
        choices = "value" if columns is None else f"a code of {columns.label}"
        raise BadRequestError(
            f"Cannot sort by {sort.by!r}: sort by order, label, code or {choices}."
        )
    return replace(view, sort=sort, page=page_number(params.get("page", "1")))


@dataclass(frozen=True)
class Table:
    """One page of a view: its row codes, column codes (none: one column of values), cells."""

    view: View
    rows: tuple[Code, ...]
    columns: tuple[Code, ...]
    cells: dict[tuple[str, str], Cell]
    total_rows: int

    @property
    def pages(self) -> int:
        """How many pages the rows fill."""
        return max(1, -(-self.total_rows // self.view.page_size))

    def cell(self, row: Code, column: Code | None) -> Cell | None:
        """The cell at ``row`` and ``column`` (None for the one column of values)."""
        return self.cells.get((row.iri, column.iri if column else ""))

    def line(self, row: Code) -> list[Cell | None]:
        """The cells of a row, in column order."""
        return [self.cell(row, c) for c in self.columns] if self.columns else [self.cell(row, None)]


def cell_text(cell: Cell | None) -> str:
    """A cell as text: its value, else why it has none (never blank, never 0)."""
    if cell is None:
        return NO_OBSERVATION
    if cell.value is not None:
        return cell.value
    return cell.status or NO_OBSERVATION


def value_heading(view: View) -> str:
    """The heading of the one column of values: the measure, with its unit."""
    measure = view.measure
    if measure is None:
        return "Value"
    found = view.cube.measure(measure.iri)
    unit = found.unit if found else None
    return (
        f"{measure.label} ({unit})"
        if unit and unit.lower() not in measure.label.lower()
        else measure.label
    )


def header(table: Table) -> list[str]:
    """The table's column headings: the rows' dimension, their code, then each column."""
    view = table.view
    values = [c.label for c in table.columns] if table.columns else [value_heading(view)]
    return [view.rows.label, "code", *values]


def text_rows(table: Table) -> list[list[str]]:
    """The table as text, header first: what the CSV holds and the HTML shows."""
    lines = [header(table)]
    for row in table.rows:
        lines.append([row.label, row.key, *(cell_text(c) for c in table.line(row))])
    return lines


def title(view: View) -> str:
    """The view in words: "Households by local authority and tenure, 2011"; with the
    measures along an axis, "SIMD 2020: data zone by measure, 2020"."""
    axes = view.rows.label.lower()
    if view.columns is not None:
        axes += f" {'and' if view.measure else 'by'} {view.columns.label.lower()}"
    fixed = [code.label for d, code in view.locks if d.kind != "measure" and len(d.codes) > 1]
    fixed += [code.label for d, code in view.locks if d.kind == "period" and len(d.codes) == 1]
    where = f", {', '.join(fixed)}" if fixed else ""
    if view.measure is None:
        return f"{view.cube.title}: {axes}{where}"
    return f"{value_heading(view)} by {axes}{where}"
