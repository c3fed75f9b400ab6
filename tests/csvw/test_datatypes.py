"""Unit tests for CSVW datatypes: reading descriptions and parsing cells."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from opendatacommunities.csvw.datatypes import STRING, Datatype, Value, read_datatype
from opendatacommunities.errors import CellError, MetadataError
from opendatacommunities.vocab import CSVW, RDF, XSD


def dt(value: object, base_url: str = "") -> tuple[Datatype, list[str]]:
    """Read a datatype, returning it with the warnings it raised."""
    warnings: list[str] = []
    return read_datatype(value, warn=warnings.append, base_url=base_url), warnings


def lexical(value: object, text: str) -> str:
    datatype, warnings = dt(value)
    assert warnings == []
    return datatype.parse(text).lexical


def error(value: object, text: str) -> str:
    with pytest.raises(CellError) as caught:
        dt(value)[0].parse(text)
    return caught.value.message


# Built-in names, IRIs and whitespace


@pytest.mark.parametrize(
    ("name", "base", "iri", "whitespace"),
    [
        ("string", "string", XSD + "string", "preserve"),
        ("integer", "integer", XSD + "integer", "collapse"),
        ("number", "double", XSD + "double", "collapse"),
        ("binary", "base64Binary", XSD + "base64Binary", "collapse"),
        ("datetime", "dateTime", XSD + "dateTime", "collapse"),
        ("any", "anyAtomicType", XSD + "anyAtomicType", "preserve"),
        ("normalizedString", "normalizedString", XSD + "normalizedString", "replace"),
        ("xml", "xml", RDF + "XMLLiteral", "preserve"),
        ("html", "html", RDF + "HTML", "preserve"),
        ("json", "json", CSVW + "JSON", "preserve"),
        ("gYearMonth", "gYearMonth", XSD + "gYearMonth", "collapse"),
    ],
)
def test_built_in_names(name: str, base: str, iri: str, whitespace: str) -> None:
    datatype, warnings = dt(name)
    assert (datatype.base, datatype.iri, datatype.whitespace) == (base, iri, whitespace)
    assert warnings == []


def test_default_string() -> None:
    assert STRING.parse(" a  b ") == Value(" a  b ", XSD + "string", " a  b ")


@pytest.mark.parametrize("value", ["foo", "http://example.org/datatype", 12, None, ["string"]])
def test_unusable_datatype_values_warn_and_use_string(value: object) -> None:
    datatype, warnings = dt(value)
    assert datatype.base == "string"
    assert len(warnings) == 1


def test_description_defaults_and_invalid_base() -> None:
    assert dt({})[0].base == "string"
    datatype, warnings = dt({"base": "foo"})
    assert datatype.base == "string"
    assert warnings == ["datatype: base 'foo' is not a built-in datatype; using string"]


def test_unknown_property_warns_but_common_properties_do_not() -> None:
    _, warnings = dt({"base": "string", "foo": 1, "dc:title": "x", "@type": "Datatype"})
    assert warnings == ["datatype: unknown property 'foo' ignored"]


def test_id_is_used_and_resolved() -> None:
    datatype, _ = dt({"@id": "types#mine", "base": "integer"}, "http://example.org/a/meta.json")
    assert datatype.parse("7") == Value("7", "http://example.org/a/types#mine", 7)


@pytest.mark.parametrize(
    "spec",
    [
        {"@id": "_:foo", "base": "string"},
        {"@id": XSD + "string", "base": "string"},
        {"@id": RDF + "XMLLiteral"},
        {"@type": "Template"},
    ],
)
def test_invalid_id_or_type_is_an_error(spec: dict[str, object]) -> None:
    with pytest.raises(MetadataError):
        dt(spec)


# Numbers


@pytest.mark.parametrize(
    ("base", "text", "expected"),
    [
        ("integer", "-10", "-10"),
        ("integer", "+1", "+1"),
        ("decimal", "10.1", "10.1"),
        ("decimal", "+1", "+1"),
        ("double", "0.0e0", "0.0e0"),
        ("double", "10.10E1", "10.10e1"),
        ("float", "INF", "INF"),
        ("number", "-INF", "-INF"),
        ("double", "NaN", "NaN"),
        ("unsignedByte", "255", "255"),
        ("nonPositiveInteger", "0", "0"),
    ],
)
def test_native_numbers(base: str, text: str, expected: str) -> None:
    assert lexical(base, text) == expected


@pytest.mark.parametrize(
    ("base", "text", "message"),
    [
        ("integer", "3.2", "expected an integer"),
        ("integer", "1 000", "expected an integer"),
        ("decimal", "123.456E7", "expected a decimal"),
        ("decimal", "NaN", "expected a decimal"),
        ("double", "1z", "expected a double"),
        ("byte", "1234", "1234 is out of range for byte"),
        ("unsignedLong", "-1", "-1 is out of range for unsignedLong"),
        ("positiveInteger", "0", "0 is out of range for positiveInteger"),
        ("negativeInteger", "0", "0 is out of range for negativeInteger"),
    ],
)
def test_invalid_native_numbers(base: str, text: str, message: str) -> None:
    assert error(base, text) == message


def test_number_keys() -> None:
    assert dt("integer")[0].parse("007").key == 7
    assert dt("decimal")[0].parse("1.50").key == Decimal("1.5")
    assert dt("double")[0].parse("1e3").key == 1000.0


@pytest.mark.parametrize(
    ("fmt", "base", "text", "expected"),
    [
        ({"groupChar": ","}, "decimal", "123,456.789", "123456.789"),
        ({"groupChar": ","}, "decimal", "123456.789%", "1234.56789"),
        ({"groupChar": ","}, "decimal", "123456.789‰", "123.456789"),
        ({"decimalChar": ",", "groupChar": "."}, "decimal", "10.000,1", "10000.1"),
        ({"groupChar": " "}, "integer", "-1 000 000", "-1000000"),
        ({"decimalChar": ","}, "double", "1,5E3", "1.5e3"),
        ({"groupChar": ","}, "integer", "200%", "2"),
        ("#,##0.00", "decimal", "1,234.50", "1234.50"),
        ("#0.0#,#", "decimal", "12.24,5", "12.245"),
        ("#,##,#00", "integer", "12,34,567", "1234567"),
        ("#0.###E#0", "double", "10.10E1", "10.10e1"),
        ("+0", "decimal", "+1", "+1"),
        ("%000", "decimal", "%-123", "-1.23"),
        ("000‰", "decimal", "+123‰", "0.123"),
        ("#0.0", "double", "INF", "INF"),
    ],
)
def test_formatted_numbers(fmt: object, base: str, text: str, expected: str) -> None:
    assert lexical({"base": base, "format": fmt}, text) == expected


@pytest.mark.parametrize(
    ("fmt", "base", "text"),
    [
        ({"groupChar": ","}, "decimal", "123,,456.789"),
        ({"groupChar": ","}, "integer", "1,234.5"),
        ({"groupChar": ","}, "decimal", "1.5E3"),
        ({"groupChar": ","}, "decimal", "INF"),
        ("##0", "integer", "1,234"),
        ("#,#00", "integer", "1"),
        ("#,#00", "integer", "1234"),
        ("#,#00", "integer", "12,34"),
        ("#,##,#00", "integer", "1,234,567"),
        ("#0.#", "decimal", "12.34"),
        ("#0.0", "decimal", "1"),
        ("#0.0#,#", "decimal", "12.345"),
        ("0.00E0", "double", "10.10e10"),
        ("#0%", "decimal", "12"),
    ],
)
def test_numbers_not_matching_format(fmt: object, base: str, text: str) -> None:
    with pytest.raises(CellError):
        dt({"base": base, "format": fmt})[0].parse(text)


def test_number_format_message() -> None:
    assert error({"base": "integer", "format": "#,##0"}, "12.5") == (
        "expected an integer matching '#,##0'"
    )


@pytest.mark.parametrize(
    ("fmt", "warning"),
    [
        ("[", "format: '[' is not a valid number pattern; ignoring it"),
        ({"pattern": "0#"}, "format: '0#' is not a valid number pattern; ignoring it"),
        ({"pattern": "#,##;(#)"}, "format: '#,##;(#)' is not a valid number pattern; ignoring it"),
        ({"groupChar": 1}, "format: groupChar 1 is not a string; ignoring it"),
        (["#"], "format: ['#'] is not a string or object; ignoring it"),
    ],
)
def test_invalid_number_formats_warn_and_are_ignored(fmt: object, warning: str) -> None:
    datatype, warnings = dt({"base": "integer", "format": fmt})
    assert warnings == [warning]
    assert datatype.parse("12").lexical == "12"


# Booleans


def test_booleans() -> None:
    assert [dt("boolean")[0].parse(t).lexical for t in ("true", "1", "false", "0")] == [
        "true",
        "true",
        "false",
        "false",
    ]
    yes_no = dt({"base": "boolean", "format": "Y|N"})[0]
    assert yes_no.parse("N") == Value("false", XSD + "boolean", False)
    assert error({"base": "boolean", "format": "Y|N"}, "true") == "expected 'Y|N'"
    assert error("boolean", "100") == "expected a boolean"


@pytest.mark.parametrize("fmt", ["YN", {"pattern": "Y|N"}, "Y|N|X", "|N"])
def test_invalid_boolean_formats_warn(fmt: object) -> None:
    datatype, warnings = dt({"base": "boolean", "format": fmt})
    assert len(warnings) == 1
    assert datatype.parse("true").key is True


# Dates and times


@pytest.mark.parametrize(
    ("base", "text"),
    [
        ("date", "2015-03-22"),
        ("date", "2015-03-22-08:00"),
        ("time", "15:02:37Z"),
        ("dateTime", "2015-03-15T15:02:37.25+05:30"),
        ("dateTimeStamp", "2015-03-15T15:02:37Z"),
        ("gDay", "---31"),
        ("gMonth", "--02Z"),
        ("gMonthDay", "--02-29"),
        ("gYear", "9999"),
        ("gYearMonth", "1999-05-08:00"),
    ],
)
def test_native_dates_keep_their_lexical_form(base: str, text: str) -> None:
    assert lexical(base, text) == text


@pytest.mark.parametrize(
    ("base", "text"),
    [
        ("date", "2015-02-29"),
        ("date", "15-06-05"),
        ("time", "25:00:00"),
        ("dateTime", "2015-03-15 15:02:37"),
        ("dateTimeStamp", "2015-03-15T15:02:37"),
        ("time", "15:02:37+15:00"),
        ("gMonth", "--13"),
    ],
)
def test_invalid_native_dates(base: str, text: str) -> None:
    with pytest.raises(CellError):
        dt(base)[0].parse(text)


@pytest.mark.parametrize(
    ("base", "fmt", "text", "expected"),
    [
        ("date", "dd/MM/yyyy", "22/03/2015", "2015-03-22"),
        ("date", "M.d.yyyy", "3.22.2015", "2015-03-22"),
        ("date", "yyyyMMdd", "20150322", "2015-03-22"),
        ("date", "dd.MM.yyyy XXX", "22.03.2015 Z", "2015-03-22Z"),
        ("time", "HHmm", "1502", "15:02:00"),
        ("time", "HH:mm:ssX", "15:02:37-05", "15:02:37-05:00"),
        ("time", "HHmm XX", "1502 +0800", "15:02:00+08:00"),
        ("time", "HH:mm:ss.SS", "15:02:37.1", "15:02:37.1"),
        ("dateTime", "yyyy-MM-ddTHH:mm", "2015-03-15T15:02", "2015-03-15T15:02:00"),
        ("dateTime", "M/d/yyyy HH:mm", "3/22/2015 15:02", "2015-03-22T15:02:00"),
        ("datetime", "d-M-yyyy HHmm xxx", "15-3-2015 1502 -05:00", "2015-03-15T15:02:00-05:00"),
        ("dateTimeStamp", "yyyy-MM-dd HH:mm:ss X", "2015-03-15 15:02:37 Z", "2015-03-15T15:02:37Z"),
        ("gYearMonth", "MM/yyyy", "05/1999", "1999-05"),
    ],
)
def test_formatted_dates(base: str, fmt: str, text: str, expected: str) -> None:
    assert lexical({"base": base, "format": fmt}, text) == expected


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("HH:mm:ss.S", "15:02:37.143"),
        ("HH:mm x", "15:02 Z"),
        ("HH:mm:ss", "15:02"),
    ],
)
def test_times_not_matching_format(fmt: str, text: str) -> None:
    assert error({"base": "time", "format": fmt}, text) == f"expected a time matching {fmt!r}"


def test_formatted_date_checks_the_calendar() -> None:
    message = error({"base": "date", "format": "d/M/yyyy"}, "31/4/2015")
    assert message.startswith("expected a date matching 'd/M/yyyy'")


@pytest.mark.parametrize(
    ("base", "fmt"),
    [("date", "yy-MM-dd"), ("date", "HH:mm"), ("time", "yyyy-MM-dd"), ("date", {"a": 1})],
)
def test_unsupported_date_formats_warn_and_are_ignored(base: str, fmt: object) -> None:
    datatype, warnings = dt({"base": base, "format": fmt})
    assert len(warnings) == 1
    assert datatype.parse("2015-06-05" if base == "date" else "10:00:00")


def test_date_keys() -> None:
    minus5 = timezone(timedelta(hours=-5))
    assert dt("date")[0].parse("2015-03-22").key == date(2015, 3, 22)
    assert dt("date")[0].parse("2015-03-22Z").key == datetime(2015, 3, 22, tzinfo=UTC)
    assert dt("time")[0].parse("10:00:00-05:00").key == time(10, tzinfo=minus5)
    same = dt("dateTime")[0]
    assert same.parse("2015-03-22T10:00:00Z").key == same.parse("2015-03-22T05:00:00-05:00").key
    assert same.parse("2015-03-22T24:00:00").key == datetime(2015, 3, 23)


# Durations


def test_durations() -> None:
    assert lexical("duration", "P1Y2M3DT4H5M6.5S") == "P1Y2M3DT4H5M6.5S"
    assert dt("dayTimeDuration")[0].parse("P1DT2H").key == (0, Decimal(93600))
    assert dt("yearMonthDuration")[0].parse("-P1Y2M").key == (-14, Decimal(0))
    for base, text in [("duration", "Foo"), ("dayTimeDuration", "P1M"), ("duration", "PT")]:
        with pytest.raises(CellError):
            dt(base)[0].parse(text)


def test_duration_format_is_a_regular_expression() -> None:
    spec = {"base": "dayTimeDuration", "format": "^-?P.DT.*$"}
    assert lexical(spec, "P1DT2H") == "P1DT2H"
    assert error(spec, "PT2H") == "does not match format '^-?P.DT.*$'"


# Strings and other types


def test_string_format_is_a_regular_expression() -> None:
    assert lexical({"format": "[Aa]+"}, "AaAaA") == "AaAaA"
    assert error({"format": "[Bb]+"}, "AaAaA") == "does not match format '[Bb]+'"
    assert lexical({"base": "anyURI", "format": "^http"}, "http://a.example/") == (
        "http://a.example/"
    )


def test_ecmascript_named_groups_are_accepted() -> None:
    assert lexical({"format": "^(?<x>a+)$"}, "aa") == "aa"


def test_invalid_regular_expression_warns() -> None:
    datatype, warnings = dt({"base": "string", "format": "+"})
    assert warnings == ["format: '+' is not a valid regular expression; ignoring it"]
    assert datatype.parse("x").lexical == "x"


@pytest.mark.parametrize(
    ("base", "good", "bad"),
    [
        ("language", "en-GB", "english language"),
        ("Name", "a:b-c.d", "1abc"),
        ("NMTOKEN", "1abc", "a b"),
        ("QName", "xsd:int", "a:b:c"),
        ("json", '{"a": [1, 2]}', "{a: 1}"),
        ("hexBinary", "0FB7", "0FB"),
        ("base64Binary", "U2VuZCByZWluZm9yY2VtZW50cw==", "U2VuZ==="),
    ],
)
def test_lexical_checks_of_other_types(base: str, good: str, bad: str) -> None:
    datatype = dt(base)[0]
    assert datatype.parse(good).lexical == good
    with pytest.raises(CellError):
        datatype.parse(bad)


def test_binary_values() -> None:
    assert dt("hexBinary")[0].parse("0fb7") == Value("0FB7", XSD + "hexBinary", b"\x0f\xb7")
    assert dt("binary")[0].parse("AQI=").key == b"\x01\x02"


def test_string_like_types_keep_text() -> None:
    for base in ("anyAtomicType", "xml", "html", "token", "normalizedString", "anyURI"):
        assert dt(base)[0].parse("<a> b").lexical == "<a> b"


# Length constraints


def test_length_constraints() -> None:
    assert lexical({"base": "NMTOKEN", "length": 5}, "token") == "token"
    assert error({"base": "NMTOKEN", "length": 4}, "token") == "not of length 4"
    assert error({"base": "string", "minLength": 6}, "token") == "shorter than minLength 6"
    assert error({"base": "string", "maxLength": 4}, "token") == "longer than maxLength 4"
    assert lexical({"base": "string", "length": 2}, "日本") == "日本"


def test_binary_length_counts_bytes() -> None:
    assert lexical({"base": "hexBinary", "length": 2}, "0FB7") == "0FB7"
    assert lexical({"base": "base64Binary", "length": 19}, "U2VuZCByZWluZm9yY2VtZW50cw==")
    assert error({"base": "hexBinary", "maxLength": 1}, "0FB7") == "longer than maxLength 1"


@pytest.mark.parametrize(
    "spec",
    [
        {"base": "NMTOKEN", "length": 5, "minLength": 6},
        {"base": "NMTOKEN", "length": 5, "maxLength": 4},
        {"base": "NMTOKEN", "minLength": 6, "maxLength": 5},
        {"base": "date", "length": 5},
        {"base": "integer", "maxLength": 5},
        {"base": "anyURI", "minLength": 5},
    ],
)
def test_inconsistent_lengths_are_errors(spec: dict[str, object]) -> None:
    with pytest.raises(MetadataError):
        dt(spec)


def test_invalid_length_value_warns() -> None:
    datatype, warnings = dt({"base": "string", "length": "5"})
    assert warnings == ["datatype: length '5' is not a non-negative integer; ignoring it"]
    assert datatype.parse("abc").lexical == "abc"


# Value constraints


@pytest.mark.parametrize(
    ("spec", "text", "message"),
    [
        ({"base": "integer", "maximum": 10}, "11", "greater than maximum 10"),
        ({"base": "float", "minimum": 5}, "4", "less than minimum 5"),
        ({"base": "float", "minInclusive": 5}, "4.9", "less than minInclusive 5"),
        ({"base": "decimal", "minExclusive": 5}, "5", "not greater than minExclusive 5"),
        ({"base": "double", "maxExclusive": 5}, "5.0", "not less than maxExclusive 5"),
        ({"base": "double", "minimum": 0}, "NaN", "less than minimum 0"),
        (
            {"base": "date", "maximum": "2015-06-05"},
            "2015-06-06",
            "greater than maximum 2015-06-05",
        ),
        ({"base": "dayTimeDuration", "maximum": "PT1H"}, "PT61M", "greater than maximum PT1H"),
        ({"base": "decimal", "maximum": "1.5"}, "1.51", "greater than maximum 1.5"),
    ],
)
def test_value_constraints_fail(spec: dict[str, object], text: str, message: str) -> None:
    assert error(spec, text) == message


def test_value_constraints_pass() -> None:
    assert lexical({"base": "float", "minimum": 5, "maximum": 5}, "5") == "5"
    assert lexical({"base": "date", "minExclusive": "2015-06-05"}, "2015-06-06") == "2015-06-06"
    spec = {"base": "date", "format": "dd/MM/yyyy", "minimum": "2000-01-01"}
    assert lexical(spec, "01/01/2000") == "2000-01-01"
    with_zone = {"base": "dateTime", "maximum": "2015-01-01T12:00:00Z"}
    assert lexical(with_zone, "2015-01-01T13:00:00+02:00") == "2015-01-01T13:00:00+02:00"
    assert error(with_zone, "2015-01-01T12:00:01") == "greater than maximum 2015-01-01T12:00:00Z"


@pytest.mark.parametrize(
    "spec",
    [
        {"base": "date", "minInclusive": "2015-06-05", "minExclusive": "2015-06-05"},
        {"base": "date", "maxInclusive": "2015-06-05", "maxExclusive": "2015-06-05"},
        {"base": "date", "maxInclusive": "2015-06-05", "minInclusive": "2015-06-06"},
        {"base": "date", "maxExclusive": "2015-06-05", "minInclusive": "2015-06-05"},
        {"base": "date", "maxExclusive": "2015-06-05", "minExclusive": "2015-06-06"},
        {"base": "date", "maxInclusive": "2015-06-05", "minExclusive": "2015-06-05"},
        {"base": "integer", "minimum": 1, "minInclusive": 2},
        {"base": "integer", "maximum": 1, "maxInclusive": 2},
        {"base": "string", "minimum": 1},
        {"base": "boolean", "maxExclusive": 1},
        {"base": "anyURI", "maxInclusive": "a"},
    ],
)
def test_inconsistent_value_constraints_are_errors(spec: dict[str, object]) -> None:
    with pytest.raises(MetadataError):
        dt(spec)


def test_equal_aliases_are_allowed() -> None:
    datatype, warnings = dt({"base": "integer", "minimum": 1, "minInclusive": 1})
    assert warnings == []
    assert error({"base": "integer", "minimum": 1, "minInclusive": 1}, "0") == (
        "less than minimum 1"
    )
    assert datatype.parse("1").key == 1


def test_unparseable_constraint_value_warns() -> None:
    datatype, warnings = dt({"base": "date", "minimum": "05/06/2015"})
    assert warnings == ["datatype: minimum '05/06/2015' is not a valid date; ignoring it"]
    assert datatype.parse("2000-01-01").lexical == "2000-01-01"
