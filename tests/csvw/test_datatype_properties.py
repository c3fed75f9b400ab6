"""Arbitrary cell text against every datatype's parser (hypothesis).

Whatever the text, a parser gives a typed value or a clean ``CellError``, never another
exception. For numbers, booleans and dates the value is also checked against a reading of the specs
written here from their text, independently of the implementation: XML Schema 1.1 part 2
(§3.3.2 boolean, §3.3.3 decimal, §3.3.5 double, §3.3.9 date, §3.4.13 integer and its
sub-types) for the default forms, and CSVW's Model for Tabular Data §6.4.2 for numbers with a
``groupChar``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opendatacommunities.csvw.cells import compile_cell
from opendatacommunities.csvw.datatypes import BUILT_INS, Value, read_datatype
from opendatacommunities.csvw.model import Column
from opendatacommunities.errors import CellError

XSD = "http://www.w3.org/2001/XMLSchema#"
DIGITS = frozenset("0123456789")
#: XML Schema 1.1 part 2 §3.4: the value space bounds of integer and its sub-types.
BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-9223372036854775808, 9223372036854775807),
    "int": (-2147483648, 2147483647),
    "short": (-32768, 32767),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, None),
    "unsignedLong": (0, 18446744073709551615),
    "unsignedInt": (0, 4294967295),
    "unsignedShort": (0, 65535),
    "unsignedByte": (0, 255),
    "positiveInteger": (1, None),
}
FLOATING = ("double", "float")
NUMBERS = (*BOUNDS, "decimal", *FLOATING)
GROUPED = {"groupChar": ","}

#: Pieces numbers are made of, and the characters Python's int() and float() accept beyond
#: the specs' (other scripts' digits, full-width digits, "_", "Infinity", spaces).
PIECES = [
    *"0123456789",
    *"+-.,eE%‰_ ",
    "INF",
    "NaN",
    "Infinity",
    "\u0665",  # ARABIC-INDIC DIGIT FIVE
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\u00a0",
    "true",
    "false",
]
CELLS = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
#: Special values are compared by name; numbers as exact fractions (doubles as floats).
Number = Fraction | float | str


def _ascii_digits(text: str) -> bool:
    return text != "" and all(c in DIGITS for c in text)


def _sign(text: str) -> tuple[int, str]:
    if text[:1] in ("+", "-"):
        return (-1 if text[0] == "-" else 1), text[1:]
    return 1, text


def xsd_integer(text: str) -> int | None:
    """XSD integer lexical space: an optional sign and ASCII digits."""
    sign, digits = _sign(text)
    return sign * int(Decimal(digits)) if _ascii_digits(digits) else None


def xsd_decimal(text: str) -> Fraction | None:
    """XSD decimal: an optional sign, digits with at most one point, at least one digit."""
    sign, rest = _sign(text)
    whole, _, fraction = rest.partition(".")
    if not (whole or fraction) or any(not _ascii_digits(p) for p in (whole, fraction) if p):
        return None
    # int(Decimal()) as int() refuses more than 4,300 digits.
    whole_value, fraction_value = (int(Decimal(part or "0")) for part in (whole, fraction))
    return sign * (whole_value + Fraction(fraction_value, 10 ** len(fraction)))


def xsd_double(text: str) -> Number | None:
    """XSD 1.1 double: a decimal with an optional e/E exponent, or [+-]INF or NaN."""
    if text in ("INF", "+INF", "-INF", "NaN"):
        return text.lstrip("+")
    mantissa, _, exponent = text.replace("E", "e").partition("e")
    if xsd_decimal(mantissa) is None or "e" in exponent:
        return None
    if "e" in text.replace("E", "e") and xsd_integer(exponent) is None:
        return None
    return float(text)  # valid XSD text in ASCII: Python rounds it to nearest, as XSD does


def xsd_value(base: str, lexical: str) -> Number | None:
    """The value an RDF consumer reads from ``lexical`` typed as ``base``."""
    if base in BOUNDS:
        value = xsd_integer(lexical)
        return Fraction(value) if value is not None else None
    if base == "decimal":
        return xsd_decimal(lexical)
    return xsd_double(lexical)


def native(base: str, text: str) -> Number | None:
    """A cell with no format: the XSD lexical space of its datatype (§6.4.2, first line)."""
    value = xsd_value(base, text)
    if base in BOUNDS and isinstance(value, Fraction):
        low, high = BOUNDS[base]
        if (low is not None and value < low) or (high is not None and value > high):
            return None
    return value


def _csvw_parts(text: str) -> tuple[int, str, str | None, str | None, str] | None:
    """§6.4.2's numbers with a groupChar ",": sign, digits and groups, an optional "."
    and digits, then an optional E exponent *or* per cent / per mille sign."""
    sign, rest = _sign(text)
    end = 0
    while end < len(rest) and (rest[end] in DIGITS or (end and rest[end] == ",")):
        end += 1
    digits, rest = rest[:end], rest[end:]
    if not digits or ",," in digits:
        return None
    fraction = exponent = None
    if rest.startswith("."):
        end = 1
        while end < len(rest) and rest[end] in DIGITS:
            end += 1
        fraction, rest = rest[1:end], rest[end:]
        if not fraction:
            return None
    scale = ""
    if rest.startswith("E"):
        exponent, rest = rest[1:], ""
        if xsd_integer(exponent) is None:
            return None
    elif rest in ("%", "‰"):
        scale, rest = rest, ""
    return (sign, digits.replace(",", ""), fraction, exponent, scale) if rest == "" else None


def grouped(base: str, text: str) -> Number | None:
    """A cell read by §6.4.2 with a groupChar and no pattern, for datatype ``base``."""
    if text in ("NaN", "INF", "-INF"):
        return text if base in FLOATING else None  # never for decimal and its sub-types
    parts = _csvw_parts(text)
    if parts is None:
        return None
    sign, digits, fraction, exponent, scale = parts
    if base not in FLOATING and (exponent is not None or (base in BOUNDS and fraction)):
        return None
    if exponent is not None:
        return float(f"{'-' if sign < 0 else ''}{digits}.{fraction or '0'}e{exponent}")
    value = xsd_decimal(digits + ("." + fraction if fraction else ""))
    assert value is not None
    value = sign * value / {"": 1, "%": 100, "‰": 1000}[scale]
    if base in FLOATING:
        return float(value)
    if base in BOUNDS:
        low, high = BOUNDS[base]
        if value.denominator != 1 or (low is not None and value < low):
            return None
        if high is not None and value > high:
            return None
    return value


def _same(ours: Number, theirs: Number) -> bool:
    if isinstance(ours, float) and isinstance(theirs, float):
        return ours == theirs or (math.isnan(ours) and math.isnan(theirs))
    if isinstance(ours, str) or isinstance(theirs, str):
        as_text = {"INF": math.inf, "-INF": -math.inf, "NaN": math.nan}
        left = as_text.get(ours, ours) if isinstance(ours, str) else ours
        right = as_text.get(theirs, theirs) if isinstance(theirs, str) else theirs
        return _same(float(left), float(right))
    return ours == theirs


def _parse(spec: object, text: str) -> Value | None:
    """Our parser's value, or None for a clean error; any other exception fails the test."""
    try:
        return read_datatype(spec, warn=pytest.fail).parse(text)
    except CellError:
        return None


