"""Dates, times and durations: XSD lexical forms and CSVW date formats (tabular §6.4.4, §6.4.5).

Parsers return ``(lexical, key)``. A cell in the XSD lexical form keeps its text; a cell read with a
format is rewritten in the XSD form (``22/03/2015`` -> ``2015-03-22``, ``-05`` -> ``-05:00``).
Keys are ``date``, ``time`` or ``datetime`` objects, timezone-aware when the cell has a timezone;
a ``date`` with a timezone becomes an aware ``datetime`` at midnight. Durations have a
``(months, seconds)`` key.

>>> temporal_parser("date", "d/M/yyyy", print)("22/3/2015")
('2015-03-22', datetime.date(2015, 3, 22))
>>> temporal_parser("time", "HH:mm X", print)("15:02 -05")[0]
'15:02:00-05:00'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from opendatacommunities.errors import CellError

Warn = Callable[[str], None]
Parsed = tuple[str, Hashable]
Parser = Callable[[str], Parsed]

TEMPORAL = frozenset(
    {"date", "time", "dateTime", "dateTimeStamp", "gYear", "gYearMonth", "gMonth"}
    | {"gMonthDay", "gDay"}
)
DURATIONS = frozenset({"duration", "dayTimeDuration", "yearMonthDuration"})

_YEAR = r"(?P<y>-?(?:[1-9][0-9]{3,}|0[0-9]{3}))"
_TIME = r"(?P<H>[0-9]{2}):(?P<M>[0-9]{2}):(?P<S>[0-9]{2})(?:\.(?P<f>[0-9]+))?"
_TZ = r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?"
_NATIVE = {
    "date": rf"{_YEAR}-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}})",
    "time": _TIME,
    "dateTime": rf"{_YEAR}-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}})T{_TIME}",
    "gYear": _YEAR,
    "gYearMonth": rf"{_YEAR}-(?P<m>[0-9]{{2}})",
    "gMonth": r"--(?P<m>[0-9]{2})",
    "gMonthDay": r"--(?P<m>[0-9]{2})-(?P<d>[0-9]{2})",
    "gDay": r"---(?P<d>[0-9]{2})",
}
_NATIVE["dateTimeStamp"] = _NATIVE["dateTime"]
# The fields each type needs; a format must supply exactly these (seconds being optional).
_FIELDS = {
    "date": "ymd",
    "time": "HM",
    "dateTime": "ymdHM",
    "dateTimeStamp": "ymdHM",
    "gYear": "y",
    "gYearMonth": "ym",
    "gMonth": "m",
    "gMonthDay": "md",
    "gDay": "d",
}
# The UAX35 field symbols §6.4.4 lists, with the regex each reads and the field it fills.
_SYMBOLS = {
    "yyyy": ("y", "[0-9]{4}"),
    "MM": ("m", "[0-9]{2}"),
    "M": ("m", "[0-9]{1,2}"),
    "dd": ("d", "[0-9]{2}"),
    "d": ("d", "[0-9]{1,2}"),
    "HH": ("H", "[0-9]{2}"),
    "mm": ("M", "[0-9]{2}"),
    "ss": ("S", "[0-9]{2}"),
}
_ZONES = {
    "X": "Z|[+-][0-9]{2}(?:[0-9]{2})?",
    "XX": "Z|[+-][0-9]{4}",
    "XXX": "Z|[+-][0-9]{2}:[0-9]{2}",
    "x": "[+-][0-9]{2}(?:[0-9]{2})?",
    "xx": "[+-][0-9]{4}",
    "xxx": "[+-][0-9]{2}:[0-9]{2}",
}
_LITERALS = frozenset("-/.: T")
_TOKEN = re.compile(r"([A-Za-z])\1*|.")
_ZONE_CACHE: dict[int, timezone] = {}
_REFERENCE_YEAR = 1972  # XSD's reference leap year for the g* types


def temporal_parser(base: str, fmt: object, warn: Warn) -> Parser:
    """Build the parser for date/time ``base`` with an optional UAX35 date pattern ``fmt``.

    An unrecognised pattern is reported through ``warn`` and ignored (§6.4.4).
    """
    regex = _compile_format(base, fmt, warn) if fmt is not None else None
    if regex is None:
        native = re.compile(_NATIVE[base] + _TZ).fullmatch
        expected = f"expected an XSD {base}"

        def parse_native(text: str) -> Parsed:
            match = native(text)
            if match is None:
                raise CellError(expected)
            return text, _key(base, match.groupdict(), expected)

        return parse_native
    formatted, expected = regex.fullmatch, f"expected a {base} matching {fmt!r}"

    def parse_formatted(text: str) -> Parsed:
        match = formatted(text)
        if match is None:
            raise CellError(expected)
        fields = match.groupdict()
        fields["tz"] = _zone_text(fields.get("tz"))
        return _lexical(base, fields), _key(base, fields, expected)

    return parse_formatted


def _compile_format(base: str, fmt: object, warn: Warn) -> re.Pattern[str] | None:
    regex = _format_regex(base, fmt) if isinstance(fmt, str) else None
    if regex is None:
        warn(f"format: {fmt!r} is not a supported {base} format; ignoring it")
    return regex


def _format_regex(base: str, fmt: str) -> re.Pattern[str] | None:
    """Translate a date pattern into a regex with named fields; None if unsupported."""
    parts: list[str] = []
    seen = ""
    tokens = [m.group() for m in _TOKEN.finditer(fmt)]
    for i, token in enumerate(tokens):
        if token in _SYMBOLS:
            field, regex = _SYMBOLS[token]
            parts.append(f"(?P<{field}>{regex})")
        elif token[0] == "S" and tokens[i - 2 : i] == ["ss", "."]:
            field = "f"
            parts.append(f"(?P<f>[0-9]{{1,{len(token)}}})")
        elif token in _ZONES and i == len(tokens) - 1:
            field = "z"
            parts.append(f"(?P<tz>{_ZONES[token]})")
        elif token in _LITERALS:
            parts.append(re.escape(token))
            continue
        else:
            return None
        if field in seen:
            return None
        seen += field
    required = set(_FIELDS[base])
    optional = set("Sfz") if "H" in required else {"z"}
    if set(seen) - optional != required or ("f" in seen and "S" not in seen):
        return None
    return re.compile("".join(parts))


def _zone_text(zone: str | None) -> str | None:
    """Write a parsed timezone the XSD way: ``Z`` or ``±hh:mm``."""
    if zone is None or zone == "Z":
        return zone
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"


def _lexical(base: str, f: dict[str, str | None]) -> str:
    """Write formatted fields in the XSD lexical form of ``base``."""
    month, day = f"{int(f.get('m') or 0):02d}", f"{int(f.get('d') or 0):02d}"
    if base in ("gMonth", "gMonthDay", "gDay"):
        text = {"gMonth": f"--{month}", "gMonthDay": f"--{month}-{day}", "gDay": f"---{day}"}[base]
    elif base == "gYear":
        text = f"{f.get('y')}"
    elif base == "gYearMonth":
        text = f"{f.get('y')}-{month}"
    else:
        text = f"{f.get('y')}-{month}-{day}"
    if "H" in _FIELDS[base]:
        clock = f"{f.get('H')}:{f.get('M')}:{f.get('S') or '00'}"
        clock += f".{f['f']}" if f.get("f") else ""
        text = clock if base == "time" else f"{text}T{clock}"
    return text + (f.get("tz") or "")


def _key(base: str, f: dict[str, str | None], expected: str) -> Hashable:
    """Build the Python value of a parsed date/time, checking the fields are in range."""
    zone = _zone(f.get("tz"), expected)
    if base == "dateTimeStamp" and zone is None:
        raise CellError(f"{expected} (with a timezone)")
    year = int(f.get("y") or _REFERENCE_YEAR)
    month, day = int(f.get("m") or (12 if base == "gDay" else 1)), int(f.get("d") or 1)
    try:
        day_value = date(year, month, day)
        if "H" not in _FIELDS[base]:
            return day_value if zone is None else datetime(year, month, day, tzinfo=zone)
        clock, overflow = _clock(f, zone)
    except ValueError as error:
        raise CellError(f"{expected}: {error}") from None
    except OverflowError:  # a year past a C integer: said as Python says year 12020
        raise CellError(f"{expected}: year {year} is out of range") from None
    if base == "time":
        return clock
    return datetime.combine(day_value + overflow, clock)


def _clock(f: dict[str, str | None], zone: timezone | None) -> tuple[time, timedelta]:
    hour, minute, second = int(f.get("H") or 0), int(f.get("M") or 0), int(f.get("S") or 0)
    micro = int((f.get("f") or "0")[:6].ljust(6, "0"))
    if hour == 24 and minute == second == micro == 0:
        # XSD allows 24:00:00 as the first instant of the next day.
        return time(0, tzinfo=zone), timedelta(days=1)
    return time(hour, minute, second, micro, tzinfo=zone), timedelta()


def _zone(text: str | None, expected: str) -> timezone | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    hours, minutes = int(text[1:3]), int(text[4:6])
    offset = (hours * 60 + minutes) * (-1 if text[0] == "-" else 1)
    if minutes > 59 or abs(offset) > 14 * 60:
        raise CellError(f"{expected}: timezone {text} out of range")
    zone = _ZONE_CACHE.get(offset)
    if zone is None:
        zone = _ZONE_CACHE[offset] = timezone(timedelta(minutes=offset))
    return zone


def order(key: object) -> datetime:
    """Place a date/time key on one timeline for min/max checks.

    Values without a timezone are compared as if in UTC: XSD leaves such comparisons
    indeterminate, and UTC is the reading that agrees with values written with ``Z``.
    """
    if isinstance(key, datetime):
        return key if key.tzinfo is not None else key.replace(tzinfo=UTC)
    if isinstance(key, date):
        return datetime(key.year, key.month, key.day, tzinfo=UTC)
    if isinstance(key, time):
        moment = datetime.combine(date(_REFERENCE_YEAR, 12, 31), key)
        return moment if key.tzinfo is not None else moment.replace(tzinfo=UTC)
    raise TypeError(f"not a date/time value: {key!r}")


_DURATION = {
    "duration": r"-?P(?=[0-9]|T[0-9])(?:(?P<Y>[0-9]+)Y)?(?:(?P<Mo>[0-9]+)M)?(?:(?P<D>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<H>[0-9]+)H)?(?:(?P<Mi>[0-9]+)M)?(?:(?P<S>[0-9]+(?:\.[0-9]+)?)S)?)?",
    "dayTimeDuration": r"-?P(?=[0-9]|T[0-9])(?:(?P<D>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<H>[0-9]+)H)?(?:(?P<Mi>[0-9]+)M)?(?:(?P<S>[0-9]+(?:\.[0-9]+)?)S)?)?",
    "yearMonthDuration": r"-?P(?=[0-9])(?:(?P<Y>[0-9]+)Y)?(?:(?P<Mo>[0-9]+)M)?",
}
# Average Gregorian month, used only to order durations that mix months and seconds.
_MONTH_SECONDS = Decimal(2629746)


def duration_parser(base: str) -> Parser:
    """Build the parser for the XSD lexical form of duration type ``base``.

    >>> duration_parser("duration")("-P1Y2MT3.5S")
    ('-P1Y2MT3.5S', (-14, Decimal('-3.5')))
    """
    match = re.compile(_DURATION[base]).fullmatch
    expected = f"expected an XSD {base}"

    def parse(text: str) -> Parsed:
        found = match(text)
        if found is None:
            raise CellError(expected)
        g = found.groupdict()
        months = int(g.get("Y") or 0) * 12 + int(g.get("Mo") or 0)
        seconds = Decimal(g.get("S") or 0) + 60 * int(g.get("Mi") or 0)
        seconds += 3600 * int(g.get("H") or 0) + 86400 * int(g.get("D") or 0)
        sign = -1 if text[0] == "-" else 1
        return text, (sign * months, sign * seconds)

    return parse


def duration_order(key: object) -> Decimal:
    """Place a ``(months, seconds)`` duration key on one scale for min/max checks."""
    if not isinstance(key, tuple):
        raise TypeError(f"not a duration value: {key!r}")
    months, seconds = key
    return Decimal(months) * _MONTH_SECONDS + Decimal(seconds)
