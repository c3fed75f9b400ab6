"""A cube in words: the summary sentences and the phrase for each dimension."""

from __future__ import annotations

import pytest

from opendatacommunities.store.cube.profile import CubeProfile, Level, Status
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension, CubeMeasure
from opendatacommunities.web.cube.words import (
    cube_in_words,
    dimension_in_words,
    listing,
    plural,
)

EX = "http://example.org/"


def _codes(*labels: str, parent: str | None = None) -> tuple[Code, ...]:
    return tuple(Code(EX + label, label, label, parent=parent) for label in labels)


def _dimension(key: str, kind: str, codes: tuple[Code, ...]) -> CubeDimension:
    return CubeDimension(EX + key, key, key.capitalize(), kind, codes)


AREAS = _dimension("area", "area", _codes("S1", "S2", "S3"))
PERIODS = _dimension("period", "period", _codes("2019", "2020", "2021"))
TENURE = _dimension("tenure", "coded", _codes("owned", "rented"))


def _cube(*measures: str, dimensions: tuple[CubeDimension, ...] = ()) -> Cube:
    found = tuple(CubeMeasure(EX + m, m, m) for m in measures)
    measure = _dimension("measure", "measure", _codes(*measures))
    return Cube(EX + "cube", "Cube", None, (*dimensions, measure), found, (), len(found) > 1)


def _profile(
    levels: tuple[Level, ...] = (), statuses: tuple[Status, ...] = (), observations: int = 18
) -> CubeProfile:
    return CubeProfile(observations, {}, {"area": levels} if levels else {}, statuses)


@pytest.mark.parametrize(
    ("noun", "plural_form"),
    [
        ("local authority", "local authorities"),
        ("survey", "surveys"),
        ("data zone", "data zones"),
        ("box", "boxes"),
        ("match", "matches"),
        ("status", "statuses"),
    ],
)
def test_plurals_of_the_nouns_pages_count(noun: str, plural_form: str) -> None:
    """A consonant's ``y`` becomes ``ies``; sibilants take ``es``."""
    assert plural(noun) == plural_form


@pytest.mark.parametrize(
    ("items", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")],
)
def test_lists_are_joined_as_english_writes_them(items: list[str], text: str) -> None:
    """The last two items are joined by ``and``."""
    assert listing(items) == text


def test_a_cube_of_one_level_names_its_areas_periods_and_categories() -> None:
    """The first sentence says what is measured, where, when and by what."""
    cube = _cube("homes", dimensions=(AREAS, PERIODS, TENURE))
    profile = _profile((Level(EX + "DataZone", "data zone", 3),))
    assert cube_in_words(cube, profile) == [
        "homes, for each of the 3 data zones, from 2019 to 2021 (3 periods), "
        "by tenure (2 categories).",
        "18 observations.",
    ]


def test_areas_of_several_levels_are_counted_with_the_rest() -> None:
    """Areas of no known level are counted as other areas."""
    cube = _cube("homes", dimensions=(AREAS,))
    profile = _profile((Level(EX + "DataZone", "data zone", 1), Level(EX + "C", "council", 1)))
    first = cube_in_words(cube, profile)[0]
    assert first == "homes, for each of 3 areas (1 data zone, 1 council and 1 other area)."


def test_missing_values_are_counted_with_their_reasons() -> None:
    """The second sentence says how many observations have no value, and why."""
    statuses = (Status(EX + "x", "suppressed", 2), Status(EX + "y", "not available", 1_500))
    sentences = cube_in_words(_cube("homes"), _profile(statuses=statuses, observations=12_000))
    assert sentences[1] == (
        "12,000 observations, of which 1,502 have no value (2 suppressed and 1,500 not available)."
    )


def test_many_measures_are_counted_and_the_first_named() -> None:
    """More than three measures would make the sentence unreadable."""
    cube = _cube("a", "b", "c", "d", dimensions=(_dimension("period", "period", _codes("2020")),))
    assert cube_in_words(cube, _profile())[0] == "4 measures, among them a, b and c, in 2020."


def test_each_dimension_in_a_phrase() -> None:
    """Areas by level, periods by range, measures and codes counted."""
    profile = _profile((Level(EX + "DataZone", "data zone", 3),))
    assert dimension_in_words(AREAS, profile) == "3 areas: 3 data zones"
    assert dimension_in_words(AREAS, _profile()) == "3 areas"
    assert dimension_in_words(PERIODS, profile) == "3 periods: 2019 to 2021"
    one = _dimension("period", "period", _codes("2020"))
    assert dimension_in_words(one, profile) == "1 period: 2020"
    assert dimension_in_words(_cube("a", "b").measure_dimension, profile) == "2 measures"
    assert dimension_in_words(TENURE, profile) == "2 codes"


def test_a_hierarchical_dimension_says_so() -> None:
    """Codes with a broader code form a hierarchy."""
    total = Code(EX + "all", "All", "all", total=True)
    nested = (total, *_codes("owned", "rented", parent=EX + "all"))
    dimension = _dimension("tenure", "coded", nested)
    assert dimension_in_words(dimension, _profile()) == "3 codes, in a hierarchy"
