"""Neighbours from boundaries: touching areas of one level, and nothing else."""

from __future__ import annotations

from opendatacommunities.places.neighbours import touching

SQUARE = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"
RIGHT = "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"
ABOVE = "MULTIPOLYGON (((0 1, 1 1, 1 2, 0 2, 0 1)))"


def test_only_areas_of_the_same_level_are_neighbours() -> None:
    """A council area's boundary meets its wards', but they are not its neighbours."""
    found = touching(
        {"ward-a": SQUARE, "ward-b": RIGHT, "council": ABOVE},
        {"ward-a": "ward", "ward-b": "ward", "council": "council area"},
    )
    assert found == {"ward-a": ("ward-b",), "ward-b": ("ward-a",), "council": ()}


def test_a_boundary_that_cannot_be_read_is_left_out() -> None:
    found = touching({"a": SQUARE, "b": "POLYGON ((1 0, 2", "c": RIGHT}, dict.fromkeys("abc", "w"))
    assert found == {"a": ("c",), "c": ("a",)}
