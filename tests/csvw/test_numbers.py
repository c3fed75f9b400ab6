"""Numbers as councils write them (CSVW number formats, tabular data model §6.4.2): grouped
digits, a comma for the decimal point, percentages; each read back to the value written,
and each integer type held to its range."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opendatacommunities.csvw.numbers import number_parser
from opendatacommunities.errors import CellError
from opendatacommunities.vocab import XSD_INTEGER_RANGES as INTEGER_RANGES


def _never_warned(message: str) -> None:
    raise AssertionError(f"unexpected warning: {message}")


@given(st.integers(-(10**30), 10**30))
def test_grouped_integers_read_as_the_digits_written(number: int) -> None:
    parse = number_parser("integer", {"groupChar": ","}, _never_warned)
    assert parse(f"{number:,}") == (str(number), number)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False))
def test_a_comma_for_the_decimal_point_and_dots_between_groups(value: Decimal) -> None:
    """As in "1.234.567,125": the lexical form is the same digits with a decimal point."""
    written = f"{value:,.3f}".replace(",", "_").replace(".", ",").replace("_", ".")
    parse = number_parser("decimal", {"groupChar": ".", "decimalChar": ","}, _never_warned)
    lexical, key = parse(written)
    assert lexical == f"{value:.3f}"
    assert key == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("8%", Decimal("0.08")), ("12.5%", Decimal("0.125")), ("-0.5%", Decimal("-0.005"))],
)
def test_percentages_read_as_the_fraction_they_stand_for(text: str, value: Decimal) -> None:
    lexical, key = number_parser("decimal", "#,##0.##%", _never_warned)(text)
    assert key == value
    assert Decimal(lexical) == value


@pytest.mark.parametrize("base", [b for b, (low, high) in INTEGER_RANGES.items() if low or high])
def test_each_integer_type_holds_its_range(base: str) -> None:
    low, high = INTEGER_RANGES[base]
    parse = number_parser(base, None, _never_warned)
    for edge, beyond in ((low, -1), (high, 1)):
        if edge is None:
            continue
        assert parse(str(edge)) == (str(edge), edge)
        with pytest.raises(CellError, match=f"^{edge + beyond} is out of range for {base}$"):
            parse(str(edge + beyond))


@pytest.mark.parametrize(
    ("base", "fmt", "text", "message"),
    [
        ("integer", {"groupChar": ","}, "1,,234", "expected an integer"),
        ("integer", None, "29,199", "expected an integer"),
        ("integer", None, "1e5", "expected an integer"),
        ("integer", None, "NaN", "expected an integer"),
        ("decimal", "#,##0.0%", "8%", "expected a decimal matching '#,##0.0%'"),
        ("decimal", None, "*", "expected a decimal"),
        ("decimal", "#,##0.00", "12.5", "expected a decimal matching '#,##0.00'"),
        ("double", None, "1,5", "expected a double"),
    ],
)
def test_text_that_is_not_the_number_asked_for_is_refused(
    base: str, fmt: object, text: str, message: str
) -> None:
    with pytest.raises(CellError) as refused:
        number_parser(base, fmt, _never_warned)(text)
    assert str(refused.value) == message


def test_doubles_keep_their_special_values() -> None:
    parse = number_parser("double", None, _never_warned)
    assert parse("INF") == ("INF", float("inf"))
    assert parse("-INF")[0] == "-INF"
    assert parse("1.5E3") == ("1.5e3", 1500.0)
