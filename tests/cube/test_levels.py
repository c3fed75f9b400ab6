"""Geography levels told from names and from GSS codes alone."""

from __future__ import annotations

import pytest

from opendatacommunities.cube.levels import LEVELS, find_level, level_of


@pytest.mark.parametrize(
    ("code", "term"),
    [
        ("E06000001", "LocalAuthority"),
        ("S12000049", "LocalAuthority"),
        ("E92000001", "Country"),
        ("S13002605", "ElectoralWard"),
        ("E01000001", "LowerLayerSuperOutputArea"),
        ("W02000001", "MiddleLayerSuperOutputArea"),
        ("S01006506", "DataZone"),
        ("S02001236", "IntermediateZone"),
    ],
)
def test_a_code_s_entity_gives_its_level(code: str, term: str) -> None:
    """The first three characters of a GSS code say what kind of area it is."""
    level = level_of(code)
    assert level is not None and level.term == term


def test_surrounding_spaces_do_not_hide_a_code_s_level() -> None:
    """Cells read from CSVs may carry spaces around the code."""
    level = level_of("  S01006506 ")
    assert level is not None and level.name == "data zone"


@pytest.mark.parametrize("code", ["E10000002", "X01000001", "", "E0"])
def test_codes_of_other_entities_have_no_level(code: str) -> None:
    """Counties (E10) and made-up codes are of none of the levels."""
    assert level_of(code) is None


@pytest.mark.parametrize(
    "text", ["local authority", "LocalAuthority", "LOCAL AUTHORITY", " localauthority "]
)
def test_a_level_is_found_by_name_or_class_in_any_case(text: str) -> None:
    """Descriptions may name a level in words or by its class."""
    level = find_level(text)
    assert level is not None and level.term == "LocalAuthority"


def test_an_unknown_level_name_finds_nothing() -> None:
    """A misspelt level is not silently matched to another."""
    assert find_level("local authorities") is None
    assert find_level("Ward") is None


def test_every_entity_belongs_to_exactly_one_level() -> None:
    """Otherwise a code's level would depend on the order of ``LEVELS``."""
    entities = [entity for level in LEVELS for entity in level.entities]
    assert len(entities) == len(set(entities))
    assert all(len(entity) == 3 for entity in entities)
