"""Geography levels in the slicer: which level a view shows, the areas it keeps, and what a
cube's page says of mixed levels and totals."""

from __future__ import annotations

import pytest

from opendatacommunities.errors import BadRequestError
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension, CubeMeasure
from opendatacommunities.web.cube.levels import (
    choose_level,
    first_area,
    levels_in_words,
    narrow,
)

EX = "http://example.org/"
CITY, WARD_A, WARD_B = EX + "S12000049", EX + "S13002605", EX + "S13002606"
COUNCILS = AreaLevel(EX + "LocalAuthority", "LocalAuthority", "local authority", (CITY,))
WARDS = AreaLevel(EX + "ElectoralWard", "ElectoralWard", "electoral ward", (WARD_A, WARD_B))
AREAS = CubeDimension(
    EX + "area",
    "area",
    "Area",
    "area",
    (
        Code(CITY, "Glasgow City", "S12000049"),
        Code(WARD_A, "Anderston", "S13002605"),
        Code(WARD_B, "Calton", "S13002606"),
    ),
)
MIXED = CubeLevels("area", (WARDS, COUNCILS), {CITY: 4})
SINGLE = CubeLevels("area", (WARDS,))
CUBE = Cube(EX + "cube", "Cube", None, (AREAS,), (CubeMeasure(EX + "m", "m", "m"),), (), False)


def test_a_mixed_cube_shows_its_main_level_by_default() -> None:
    """The level with the most areas comes first and is shown unless another is asked for."""
    assert choose_level(MIXED, None) == WARDS
    assert choose_level(MIXED, "") == WARDS
    assert choose_level(MIXED, "localauthority") == COUNCILS


def test_a_cube_of_one_level_needs_no_level() -> None:
    """Naming its only level is allowed, and changes nothing."""
    assert choose_level(SINGLE, None) is None
    assert choose_level(SINGLE, "ElectoralWard") is None


def test_an_unknown_level_is_a_bad_request_naming_the_levels() -> None:
    """The error says which levels there are, so the user can correct the URL."""
    with pytest.raises(BadRequestError, match=r"ElectoralWard \(electoral ward\)"):
        choose_level(MIXED, "Country")
    with pytest.raises(BadRequestError, match="no areas"):
        choose_level(CubeLevels(), "Country")


def test_narrowing_keeps_the_level_s_areas_and_marks_totals() -> None:
    """A table never puts the council beside its own wards."""
    wards = narrow(AREAS, MIXED, WARDS)
    assert wards is not None and [c.iri for c in wards.codes] == [WARD_A, WARD_B]
    everything = narrow(AREAS, MIXED, None)
    assert everything is not None
    assert [(c.iri, c.total) for c in everything.codes] == [
        (CITY, True),
        (WARD_A, False),
        (WARD_B, False),
    ]


def test_other_dimensions_and_plain_levels_are_not_narrowed() -> None:
    """Only the area dimension is narrowed, and only when there is something to do."""
    period = CubeDimension(EX + "period", "period", "Period", "period", ())
    assert narrow(period, MIXED, WARDS) is period
    assert narrow(AREAS, SINGLE, None) is AREAS
    assert narrow(None, MIXED, WARDS) is None


def test_the_first_area_of_a_level_is_named_by_its_key() -> None:
    """A locked area defaults to the first area of the level shown."""
    assert first_area(CUBE, MIXED, COUNCILS) == "S12000049"
    assert first_area(CUBE, MIXED, WARDS) == "S13002605"
    empty = AreaLevel(EX + "DataZone", "DataZone", "data zone", ())
    assert first_area(CUBE, MIXED, empty) is None


def test_the_page_says_levels_are_mixed_and_which_areas_are_totals() -> None:
    """Both warnings, with counts and the totals' names."""
    sentences = levels_in_words(CUBE, MIXED)
    assert sentences[0].startswith(
        "This cube holds figures for 2 electoral wards and 1 local authority, at different"
    )
    assert sentences[1] == (
        "The figures for 1 local authority (Glasgow City) are totals of others in this cube: "
        "their 4 observations are marked with the attribute “total”."
    )


def test_a_cube_of_one_level_without_totals_says_nothing() -> None:
    """No warning where there is nothing to warn of."""
    assert levels_in_words(CUBE, SINGLE) == []
