"""Which layout describes a table's value columns: a header pattern when one fits them and
no other column, found from real headers of Nomis and age-banded tables."""

from __future__ import annotations

import re

from opendatacommunities.publish.scaffold.layout import find_pattern


def test_age_columns_make_an_age_pattern_leaving_the_total_out() -> None:
    """``All ages`` is not an age: the pattern picks ``0`` to ``90+`` only."""
    ages = ["All ages", *(str(n) for n in range(90)), "90+"]
    found = find_pattern(ages, ["Code", "Year", *ages])
    assert found is not None and found.ages
    assert found.headers == tuple(ages[1:])
    assert not re.match(found.regex, "All ages")
    assert re.match(found.regex, "0-4") and not re.match(found.regex, "Year")


def test_nomis_headers_make_a_pattern_named_by_their_prefix() -> None:
    """The common text around the varying part names the dimension."""
    tenures = ["All categories: Tenure", "Owned (outright)", "Social rented"]
    nomis = [f"Tenure: {t}; measures: Value" for t in tenures]
    found = find_pattern(nomis, ["date", "geography code", *nomis])
    assert found is not None and not found.ages
    assert found.prefix == "Tenure: "
    assert found.regex == "^Tenure: (?P<path>.+); measures: Value$"
    match = re.match(found.regex, nomis[1])
    assert match is not None and match.group("path") == "Owned (outright)"


def test_special_characters_are_escaped_but_spaces_are_not() -> None:
    """The pattern stays readable for people to edit, and matches literally."""
    values = [f"Rate (%) [{n}]" for n in ("a", "b", "c")]
    found = find_pattern(values, values)
    assert found is not None
    assert found.regex == r"^Rate \(%\) \[(?P<path>.+)\]$"


def test_unrelated_or_too_few_columns_have_no_pattern() -> None:
    """Distinct measures and pairs of columns are described column by column."""
    assert (
        find_pattern(["Income", "Crime", "Health"], ["Code", "Income", "Crime", "Health"]) is None
    )
    assert find_pattern(["0", "1"], ["Code", "0", "1"]) is None
    assert find_pattern(["10", "11", "12"], ["Code", "10", "11", "12"]) is not None


def test_a_pattern_that_would_catch_another_column_is_refused() -> None:
    """A key column that looks like a value column would be read as one."""
    values = ["Count: a", "Count: b", "Count: c"]
    assert find_pattern(values, ["Count: code", *values]) is None
