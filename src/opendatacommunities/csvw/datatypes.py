"""CSVW datatypes: reading datatype descriptions (metadata §5.11) and parsing cells (tabular §6.4).

``read_datatype`` does all the work once per column: it validates the description, compiles the
format and constraints, and leaves a ``Datatype`` whose ``parse`` is a single prepared closure.

>>> integer = read_datatype({"base": "integer", "minimum": 1}, warn=print)
>>> integer.parse("42")
Value(lexical='42', datatype='http://www.w3.org/2001/XMLSchema#integer', key=42)
>>> integer.parse("0")
Traceback (most recent call last):
...
opendatacommunities.errors.CellError: less than minimum 1
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin

from opendatacommunities.errors import CellError, MetadataError
from opendatacommunities.vocab import CSVW, RDF, XSD, XSD_NUMERIC

from . import datetimes, numbers
from .lexical import CORE_PARSERS, boolean_parser, text_value

WhiteSpace = Literal["preserve", "replace", "collapse"]
Warn = Callable[[str], None]
Parser = Callable[[str], tuple[str, Hashable]]
Notice = Callable[[str, str], str | None]
"""Given a cell's text and its value's lexical form, a warning about a valid value, or None."""


@dataclass(frozen=True, slots=True)
class Value:
    """A parsed cell value: its RDF lexical form and datatype IRI, and a Python value to compare."""

    lexical: str
    datatype: str
    key: Hashable


_STRINGS = frozenset({"string", "normalizedString", "token", "language", "Name", "NMTOKEN"})
STRING_TYPES = _STRINGS | {"xml", "html", "json"}
BINARY_TYPES = frozenset({"base64Binary", "hexBinary"})
_OTHERS = frozenset({"anyAtomicType", "anyURI", "boolean", "QName"})
BUILT_INS = STRING_TYPES | BINARY_TYPES | _OTHERS | XSD_NUMERIC
BUILT_INS |= datetimes.TEMPORAL | datetimes.DURATIONS
_ALIASES = {"number": "double", "binary": "base64Binary", "datetime": "dateTime"}
_ALIASES["any"] = "anyAtomicType"
_SPECIAL_IRIS = {"xml": RDF + "XMLLiteral", "html": RDF + "HTML", "json": CSVW + "JSON"}
_IRIS = {name: _SPECIAL_IRIS.get(name, XSD + name) for name in BUILT_INS}
_BUILT_IN_IRIS = frozenset(_IRIS.values())
_PRESERVED = frozenset({"string", "json", "xml", "html", "anyAtomicType"})
_ORDERED = XSD_NUMERIC | datetimes.TEMPORAL | datetimes.DURATIONS
_LENGTHS = ("length", "minLength", "maxLength")
_BOUNDS = ("minimum", "maximum", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")
_PROPERTIES = frozenset({"base", "format", "@id", "@type", *_LENGTHS, *_BOUNDS})


def _whitespace(base: str) -> WhiteSpace:
    if base in _PRESERVED:
        return "preserve"
    return "replace" if base == "normalizedString" else "collapse"


@dataclass(frozen=True, slots=True)
class Datatype:
    """A column datatype, ready to parse cells.

    ``base`` is the canonical built-in name (aliases such as ``number`` are resolved to
    ``double``); ``iri`` is the datatype IRI of produced literals; ``whitespace`` says how a
    cell is normalised before parsing (tabular §6.4 steps 1-2).
    """

    base: str
    iri: str
    whitespace: WhiteSpace
    _parse: Callable[[str], Value] = field(repr=False, compare=False)
    notice: Notice | None = field(default=None, repr=False, compare=False)
    """What to warn about in a valid value (irregular digit grouping), when anything."""

    def parse(self, text: str) -> Value:
        """Parse normalised, non-null cell text, raising ``CellError`` if it is invalid."""
        return self._parse(text)


def read_datatype(value: object, *, warn: Warn, base_url: str = "") -> Datatype:
    """Build a Datatype from the raw JSON value of a column's ``datatype`` property.

    Problems the spec lets processing continue past go to ``warn``; the rest raise
    ``MetadataError``.
    """
    if isinstance(value, str):
        name = _ALIASES.get(value, value)
        if name in BUILT_INS:
            return _built_in(name)
        warn(f"datatype: {value!r} is not a built-in datatype; using string")
    elif isinstance(value, dict):
        return _describe(value, warn, base_url)
    else:
        warn(f"datatype: {value!r} is not a string or object; using string")
    return STRING


@functools.cache
def _built_in(name: str) -> Datatype:
    return _assemble(name, _IRIS[name], None, _ignore)


def _ignore(message: str) -> None:
    """Built-ins have no description to warn about."""


def _describe(spec: dict[str, object], warn: Warn, base_url: str) -> Datatype:
    """Read a datatype description object (metadata §5.11.2)."""
    for key in sorted(spec.keys() - _PROPERTIES):
        if ":" not in key:  # prefixed names and URLs are common properties, allowed
            warn(f"datatype: unknown property {key!r} ignored")
    if "@type" in spec and spec["@type"] != "Datatype":
        raise MetadataError(f"datatype: @type must be 'Datatype', not {spec['@type']!r}")
    iri = _read_id(spec.get("@id"), warn, base_url)
    base = spec.get("base", "string")
    name = _ALIASES.get(base, base) if isinstance(base, str) else None
    if name is None or name not in BUILT_INS:
        warn(f"datatype: base {base!r} is not a built-in datatype; using string")
        name = "string"
    return _assemble(name, iri or _IRIS[name], spec, warn)


def _read_id(value: object, warn: Warn, base_url: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        warn(f"datatype: @id {value!r} is not a string; ignoring it")
        return None
    if value.startswith("_:"):
        raise MetadataError(f"datatype: @id {value!r} must not be a blank node")
    iri = urljoin(base_url, value) if base_url else value
    expanded = XSD + value[4:] if value.startswith("xsd:") else iri
    if iri in _BUILT_IN_IRIS or expanded in _BUILT_IN_IRIS:
        raise MetadataError(f"datatype: @id {value!r} must not be a built-in datatype")
    return iri


def _assemble(base: str, iri: str, spec: dict[str, object] | None, warn: Warn) -> Datatype:
    """Compile the format and constraints of a datatype into its parse function."""
    spec = spec or {}
    fmt = spec.get("format")
    core, regex = _core(base, fmt, warn)
    checks = [*_length_checks(spec, base, warn), *_bound_checks(spec, base, warn)]
    notice = numbers.grouping_notice(fmt) if base in XSD_NUMERIC else None
    if regex is None and not checks:
        return Datatype(base, iri, _whitespace(base), _plain(core, iri), notice)
    expected = f"does not match format {fmt!r}"

    def parse(text: str) -> Value:
        if regex is not None and regex.search(text) is None:
            raise CellError(expected)
        lexical, key = core(text)
        for check in checks:
            check(key)
        return Value(lexical, iri, key)

    return Datatype(base, iri, _whitespace(base), parse, notice)


def _plain(core: Parser, iri: str) -> Callable[[str], Value]:
    """The parse function of a datatype with no regex format and no constraints."""
    if core is text_value:

        def parse_text(text: str) -> Value:
            return Value(text, iri, text)

        return parse_text

    def parse(text: str) -> Value:
        lexical, key = core(text)
        return Value(lexical, iri, key)

    return parse


def _core(base: str, fmt: object, warn: Warn) -> tuple[Parser, re.Pattern[str] | None]:
    """The parser for the base's values, and the regex format for types that use one."""
    if base in XSD_NUMERIC:
        return numbers.number_parser(base, fmt, warn), None
    if base in datetimes.TEMPORAL:
        return datetimes.temporal_parser(base, fmt, warn), None
    if base == "boolean":
        return boolean_parser(fmt, warn), None
    return CORE_PARSERS[base], _regex(fmt, warn) if fmt is not None else None


