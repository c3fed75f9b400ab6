"""Slicer views: a query string made into a complete view with one stable URL, and the
table it shows as text."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension, CubeMeasure
from opendatacommunities.store.cube.tables import Cell
from opendatacommunities.web.cube.views import (
    NO_OBSERVATION,
    Sort,
    Table,
    View,
    resolve,
    text_rows,
    title,
)

EX = "http://example.org/"


def _codes(*keys: str) -> tuple[Code, ...]:
    return tuple(Code(EX + key, key.capitalize(), key) for key in keys)


AREAS = CubeDimension(EX + "area", "area", "Area", "area", _codes(*(f"s{n}" for n in range(30))))
PERIODS = CubeDimension(EX + "period", "period", "Period", "period", _codes("2019", "2020"))
TENURE = CubeDimension(EX + "tenure", "tenure", "Tenure", "coded", _codes("all", "owned"))
MEASURES = CubeDimension(EX + "measure", "measure", "Measure", "measure", _codes("homes"))
CUBE = Cube(
    EX + "cube",
    "Housing",
    None,
    (AREAS, PERIODS, TENURE, MEASURES),
    (CubeMeasure(EX + "homes", "homes", "Homes", unit="count"),),
    (),
    False,
)


def test_an_empty_query_takes_every_default() -> None:
    """The biggest dimension along the rows, the first small one along the columns, the
    latest period and the first code (the total) locked."""
    view = resolve(CUBE, [])
    assert (view.rows.key, view.columns.key if view.columns else None) == ("area", "period")
    assert [(d.key, c.key) for d, c in view.locks] == [("tenure", "all"), ("measure", "homes")]
    assert view.query() == "rows=area&columns=period&tenure=all&measure=homes"
    only_rows = resolve(CUBE, [("rows", "area"), ("columns", "none")])
    assert only_rows.lock("period") == PERIODS.codes[-1]


def test_every_view_has_one_canonical_url() -> None:
    """Resolving a view's own query gives the same view back."""
    view = resolve(CUBE, [("rows", "tenure"), ("columns", "area"), ("sort", "-s3"), ("page", "2")])
    assert view.query() == "rows=tenure&columns=area&period=2020&measure=homes&sort=-s3&page=2"
    again = resolve(CUBE, parse_qsl(view.query()))
    assert again == view


def test_a_lock_on_an_axis_gives_way_to_the_axis() -> None:
    """A form may leave ``period=2019`` behind when periods move to the rows."""
    view = resolve(CUBE, [("rows", "period"), ("period", "2019")])
    assert view.rows is PERIODS and view.lock("period") is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([("colour", "red")], "Unknown parameter 'colour'"),
        ([("rows", "ward")], "'ward' is not a dimension of this cube"),
        ([("rows", "none")], "Choose a dimension for the rows"),
        ([("rows", "area"), ("columns", "area")], "must be different dimensions"),
        ([("sort", "s1")], "Cannot sort by 's1'"),
        ([("page", "0")], "page must be a whole number"),
        ([("tenure", "all"), ("tenure", "owned")], "tenure is given twice"),
    ],
)
def test_bad_queries_are_refused_saying_why(query: list[tuple[str, str]], message: str) -> None:
    """Each mistake is named, so the URL can be corrected."""
    with pytest.raises(BadRequestError, match=message):
        resolve(CUBE, query)


def test_an_unknown_code_is_not_found() -> None:
    """A code the dimension never takes is a missing page, naming the dimension."""
    with pytest.raises(NotFoundError, match=r"'rented' is not a code of Tenure \(tenure\)"):
        resolve(CUBE, [("tenure", "rented")])


def test_a_mixed_cube_with_locked_areas_locks_the_first_of_the_main_level() -> None:
    """Never a total of another level by default."""
    big = AreaLevel(EX + "Ward", "Ward", "ward", tuple(c.iri for c in AREAS.codes[1:]))
    small = AreaLevel(EX + "Council", "Council", "council", (AREAS.codes[0].iri,))
    levels = CubeLevels("area", (big, small))
    view = resolve(CUBE, [("rows", "tenure"), ("columns", "period")], levels)
    assert view.lock("area") == AREAS.codes[1] and view.level is None
    by_council = resolve(CUBE, [("level", "council")], levels)
    assert [c.key for c in by_council.rows.codes] == ["s0"] and by_council.level == small


def test_sorts_read_from_and_write_to_urls() -> None:
    """``-`` first means descending; anything but order, label and code is a column."""
    assert Sort.parse("-value") == Sort("value", True)
    assert Sort.parse("") == Sort()
    assert Sort.parse("-label").text == "-label" and not Sort.parse("label").by_value


def test_wide_tables_get_fewer_rows_a_page() -> None:
    """A page stays near a thousand cells, never under ten rows."""
    assert resolve(CUBE, []).page_size == 50
    assert resolve(CUBE, [("rows", "period"), ("columns", "area")]).page_size == 30
    wide = CubeDimension(EX + "w", "w", "W", "coded", _codes(*(f"c{n}" for n in range(300))))
    assert View(CUBE, PERIODS, wide, ()).page_size == 10


def test_a_table_as_text_says_why_a_cell_is_empty() -> None:
    """Never a blank, never a made-up zero."""
    view = resolve(CUBE, [("rows", "tenure"), ("columns", "none"), ("period", "2019")])
    cells = {
        (EX + "all", ""): Cell("120"),
        (EX + "owned", ""): Cell(None, "suppressed"),
    }
    table = Table(view, TENURE.codes, (), cells, total_rows=2)
    assert text_rows(table) == [
        ["Tenure", "code", "Homes (count)"],
        ["All", "all", "120"],
        ["Owned", "owned", "suppressed"],
    ]
    assert table.pages == 1
    missing = Table(view, TENURE.codes, (), {}, total_rows=120)
    assert text_rows(missing)[1][2] == NO_OBSERVATION and missing.pages == 3


def test_a_view_s_title_names_axes_and_fixed_codes() -> None:
    """Locked codes of dimensions with a choice are named; a measure leads the title."""
    assert title(resolve(CUBE, [])) == "Homes (count) by area and period, All"
    rows_only = resolve(CUBE, [("columns", "none"), ("tenure", "owned")])
    assert title(rows_only) == "Homes (count) by area, 2020, Owned"
