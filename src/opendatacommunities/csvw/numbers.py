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
from decimal import Decimal, localcontext

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
        return _finish(base, parts, group, scale or _SCALES.get(parts.get("pct") or ""))

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
    low, high = INTEGER_RANGES[base]
    if (low is not None and value < low) or (high is not None and value > high):
        raise CellError(f"{lexical} is out of range for {base}")
    return value


def _special(base: str, text: str) -> Parsed:
    if base not in FLOATS:
        raise CellError(f"expected {article(base)}, not {text}")
    return text, float(text)


def _finish(base: str, parts: dict[str, str | None], group: str, scale: Decimal | None) -> Parsed:
    """Turn a matched formatted number into its lexical form and value."""
    digits, fraction, exponent = parts["int"] or "", parts.get("frac"), parts.get("exp")
    if group:
        digits = digits.replace(group, "")
        fraction = fraction.replace(group, "") if fraction is not None else None
    if fraction is not None and base != "decimal" and base not in FLOATS:
        raise CellError(f"expected {article(base)}, not a decimal number")
    if exponent is not None and base not in FLOATS:
        raise CellError(f"expected {article(base)}, not a number with an exponent")
    lexical = (parts.get("sign") or "") + (digits or "0")
    if fraction is not None:
        lexical += "." + fraction
    if exponent is not None:
        lexical += "e" + exponent
    if scale is not None:
        lexical = _scaled(lexical, scale)
    if base in FLOATS:
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
    syntax = _read_format(fmt, _quiet) if fmt is not None else None
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


@dataclass(frozen=True, slots=True)
class _Syntax:
    regex: re.Pattern[str]
    group: str
    pattern: str
    scale: Decimal | None  # fixed by a % or ‰ in the pattern; None lets the cell decide
    min_int: int = 0
    min_frac: int = 0
    max_frac: int | None = None

    def fits(self, parts: dict[str, str | None]) -> bool:
        """Check the digit counts a pattern demands, which the regex leaves open."""
        digits, fraction = parts["int"] or "", parts.get("frac") or ""
        if self.group:
            digits, fraction = digits.replace(self.group, ""), fraction.replace(self.group, "")
        if len(digits) < self.min_int or not (digits or fraction):
            return False
        if parts.get("frac") is None:
            return True
        return len(fraction) >= self.min_frac and (
            self.max_frac is None or len(fraction) <= self.max_frac
        )


def _read_format(fmt: object, warn: Warn) -> _Syntax | None:
    """Read a numeric format (a pattern string or an object); None means 'no format'."""
    if isinstance(fmt, str):
        fmt = {"pattern": fmt}
    if not isinstance(fmt, dict):
        warn(f"format: {fmt!r} is not a string or object; ignoring it")
        return None
    for key in sorted(fmt.keys() - {"pattern", "decimalChar", "groupChar"}):
        warn(f"format: unknown property {key!r} ignored")
    decimal = _separator(fmt, "decimalChar", warn) or "."
    group = _separator(fmt, "groupChar", warn)
    if group == decimal:
        warn(f"format: groupChar {group!r} is the same as decimalChar; ignoring groupChar")
        group = None
    pattern = fmt.get("pattern")
    if pattern is not None:
        compiled = (
            _compile_pattern(pattern, group or ",", decimal) if isinstance(pattern, str) else None
        )
        if compiled is not None:
            return compiled
        warn(f"format: {pattern!r} is not a valid number pattern; ignoring it")
    if not isinstance(fmt.get("groupChar"), str) and not isinstance(fmt.get("decimalChar"), str):
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
        r"(?:E(?P<exp>[+-]?[0-9]+)|(?P<pct>[%‰]))?"
    )


# Markers for the pattern's group and decimal characters, which may be any (multi-char) string.
_G, _D = "\ue000", "\ue001"
_NUMBER_SYMBOLS = frozenset({"#", "0", _G, _D, "E"})