def _regex(fmt: object, warn: Warn) -> re.Pattern[str] | None:
    """Compile a format that is a regular expression (tabular §6.4.5, §6.4.6)."""
    if isinstance(fmt, str):
        try:
            # ECMAScript names groups (?<name>...), Python (?P<name>...).
            return re.compile(re.sub(r"(?<!\\)\(\?<(?=[A-Za-z_])", "(?P<", fmt))
        except re.error:
            pass
    warn(f"format: {fmt!r} is not a valid regular expression; ignoring it")
    return None


Check = Callable[[Hashable], None]


def _length_checks(spec: dict[str, object], base: str, warn: Warn) -> list[Check]:
    """Length constraints (tabular §4.6.1), validated as metadata §5.11.2 requires."""
    given = [name for name in _LENGTHS if name in spec]
    if given and base not in STRING_TYPES | BINARY_TYPES:
        raise MetadataError(f"datatype: {given[0]} is not allowed on {base}")
    limits: dict[str, int] = {}
    for name in given:
        value = spec[name]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            limits[name] = value
        else:
            warn(f"datatype: {name} {value!r} is not a non-negative integer; ignoring it")
    exact, least, most = (limits.get(name) for name in _LENGTHS)
    if exact is not None and least is not None and exact < least:
        raise MetadataError(f"datatype: length {exact} is less than minLength {least}")
    if exact is not None and most is not None and exact > most:
        raise MetadataError(f"datatype: length {exact} is greater than maxLength {most}")
    if least is not None and most is not None and least > most:
        raise MetadataError(f"datatype: minLength {least} is greater than maxLength {most}")
    return [_length_check(name, limit) for name, limit in limits.items()]