def _check(base: str, value: Value | None, expected: Number | None, text: str) -> None:
    if expected is None:
        assert value is None, f"{text!r} read as {value}, but it is no {base}"
        return
    assert value is not None, f"{text!r} refused, but it is the {base} {expected!r}"
    assert value.datatype == XSD + base
    read = xsd_value(base, value.lexical)
    assert read is not None, f"{value.lexical!r} is not in the lexical space of {base}"
    if base in FLOATING:
        read = float(read) if isinstance(read, Fraction) else read
    assert _same(read, expected), (text, value.lexical, expected)


@pytest.mark.parametrize("base", NUMBERS)
@settings(max_examples=400, deadline=None)
@given(text=CELLS)
@example(text="1" * 5000)
@example(text="-0")
@example(text="+.5")
@example(text="5.")
def test_numbers_in_the_xsd_lexical_space(base: str, text: str) -> None:
    _check(base, _parse(base, text), native(base, text), text)


@pytest.mark.parametrize("base", NUMBERS)
@settings(max_examples=400, deadline=None)
@given(text=CELLS)
@example(text="1,2,3")
@example(text="1,,2")
@example(text="-12.5%")
@example(text="1E3")
@example(text="1e3")
@example(text="1E3%")
@example(text="200%")
@example(text="1,")
@example(text="1." + "3" * 40 + "%")
def test_numbers_with_a_group_character(base: str, text: str) -> None:
    _check(base, _parse({"base": base, "format": GROUPED}, text), grouped(base, text), text)


@settings(max_examples=400, deadline=None)
@given(text=CELLS)
def test_booleans(text: str) -> None:
    """XSD boolean: true, false, 1 and 0, nothing else."""
    expected = {"true": True, "1": True, "false": False, "0": False}.get(text)
    value = _parse("boolean", text)
    assert (value.key if value is not None else None) == expected
    if value is not None:
        assert value.lexical == ("true" if expected else "false")


