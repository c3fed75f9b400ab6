"""Numeric formats (tabular data model §6.4.2): a format's separators and UAX35 pattern,
compiled once into a strict regular expression over the cell's text.

>>> syntax = read_format({"groupChar": ","}, print)
>>> syntax is not None and syntax.regex.fullmatch("1,234.5") is not None
True
>>> read_format("#,##0.00", print).pattern
'#,##0.00'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

Warn = Callable[[str], None]

SCALES = {"%": Decimal(100), "‰": Decimal(1000)}
"""What a per cent or per mille sign divides a number by."""
# Pattern characters of UAX35 this implementation does not interpret: §6.4.2 says to warn.
_UNSUPPORTED = frozenset("123456789@*;'¤")


@dataclass(frozen=True, slots=True)
class Syntax:
    """A compiled numeric format: its regex (groups ``sign``, ``int``, ``frac``, ``exp``,
    ``pct``), group character, pattern text ("" for separators alone), fixed scale and the
    digit counts the pattern demands."""

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


def read_format(fmt: object, warn: Warn) -> Syntax | None:
    """Read a numeric format (a pattern string or an object); None means 'no format'.

    Invalid parts are reported through ``warn`` and ignored, as §6.4.2 requires.
    """
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
    return Syntax(_free_form(group, decimal), group or "", "", None)


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


def _compile_pattern(pattern: str, group: str, decimal: str) -> Syntax | None:
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
    scales = [t for t in affixes if t in SCALES]
    signs = sum(t in ("+", "-") for t in affixes)
    if regex is None or _NUMBER_SYMBOLS & set(affixes) or len(scales) > 1 or signs > 1:
        return None
    if scales and "E" in number:
        return None  # a per cent of a number with an exponent: not a pattern we read
    prefix = _affix(tokens[:start], sign_here=signs == 0)
    suffix = _affix(tokens[end:], sign_here=False)
    mantissa = number.partition("E")[0]
    integer, _, fraction = mantissa.partition(_D)
    return Syntax(
        re.compile(prefix + regex + suffix),
        group,
        pattern,
        SCALES[scales[0]] if scales else None,
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