def _length_check(name: str, limit: int) -> Check:
    test: Callable[[int], bool] = {
        "length": limit.__eq__,
        "minLength": limit.__le__,
        "maxLength": limit.__ge__,
    }[name]
    message = {"length": "not of length", "minLength": "shorter than", "maxLength": "longer than"}
    prefix = message[name] + (f" {name}" if name != "length" else "")

    def check(key: Hashable) -> None:
        if not test(len(key)):  # type: ignore[arg-type]  # str or bytes for these bases
            raise CellError(f"{prefix} {limit}")

    return check


_MESSAGES = {
    "minInclusive": "less than",
    "minExclusive": "not greater than",
    "maxInclusive": "greater than",
    "maxExclusive": "not less than",
}
_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "minInclusive": operator.ge,
    "minExclusive": operator.gt,
    "maxInclusive": operator.le,
    "maxExclusive": operator.lt,
}
Bound = tuple[object, str]  # the bound placed on the base's order, and its name as written


def _bound_checks(spec: dict[str, object], base: str, warn: Warn) -> list[Check]:
    """Value constraints (tabular §4.6.2), validated as metadata §5.11.2 requires."""
    given = [name for name in _BOUNDS if name in spec]
    if not given:
        return []
    if base not in _ORDERED:
        raise MetadataError(f"datatype: {given[0]} is not allowed on {base}")
    order = _order(base)
    bounds: dict[str, Bound] = {}
    for name in given:
        value = _bound_value(base, spec[name])
        if value is None:
            warn(f"datatype: {name} {spec[name]!r} is not a valid {base}; ignoring it")
        else:
            bounds[name] = (order(value), f"{name} {_shown(spec[name])}")
    for alias, name in (("minimum", "minInclusive"), ("maximum", "maxInclusive")):
        if alias in bounds and name in bounds and bounds[alias][0] != bounds[name][0]:
            raise MetadataError(f"datatype: {alias} and {name} differ")
        if alias in bounds:
            bounds[name] = bounds.pop(alias)
    _check_bounds({name: bound for name, (bound, _) in bounds.items()})
    return [_bound_check(bounds, order)]


def _check_bounds(b: dict[str, object]) -> None:
    """The combinations of bounds metadata §5.11.2 says are errors."""
    for low, high in (("minInclusive", "minExclusive"), ("maxInclusive", "maxExclusive")):
        if low in b and high in b:
            raise MetadataError(f"datatype: both {low} and {high} are given")
    pairs = (
        ("minInclusive", "maxInclusive", _TESTS["minInclusive"]),
        ("minInclusive", "maxExclusive", _TESTS["minExclusive"]),
        ("minExclusive", "maxExclusive", _TESTS["minInclusive"]),
        ("minExclusive", "maxInclusive", _TESTS["minExclusive"]),
    )
    for low, high, fits in pairs:
        if low in b and high in b and not fits(b[high], b[low]):
            raise MetadataError(f"datatype: {high} is not above {low}")


def _bound_check(bounds: dict[str, Bound], order: Callable[[object], object]) -> Check:
    tests = [
        (_TESTS[name], bound, f"{_MESSAGES[name]} {shown}")
        for name, (bound, shown) in bounds.items()
    ]

    def check(key: Hashable) -> None:
        value = order(key)
        for test, bound, message in tests:
            if not test(value, bound):
                raise CellError(message)

    return check


def _order(base: str) -> Callable[[object], object]:
    """How values of ``base`` are placed in order for value constraints."""
    if base in datetimes.TEMPORAL:
        return datetimes.order
    if base in datetimes.DURATIONS:
        return datetimes.duration_order
    return _same


def _same(value: object) -> object:
    return value


def _bound_value(base: str, value: object) -> Hashable | None:
    """Read a constraint value: a JSON number, or a string in the base's XSD lexical form."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if base in XSD_NUMERIC else None
    if not isinstance(value, str):
        return None
    if base in XSD_NUMERIC:
        parser = numbers.number_parser(base, None, _ignore)
    elif base in datetimes.TEMPORAL:
        parser = datetimes.temporal_parser(base, None, _ignore)
    else:
        parser = CORE_PARSERS[base]
    try:
        return parser(value)[1]
    except CellError:
        return None


def _shown(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


STRING = _built_in("string")
"""The datatype of columns that have none: ``xsd:string``, whitespace preserved."""
