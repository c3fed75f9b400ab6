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
from dataclasses import dataclass
from decimal import Decimal

from opendatacommunities.errors import CellError

Warn = Callable[[str], None]
Parsed = tuple[str, Hashable]
Parser = Callable[[str], Parsed]

INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
FLOATS = frozenset({"double", "float"})
NUMERIC = frozenset(INTEGER_RANGES) | FLOATS | {"decimal"}

_XSD_INTEGER = re.compile(r"[+-]?[0-9]+")
_XSD_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_XSD_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_SPECIALS = frozenset({"NaN", "INF", "-INF"})
_SCALES = {"%": Decimal(100), "‰": Decimal(1000)}
# Pattern characters of UAX35 this implementation does not interpret: §6.4.2 says to warn.
_UNSUPPORTED = frozenset("123456789@*;'¤")


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
    syntax = _read_format(fmt, warn) if fmt is not None else None
    if syntax is None:
        return _native(base)
    expected = article(base) + (f" matching {syntax.pattern!r}" if syntax.pattern else "")
    regex, group, scale = syntax.regex, syntax.group, syntax.scale

    def parse(text: str) -> Parsed:
        if text in _SPECIALS:
            return _special(base, text)
        match = regex.fullmatch(text)
        if match is None or (group and group + group in text):
            raise CellError(f"expected {expected}")
        return _finish(base, match, group, scale or _SCALES.get(match["pct"] or ""))

    return parse


def _native(base: str) -> Parser:
    """Parse the XSD lexical space of ``base``: the default when no format is given."""
    if base in FLOATS:
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
    low, high = INTEGER_RANGES[base]
    expected = f"expected {article(base)}"
    if low is None and high is None:

        def parse_integer(text: str) -> Parsed:
            if match(text) is None:
                raise CellError(expected)
            return text, int(text)

        return parse_integer

    def parse_bounded(text: str) -> Parsed:
        if match(text) is None:
            raise CellError(expected)
        return text, _in_range(base, int(text))

    return parse_bounded


def _in_range(base: str, value: int) -> int:
    low, high = INTEGER_RANGES[base]
    if (low is not None and value < low) or (high is not None and value > high):
        raise CellError(f"{value} is out of range for {base}")
    return value


def _special(base: str, text: str) -> Parsed:
    if base not in FLOATS:
        raise CellError(f"expected {article(base)}, not {text}")
    return text, float(text)


def _finish(base: str, match: re.Match[str], group: str, scale: Decimal | None) -> Parsed:
    """Turn a matched formatted number into its lexical form and value."""
    digits, fraction, exponent = match["int"], match["frac"], match["exp"]
    if group:
        digits = digits.replace(group, "")
        fraction = fraction.replace(group, "") if fraction is not None else None
    if fraction is not None and base != "decimal" and base not in FLOATS:
        raise CellError(f"expected {article(base)}, not a decimal number")
    if exponent is not None and base not in FLOATS:
        raise CellError(f"expected {article(base)} without an exponent")
    lexical = (match["sign"] or "") + (digits or "0")
    if fraction is not None:
        lexical += "." + fraction
    if exponent is not None:
        lexical += "e" + exponent
    if scale is not None:
        lexical = _plain(Decimal(lexical) / scale)
    if base in FLOATS:
        return lexical, float(lexical)
    if base == "decimal":
        return lexical, Decimal(lexical)
    value = Decimal(lexical)
    if value != value.to_integral_value():
        raise CellError(f"expected {article(base)}, not a decimal number")
    return str(int(value)) if scale is not None else lexical, _in_range(base, int(value))


