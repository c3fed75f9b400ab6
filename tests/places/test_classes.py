"""Quantile classes: equal shares, ties kept together, bounds from the data, colours in
order from the sequential scheme."""

from __future__ import annotations

import itertools
import random

from opendatacommunities.places.classes import YLGNBU, quantile_classes


def test_five_classes_of_equal_size_in_order() -> None:
    values = [float(n) for n in range(100)]
    random.Random(4).shuffle(values)
    classes = quantile_classes(values).classes
    assert [c.count for c in classes] == [20] * 5
    assert [c.colour for c in classes] == list(YLGNBU)
    assert next((c.lower, c.upper) for c in classes) == (0, 19)
    assert all(a.upper < b.lower for a, b in itertools.pairwise(classes))


def test_every_value_falls_in_the_class_whose_bounds_hold_it() -> None:
    values = [random.Random(n).uniform(-50, 50) for n in range(57)]
    classes = quantile_classes(values)
    for value in values:
        found = classes.of(value)
        assert found is not None and found.lower <= value <= found.upper
    assert sum(c.count for c in classes.classes) == 57


def test_equal_values_are_never_split_between_classes() -> None:
    classes = quantile_classes([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]).classes
    assert classes[0].lower == classes[0].upper == 1 and classes[0].count == 6
    assert len(classes) < 5 and classes[-1].colour == YLGNBU[-1]


def test_no_values_no_classes_one_value_one_class() -> None:
    assert quantile_classes([]).classes == ()
    assert quantile_classes([]).of(3.0) is None
    (only,) = quantile_classes([7.0, 7.0]).classes
    assert (only.lower, only.upper, only.count) == (7.0, 7.0, 2)