def _compile_pattern(pattern: str, group: str, decimal: str) -> _Syntax | None:
    """Compile a UAX35 number pattern into a strict regex; None if it is invalid."""
    tokens = _tokenise(pattern, group, decimal)
    start = next((i for i, t in enumerate(tokens or ()) if t in ("#", "0", _D)), None)
    if tokens is None or start is None:
        return None
    end = start
    while end < len(tokens) and (
        tokens[end] in _NUMBER_SYMBOLS or (tokens[end] == "+" and tokens[end - 1] == "E")
    ):
        end += 1
    number = "".join(tokens[start:end])
    affixes = tokens[:start] + tokens[end:]
    regex = _number_regex(number, re.escape(group), re.escape(decimal))
    scales = [t for t in affixes if t in _SCALES]
    signs = sum(t in ("+", "-") for t in affixes)
    if regex is None or _NUMBER_SYMBOLS & set(affixes) or len(scales) > 1 or signs > 1:
        return None
    if scales and "E" in number:
        return None  # a per cent of a number with an exponent: not a pattern we read
    prefix = _affix(tokens[:start], sign_here=signs == 0)
    suffix = _affix(tokens[end:], sign_here=False)
    mantissa = number.partition("E")[0]
    integer, _, fraction = mantissa.partition(_D)
    return _Syntax(
        re.compile(prefix + regex + suffix),
        group,
        pattern,
        _SCALES[scales[0]] if scales else None,
        min_int=integer.count("0"),
        min_frac=fraction.count("0"),
        max_frac=len(fraction.replace(_G, "")),
    )


def _tokenise(pattern: str, group: str, decimal: str) -> list[str] | None:
    """Split a pattern into symbols: digits, group, decimal, E, signs, %/‰ and literals."""
    tokens: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(decimal, i):
            tokens.append(_D)
            i += len(decimal)
        elif pattern.startswith(group, i):
            tokens.append(_G)
            i += len(group)
        elif pattern[i] in _UNSUPPORTED or pattern[i] in ".,":
            return None
        else:
            tokens.append(pattern[i])
            i += 1
    return tokens


def _affix(tokens: list[str], *, sign_here: bool) -> str:
    parts = ["(?P<sign>[+-])?" if t in ("+", "-") else re.escape(t) for t in tokens]
    return "".join(parts) + ("(?P<sign>[+-])?" if sign_here else "")


def _number_regex(number: str, group: str, decimal: str) -> str | None:
    """The regex for the digits of a pattern: integer, fraction and exponent parts."""
    mantissa, has_exponent, exponent = number.partition("E")
    integer, point, fraction = mantissa.partition(_D)
    parts = [_integer_regex(integer, group)]
    if point:
        parts.append(_fraction_regex(fraction, group, decimal))
    parts.append(_exponent_regex(exponent) if has_exponent else "")
    if any(p is None for p in parts) or not (integer or fraction):
        return None
    return "".join(p for p in parts if p is not None)


def _integer_regex(integer: str, group: str) -> str | None:
    groups = integer.split(_G)
    if re.fullmatch(r"#*0*", integer.replace(_G, "")) is None or "" in groups[1:]:
        return None
    if len(groups) == 1:
        return "(?P<int>[0-9]*)"
    if groups[0] == "":
        return None
    # UAX35: the primary group is the last one; the one before it, if any, sets the others.
    primary = len(groups[-1])
    secondary = len(groups[-2]) if len(groups) > 2 else primary
    grouped = rf"[0-9]{{1,{secondary}}}(?:{group}[0-9]{{{secondary}}})*{group}[0-9]{{{primary}}}"
    return rf"(?P<int>{grouped}|[0-9]{{0,{primary}}})"


def _fraction_regex(fraction: str, group: str, decimal: str) -> str | None:
    groups = fraction.split(_G)
    if re.fullmatch(r"0*#*", fraction.replace(_G, "")) is None or "" in groups:
        return None
    if len(groups) == 1:
        body = "[0-9]+"
    else:
        size = len(groups[0])
        body = rf"(?:[0-9]{{{size}}}{group})*[0-9]{{1,{size}}}"
    optional = "?" if "0" not in fraction else ""
    return f"(?:{decimal}(?P<frac>{body})){optional}"


def _exponent_regex(exponent: str) -> str | None:
    digits = exponent.removeprefix("+")
    if re.fullmatch(r"#*0+", digits) is None:
        return None
    return f"E(?P<exp>[+-]?[0-9]{{{digits.count('0')},}})"