FORMATS: list[object] = [
    *sorted(BUILT_INS),
    {"base": "decimal", "format": "#,##0.00"},
    {"base": "double", "format": "0.0E0"},
    {"base": "integer", "format": "#,##,##0"},
    {"base": "decimal", "format": "#0%"},
    {"base": "decimal", "format": {"decimalChar": ",", "groupChar": "."}},
    {"base": "boolean", "format": "Y|N"},
    {"base": "date", "format": "dd.MM.yyyy"},
    {"base": "dateTime", "format": "yyyy-MM-ddTHH:mm:ss.SSSXXX"},
    {"base": "time", "format": "HH:mm"},
    {"base": "string", "format": "^[a-z]+$"},
    {"base": "integer", "minimum": 3, "maximum": 12},
    {"base": "date", "minimum": "2020-01-01"},
    {"base": "string", "minLength": 2, "maxLength": 4},
]


@pytest.mark.parametrize("spec", FORMATS, ids=str)
@settings(max_examples=150, deadline=None)
@given(raw=st.text(max_size=40))
def test_every_datatype_gives_a_value_or_a_clean_error(spec: object, raw: str) -> None:
    """Through the whole cell parser (whitespace, null, default, datatype): errors are
    messages, never exceptions."""
    datatype = read_datatype(spec, warn=pytest.fail)
    value, errors, _ = compile_cell(Column(1, "c", {}, datatype=datatype))(raw)
    assert all(isinstance(message, str) and message for message in errors)
    assert value is None or isinstance(value, (Value, list))


def _days(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (XSD 1.1: year 0 is a leap year)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def _two(text: str, low: int, high: int) -> int | None:
    if len(text) != 2 or not _ascii_digits(text) or not low <= int(text) <= high:
        return None
    return int(text)


def _timezone(text: str) -> tuple[bool, int | None]:
    """Whether ``text`` is a timezone or nothing, and its minutes east of UTC (None: none)."""
    if text in ("", "Z"):
        return True, None if text == "" else 0
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return False, None
    hours, minutes = _two(text[1:3], 0, 14), _two(text[4:], 0, 59)
    if hours is None or minutes is None or (hours == 14 and minutes):
        return False, None
    return True, (hours * 60 + minutes) * (-1 if text[0] == "-" else 1)


def xsd_date(text: str) -> tuple[int, int, int, int | None] | None:
    """XSD 1.1 date: year (four digits or more, no leading zero beyond four; a sign for BCE),
    month, day that the month has, an optional timezone."""
    sign, rest = (-1, text[1:]) if text.startswith("-") else (1, text)
    year_text, _, rest = rest.partition("-")
    if len(year_text) < 4 or not _ascii_digits(year_text):
        return None
    if len(year_text) > 4 and year_text[0] == "0":
        return None
    month = _two(rest[:2], 1, 12)
    if month is None or rest[2:3] != "-":
        return None
    year = sign * int(year_text)
    day = _two(rest[3:5], 1, _days(year, month))
    valid, zone = _timezone(rest[5:])
    return (year, month, day, zone) if day is not None and valid else None


DATES = st.tuples(
    st.sampled_from(["2020", "2019", "2000", "1900", "0001", "9999", "202", "2o20", "٢٠٢٠"]),
    st.sampled_from(["-"]),
    st.sampled_from(["01", "02", "04", "12", "13", "00", "1", "1٢"]),
    st.sampled_from(["-"]),
    st.sampled_from(["01", "28", "29", "30", "31", "32", "00", "1"]),
    st.sampled_from(["", "Z", "+14:00", "+14:01", "-13:59", "+05:30", "+24:00", "z", " "]),
).map("".join)


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(DATES, st.text(max_size=20)))
def test_dates(text: str) -> None:
    """Dates of years 1 to 9999 (those Python's datetime holds): accepted exactly when XML
    Schema 1.1 accepts them, read as the same day."""
    expected = xsd_date(text)
    value = _parse("date", text)
    if expected is None:
        assert value is None, f"{text!r} read as {value}, but it is no date"
        return
    assert value is not None, f"{text!r} refused, but it is the date {expected}"
    assert value.datatype == XSD + "date"
    assert xsd_date(value.lexical) == expected


@pytest.mark.xfail(
    strict=True,
    reason="Python's datetime holds the years 1 to 9999: year 0, years BCE and years of five "
    "digits or more, which XML Schema 1.1 allows, are refused (as errors, never crashes)",
)
@pytest.mark.parametrize("text", ["0000-01-01", "-0044-03-15", "12020-01-01"])
def test_dates_beyond_python_years(text: str) -> None:
    assert xsd_date(text) is not None
    assert _parse("date", text) is not None


@pytest.mark.parametrize(
    ("spec", "text"),
    [("gYear", "2200000000"), ("date", "2200000000-01-01"), ("gYearMonth", "99999999999-01")],
)
def test_years_too_large_for_any_calendar_are_clean_errors(spec: str, text: str) -> None:
    with pytest.raises(CellError, match=f"expected an XSD {spec}: year [0-9]+ is out of range"):
        read_datatype(spec, warn=pytest.fail).parse(text)