def _plain(value: Decimal) -> str:
    """Write a decimal without exponent or trailing fractional zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True, slots=True)
class _Syntax:
    regex: re.Pattern[str]
    group: str
    pattern: str
    scale: Decimal | None  # fixed by a % or ‰ in the pattern; None lets the cell decide


def _read_format(fmt: object, warn: Warn) -> _Syntax | None:
    """Read a numeric format (a pattern string or an object); None means 'no format'."""
    if isinstance(fmt, str):
        fmt = {"pattern": fmt}
    if not isinstance(fmt, dict):
        warn(f"format: {fmt!r} is not a string or object; ignoring it")
        return None
    for key in fmt.keys() - {"pattern", "decimalChar", "groupChar"}:
        warn(f"format: unknown property {key!r} ignored")
    decimal = _separator(fmt, "decimalChar", warn) or "."
    group = _separator(fmt, "groupChar", warn)
    if group == decimal:
        warn(f"format: groupChar {group!r} is the same as decimalChar; ignoring groupChar")
        group = None
    pattern = fmt.get("pattern")
    if pattern is not None:
        if isinstance(pattern, str):
            compiled = _compile_pattern(pattern, group or ",", decimal)
            if compiled is not None:
                return compiled
        warn(f"format: {pattern!r} is not a valid number pattern; ignoring it")
    if "groupChar" not in fmt and "decimalChar" not in fmt:
        return None
    return _Syntax(_free_form(group, decimal), group or "", "", None)


def _separator(fmt: dict[str, object], key: str, warn: Warn) -> str | None:
    value = fmt.get(key)
    if value is None or (isinstance(value, str) and value):
        return value
    warn(f"format: {key} {value!r} is not a string; ignoring it")
    return None


def _free_form(group: str | None, decimal: str) -> re.Pattern[str]:
    """The numbers §6.4.2 lists for a format with separators but no pattern."""
    digits = f"[0-9](?:[0-9]|{re.escape(group)})*" if group else "[0-9]+"
    return re.compile(
        rf"(?P<sign>[+-])?(?P<int>{digits})(?:{re.escape(decimal)}(?P<frac>[0-9]+))?"
        r"(?:[Ee](?P<exp>[+-]?[0-9]+))?(?P<pct>[%‰])?"
    )


def _compile_pattern(pattern: str, group: str, decimal: str) -> _Syntax | None:
    """Compile a UAX35 number pattern into a strict regex; None if it is invalid."""
    tokens = _tokenise(pattern, group, decimal)
    if tokens is None:
        return None
    start = next((i for i, t in enumerate(tokens) if t in ("#", "0", "D")), None)
    if start is None:
        return None
    end = start
    while end < len(tokens) and tokens[end] in ("#", "0", "G", "D", "E", "+"):
        if tokens[end] == "+" and tokens[end - 1] != "E":
            break
        end += 1
    number = _number_regex(tokens[start:end], re.escape(group), re.escape(decimal))
    affixes = tokens[:start] + tokens[end:]
    if number is None or any(t in ("#", "0", "G", "D", "E") for t in affixes):
        return None
    scales = [t for t in affixes if t in _SCALES]
    if len(scales) > 1 or sum(t in "+-" for t in affixes) > 1:
        return None
    prefix = _affix(tokens[:start], sign_here=not any(t in "+-" for t in affixes))
    suffix = _affix(tokens[end:], sign_here=False)
    regex = re.compile(prefix + number + suffix + "(?P<pct>)")
    return _Syntax(regex, group, pattern, _SCALES[scales[0]] if scales else None)


def _tokenise(pattern: str, group: str, decimal: str) -> list[str] | None:
    """Split a pattern into symbols: digits, G(roup), D(ecimal), E, signs, %/‰ and literals."""
    tokens: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(decimal, i):
            tokens.append("D")
            i += len(decimal)
        elif pattern.startswith(group, i):
            tokens.append("G")
            i += len(group)
        elif pattern[i] in _UNSUPPORTED or pattern[i] in ".,":
            return None
        else:
            tokens.append(pattern[i])
            i += 1
    return tokens


def _affix(tokens: list[str], *, sign_here: bool) -> str:
    parts = ["(?P<sign>[+-])?" if t in "+-" else re.escape(t) for t in tokens]
    return "".join(parts) + ("(?P<sign>[+-])?" if sign_here else "")


def _number_regex(tokens: list[str], group: str, decimal: str) -> str | None:
    """The regex for the digits of a pattern: integer, fraction and exponent parts."""
    text = "".join(tokens)
    mantissa, _, exponent = text.partition("E")
    integer, point, fraction = mantissa.partition("D")
    parts = [_integer_regex(integer, group)]
    if point:
        parts.append(_fraction_regex(fraction, group, decimal))
    if "E" in text:
        parts.append(_exponent_regex(exponent))
    if None in parts or not (integer or fraction):
        return None
    return "".join(p for p in parts if p is not None)


def _integer_regex(integer: str, group: str) -> str | None:
    groups = integer.split("G")
    if re.fullmatch(r"#*0*", integer.replace("G", "")) is None or "" in groups[1:]:
        return None
    least = integer.count("0")
    if len(groups) == 1:
        return f"(?P<int>[0-9]{{{least},}})"
    primary = len(groups[-1])
    secondary = len(groups[-2]) if len(groups) > 2 else primary
    grouped = rf"[0-9]{{1,{secondary}}}(?:{group}[0-9]{{{secondary}}})*{group}[0-9]{{{primary}}}"
    check = rf"(?=(?:[0-9]|{group}){{{least + (least - 1) // primary},}})" if least > 1 else ""
    return rf"{check}(?P<int>{grouped}|[0-9]{{{min(least, 1) if least else 0},{primary}}})"


def _fraction_regex(fraction: str, group: str, decimal: str) -> str | None:
    groups = fraction.split("G")
    if re.fullmatch(r"0*#*", fraction.replace("G", "")) is None or "" in groups:
        return None
    least, most = fraction.count("0"), len(fraction.replace("G", ""))
    if len(groups) == 1:
        body = f"[0-9]{{{max(least, 1)},{most}}}"
    else:
        size = len(groups[0])
        body = rf"(?:[0-9]{{{size}}}{group})*[0-9]{{1,{size}}}"
        body = rf"(?=(?:[0-9]{group}?){{{max(least, 1)},{most}}}(?![0-9]))" + body
    optional = "?" if least == 0 else ""
    return f"(?:{decimal}(?P<frac>{body})){optional}"


def _exponent_regex(exponent: str) -> str | None:
    digits = exponent.removeprefix("+")
    if re.fullmatch(r"#*0+", digits) is None:
        return None
    return f"E(?P<exp>[+-]?[0-9]{{{digits.count('0')},}})"
