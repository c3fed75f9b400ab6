"""Numeric datatypes: XSD lexical forms and CSVW number formats (tabular data model §6.4.2).

A parser takes whitespace-normalised cell text and returns ``(lexical, key)``: the lexical form
written to RDF and the Python value used for comparisons. Lexical forms follow the W3C test suite:
the cell's own digits are kept (sign included) once group characters are removed and the decimal
character is replaced by ``.``; only percentages and per-mille values, whose value differs from
their digits, are rewritten from the computed value.

>>> number_parser("decimal", {"groupChar": ","}, print)("-1,234.50")
('-1234.50', Decimal('-1234.50'))
>>> number_parser("decimal", "#,##0.0%", print)("12.5%")
('0.125', Decimal('0.125'))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from decimal import Decimal, localcontext

from opendatacommunities.errors import CellError
from opendatacommunities.vocab import XSD_FLOATS, XSD_INTEGER_RANGES

from .patterns import SCALES, Warn, read_format

Parsed = tuple[str, Hashable]
Parser = Callable[[str], Parsed]


_XSD_INTEGER = re.compile(r"[+-]?[0-9]+")
_XSD_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_XSD_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_SPECIALS = frozenset({"NaN", "INF", "-INF"})


def article(name: str) -> str:
    """Return ``name`` with its indefinite article, for error messages.

    >>> article("integer"), article("byte")
    ('an integer', 'a byte')
    """
    return f"an {name}" if name[0] in "aeiouAEIOU" else f"a {name}"


def number_parser(base: str, fmt: object, warn: Warn) -> Parser:
    """Build the parser for numeric ``base`` (a canonical built-in name) and raw JSON ``fmt``.

    Invalid parts of the format are reported through ``warn`` and ignored, as §6.4.2 requires.
    """
    syntax = read_format(fmt, warn) if fmt is not None else None
    if syntax is None:
        return _native(base)
    expected = article(base) + (f" matching {syntax.pattern!r}" if syntax.pattern else "")
    regex, group, scale, fits = syntax.regex, syntax.group, syntax.scale, syntax.fits
    # Plain ASCII digits (most cells) read the same with or without separators in the format.
    plain = _native(base) if not syntax.pattern else None

    def parse(text: str) -> Parsed:
        if plain is not None and text.isdigit() and text.isascii():
            return plain(text)
        if text in _SPECIALS:
            return _special(base, text)
        match = regex.fullmatch(text)
        parts = match.groupdict() if match is not None else None
        if parts is None or (group and group + group in text) or not fits(parts):
            raise CellError(f"expected {expected}")
        return _finish(base, parts, group, scale or SCALES.get(parts.get("pct") or ""))

    return parse


def _native(base: str) -> Parser:
    """Parse the XSD lexical space of ``base``: the default when no format is given."""
    if base in XSD_FLOATS:
        match = _XSD_DOUBLE.fullmatch
        expected = f"expected {article(base)}"

        def parse_float(text: str) -> Parsed:
            if match(text) is None:
                raise CellError(expected)
            return text.replace("E", "e"), float(text)

        return parse_float
    if base == "decimal":

        def parse_decimal(text: str) -> Parsed:
            if _XSD_DECIMAL.fullmatch(text) is None:
                raise CellError("expected a decimal")
            return text, Decimal(text)

        return parse_decimal
    return _native_integer(base)


def _native_integer(base: str) -> Parser:
    match = _XSD_INTEGER.fullmatch
    low, high = XSD_INTEGER_RANGES[base]
    expected = f"expected {article(base)}"
    if low is None and high is None:

        def parse_integer(text: str) -> Parsed:
            if match(text) is None:
                raise CellError(expected)
            return text, _integer(text)

        return parse_integer

    def parse_bounded(text: str) -> Parsed:
        if match(text) is None:
            raise CellError(expected)
        return text, _in_range(base, _integer(text), text)

    return parse_bounded


def _integer(text: str) -> int:
    """The integer ASCII digits ``text`` (sign included) write, however many there are."""
    # int() refuses strings of more than 4,300 digits (a guard against slow conversions).
    return int(text) if len(text) < 4000 else int(Decimal(text))


def _in_range(base: str, value: int, lexical: str) -> int:
    low, high = XSD_INTEGER_RANGES[base]
    if (low is not None and value < low) or (high is not None and value > high):
        raise CellError(f"{lexical} is out of range for {base}")
    return value


def _special(base: str, text: str) -> Parsed:
    if base not in XSD_FLOATS:
        raise CellError(f"expected {article(base)}, not {text}")
    return text, float(text)


def _finish(base: str, parts: dict[str, str | None], group: str, scale: Decimal | None) -> Parsed:
    """Turn a matched formatted number into its lexical form and value."""
    digits, fraction, exponent = parts["int"] or "", parts.get("frac"), parts.get("exp")
    if group:
        digits = digits.replace(group, "")
        fraction = fraction.replace(group, "") if fraction is not None else None
    if fraction is not None and base != "decimal" and base not in XSD_FLOATS:
        raise CellError(f"expected {article(base)}, not a decimal number")
    if exponent is not None and base not in XSD_FLOATS:
        raise CellError(f"expected {article(base)}, not a number with an exponent")
    lexical = (parts.get("sign") or "") + (digits or "0")
    if fraction is not None:
        lexical += "." + fraction
    if exponent is not None:
        lexical += "e" + exponent
    if scale is not None:
        lexical = _scaled(lexical, scale)
    if base in XSD_FLOATS:
        return lexical, float(lexical)
    if base == "decimal":
        return lexical, Decimal(lexical)
    if scale is None:
        return lexical, _in_range(base, _integer(lexical), lexical)
    value = Decimal(lexical)
    if value != value.to_integral_value():
        # Only a per cent or per mille sign can make a fraction of digits that had none.
        sign = "a per cent sign" if scale == 100 else "a per mille sign"
        raise CellError(f"expected {article(base)}, not {lexical} ({sign} divides by {scale})")
    return lexical, _in_range(base, int(value), lexical)


def grouping_notice(fmt: object) -> Callable[[str, str], str | None] | None:
    """For a format with a ``groupChar`` and no pattern: a function of a cell's text and its
    lexical form that says when the digits are grouped irregularly (``1,2,3``: valid, as
    §6.4.2 lets group characters fall anywhere, but rarely what was meant). A pattern fixes
    the group sizes itself; None when there is nothing to check.

    >>> notice = grouping_notice({"groupChar": ","})
    >>> notice("1,234,567", "1234567") is None, notice("12,3", "123")
    (True, 'irregular digit grouping: read as 123')
    """
    syntax = read_format(fmt, _quiet) if fmt is not None else None
    if syntax is None or not syntax.group or syntax.pattern:
        return None
    digits = re.compile(rf"[+-]?((?:[0-9]|{re.escape(syntax.group)})*)")
    group = syntax.group

    def notice(text: str, lexical: str) -> str | None:
        if group not in text:
            return None
        match = digits.match(text)
        groups = match[1].split(group) if match is not None else []
        if len(groups) < 2 or (0 < len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        return f"irregular digit grouping: read as {lexical}"

    return notice


def _quiet(message: str) -> None:
    """The format's problems were reported when its parser was made."""


def _scaled(lexical: str, scale: Decimal) -> str:
    """``lexical`` divided by 100 or 1000, exactly (with no exponent: none comes with a
    per cent or per mille sign)."""
    with localcontext() as context:
        context.prec = len(lexical) + 4  # enough digits for the point to move, no rounding
        return _plain(Decimal(lexical).scaleb(-2 if scale == 100 else -3))


def _plain(value: Decimal) -> str:
    """Write a decimal without exponent or trailing fractional zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
