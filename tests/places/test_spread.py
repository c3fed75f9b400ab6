"""Spreads: quartiles as spreadsheets give them, ranks from the highest with ties shared."""

from __future__ import annotations

import statistics

from opendatacommunities.places.figures import Value, in_words
from opendatacommunities.places.spread import Spread, ordinal


def test_the_summary_matches_the_statistics_module() -> None:
    values = [7.0, 1.0, 3.0, 3.0, 10.0, 2.5, 8.0]
    spread = Spread.of(values)
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert [spread.lower_quartile, spread.median, spread.upper_quartile] == expected
    assert (spread.minimum, spread.maximum, spread.count) == (1.0, 10.0, 7)


def test_ranks_count_from_the_highest_and_ties_share_one() -> None:
    spread = Spread.of([5.0, 3.0, 3.0, 1.0])
    assert [spread.rank(v) for v in (5.0, 3.0, 1.0)] == [1, 2, 4]
    assert [spread.rank_from_lowest(v) for v in (5.0, 3.0, 1.0)] == [4, 2, 1]
    assert f"{ordinal(spread.rank(3.0))} highest of {spread.count}" == "2nd highest of 4"


def test_a_missing_value_reads_as_such_never_as_zero() -> None:
    value = Value(None, "suppressed", "people")
    assert value.number is None
    assert (
        in_words("Calton", "People, 2020", value) == "Calton: People, 2020: no figure (suppressed)"
    )
    assert Value("NaN").number is None
