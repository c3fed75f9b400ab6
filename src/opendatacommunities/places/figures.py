"""Figures in words: a value with its unit ("1,234 people", "12.5%"), a series named by its
measure and codes ("People, age 90+, 2019"), and a figure as a sentence ("Calton: Total
population, 2020: 1,234 people"). Words come from the cube's labels alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from math import isfinite

from opendatacommunities.store.cube.structure import CubeDimension

_WORDS = re.compile(r"[^\W\d_]")
_INTEGER = re.compile(r"^([+-]?)(\d+)$")
_DECIMAL = re.compile(r"^([+-]?)(\d+)(\.\d+)$")
#: Units written as a sign after the number.
_SIGNS = {"per cent": "%", "percent": "%", "percentage": "%"}


def number_text(text: str) -> str:
    """A value as people read it: thousands separated, the decimals as published.

    >>> number_text("46670"), number_text("-1234.50"), number_text("1.5E3")
    ('46,670', '-1,234.50', '1.5E3')
    """
    if match := _INTEGER.match(text):
        return f"{match[1]}{int(match[2]):,}"
    if match := _DECIMAL.match(text):
        return f"{match[1]}{int(match[2]):,}{match[3]}"
    return text


def plural(noun: str) -> str:
    """The plural of a simple English noun phrase.

    >>> plural("data zone"), plural("local authority"), plural("lower layer super output area")
    ('data zones', 'local authorities', 'lower layer super output areas')
    """
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


@dataclass(frozen=True)
class Value:
    """A figure's value as published (None: it has none, and ``status`` says why), and the
    label of its unit."""

    lexical: str | None
    status: str | None = None
    unit: str | None = None

    @property
    def number(self) -> float | None:
        """The value as a number (None when it has none)."""
        if self.lexical is None:
            return None
        try:
            number = float(self.lexical)
        except ValueError:
            return None
        return number if isfinite(number) else None

    def text(self, label: str = "") -> str:
        """The value with its unit, unless the ``label`` of what it measures names it.

        >>> Value("1234", unit="people").text("Total population")
        '1,234 people'
        >>> Value("12.5", unit="per cent").text("Income deprived")
        '12.5%'
        >>> Value("3", unit="decile").text("SIMD decile")
        '3'
        >>> Value(None, "suppressed").text()
        'no figure (suppressed)'
        """
        if self.lexical is None:
            return f"no figure ({self.status})" if self.status else "no figure"
        shown = number_text(self.lexical)
        unit = (self.unit or "").strip()
        if unit.casefold() in _SIGNS:
            return shown + _SIGNS[unit.casefold()]
        if not unit or unit.casefold() in label.casefold():
            return shown
        return f"{shown} {unit}"


def _in_words(dimension: CubeDimension, label: str) -> str:
    """A code as a phrase: a code of no words ("90+") is named with its dimension."""
    return label if _WORDS.search(label) else f"{dimension.label.lower()} {label}"


def series_label(dimensions: Sequence[CubeDimension], codes: Sequence[str]) -> str:
    """The series' codes in words: its measure, its other codes (but a dimension's only
    code), then its period."""
    parts: dict[str, list[str]] = {"measure": [], "other": [], "period": []}
    for dimension, iri in zip(dimensions, codes, strict=True):
        code = dimension.find(iri)
        if code is None:
            continue
        if dimension.kind in ("measure", "period"):
            parts[dimension.kind].append(code.label)
        elif len(dimension.codes) > 1:
            parts["other"].append(_in_words(dimension, code.label))
    return ", ".join([*parts["measure"], *parts["other"], *parts["period"]])


def in_words(area: str, label: str, value: Value) -> str:
    """The figure as a sentence.

    >>> in_words("Calton", "Total population, 2020", Value("1234", unit="people"))
    'Calton: Total population, 2020: 1,234 people'
    """
    return f"{area}: {label}: {value.text(label)}"


def float_text(number: float | None) -> str:
    """A computed number (a median, a quartile) as people read it: thousands separated, at
    most two decimals, none for a whole number.

    >>> float_text(1234.0), float_text(8211.75), float_text(0.3333333), float_text(None)
    ('1,234', '8,211.75', '0.33', '')
    """
    if number is None:
        return ""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")
