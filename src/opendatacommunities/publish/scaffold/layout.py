"""Which of the cube description's three layouts describes a table's value columns in the
fewest lines: one value column is **tidy**; columns whose headers differ only in one part
(``0``, ``1``, ... ``90+``, or Nomis's ``Tenure: ...; measures: Value``) are one Nomis-header
**pattern**; anything else is **wide**, a ``columns`` entry per value column.

>>> ages = ["All ages", "0", "1", "89", "90+"]
>>> found = find_pattern(ages, ["Code", "Year", *ages])
>>> print(found.regex, found.headers, found.ages)
^(?P<path>\\d+(?:\\+|-\\d+)?)$ ('0', '1', '89', '90+') True
>>> nomis = [f"Tenure: {t}; measures: Value" for t in ("All categories: Tenure", "Owned", "Rented")]
>>> find_pattern(nomis, ["date", *nomis]).regex
'^Tenure: (?P<path>.+); measures: Value$'
>>> find_pattern(["Income", "Crime"], ["Code", "Income", "Crime"]) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The varying part of an age-like header: ``5``, ``90+``, ``0-4``.
_AGES = re.compile(r"^\d+(?:\+|-\d+)?$")
_AGES_REGEX = r"\d+(?:\+|-\d+)?"
#: At least this many columns make a pattern worth writing.
_SMALLEST = 3


@dataclass(frozen=True)
class Pattern:
    """A header pattern: the regular expression, the headers it picks, and their common
    leading text (which names the dimension, as ``Tenure: `` does)."""

    regex: str
    headers: tuple[str, ...]
    prefix: str
    ages: bool = False
    """Whether the varying parts look like ages (``5``, ``90+``, ``0-4``)."""


def _affixes(headers: list[str]) -> tuple[str, str]:
    """The text every header starts and ends with, cut at a separator (never inside a word
    or number: ``10``, ``11`` share no prefix)."""
    prefix = _common_start(headers)
    suffix = _common_start([h[::-1] for h in headers])[::-1]
    prefix = prefix[: _last_separator(prefix) + 1]
    suffix = suffix[_first_separator(suffix) :]
    shortest = min(len(h) for h in headers)
    if len(prefix) + len(suffix) >= shortest:
        return "", ""
    return prefix, suffix


def _common_start(texts: list[str]) -> str:
    """The longest text every one of ``texts`` starts with."""
    first, last = min(texts), max(texts)
    pairs = enumerate(zip(first, last, strict=False))
    length = next((i for i, (a, b) in pairs if a != b), len(first))
    return first[:length]


def _last_separator(text: str) -> int:
    return max((i for i, ch in enumerate(text) if not ch.isalnum()), default=-1)


def _first_separator(text: str) -> int:
    return next((i for i, ch in enumerate(text) if not ch.isalnum()), len(text))


def _regex(headers: list[str]) -> tuple[str, str, bool] | None:
    prefix, suffix = _affixes(headers)
    cores = [h[len(prefix) : len(h) - len(suffix)] for h in headers]
    if all(_AGES.match(core) for core in cores):
        core = _AGES_REGEX
    elif prefix or suffix:
        core = ".+"
    else:
        return None
    return f"^{_escape(prefix)}(?P<path>{core}){_escape(suffix)}$", prefix, core == _AGES_REGEX


def _escape(text: str) -> str:
    # Unlike re.escape, spaces stay as they are: the pattern is for people to read and edit.
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def find_pattern(values: list[str], headers: list[str]) -> Pattern | None:
    """A pattern over the value columns' headers that matches no other column: all of them,
    else the age-like ones (``All ages`` beside ``0`` ... ``90+`` is then left out)."""
    for group in (values, [h for h in values if _AGES.match(h)]):
        if len(group) < _SMALLEST:
            continue
        found = _regex(group)
        if found is None:
            continue
        regex, prefix, ages = found
        matched = [h for h in headers if re.match(regex, h)]
        if matched == group:
            return Pattern(regex, tuple(group), prefix, ages)
    return None
