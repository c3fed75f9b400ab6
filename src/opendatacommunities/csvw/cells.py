"""Parsing a cell's string into its value (Model for Tabular Data §6.4).

Each column gets one compiled parser; it applies whitespace normalisation, ``default``,
``null``, ``separator`` and ``required`` in the order the spec gives, then the datatype.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from opendatacommunities.errors import CellError
from opendatacommunities.vocab import XSD_STRING

from .datatypes import Value
from .model import Column

CellValue = Value | list[Value] | None
Parse = Callable[[str], tuple[CellValue, list[str], list[str]]]
"""``raw -> (value, errors, warnings)``."""

_SPACES = re.compile(" {2,}")
_CONTROL = str.maketrans("\r\n\t", "   ")
_UNTIDY = re.compile(r"[\r\n\t]|^ | $|  ")


def string_value(text: str) -> Value:
    """The value of a cell that could not be parsed: its string, as ``xsd:string``."""
    return Value(lexical=text, datatype=XSD_STRING, key=text)


def compile_cell(column: Column) -> Parse:
    """Build the parser for a column's cells: ``raw -> (value, errors, warnings)``."""
    datatype = column.datatype
    whitespace = datatype.whitespace
    default, nulls, separator, required = (
        column.default,
        frozenset(column.null),
        column.separator,
        column.required,
    )
    strip_items = datatype.base not in ("string", "anyAtomicType")
    parse, notice = datatype.parse, datatype.notice

    def one(text: str, errors: list[str], notes: list[str]) -> Value | None:
        if text == "":
            text = default
        if text in nulls:
            if required and separator is None:
                errors.append("a value is required")
            return None
        try:
            value = parse(text)
        except CellError as exc:
            errors.append(exc.message)
            return string_value(text)
        if notice is not None and (note := notice(text, value.lexical)) is not None:
            notes.append(note)
        return value

    def cell(raw: str) -> tuple[CellValue, list[str], list[str]]:
        errors: list[str] = []
        notes: list[str] = []
        text = _normalize(raw, whitespace)
        if separator is None:
            return one(text, errors, notes), errors, notes
        if text == "":
            text = default
        if text == "":
            if required:
                errors.append("a value is required")
            return [], errors, notes
        if text in nulls:
            return None, errors, notes
        items = text.split(separator)
        values = [one(item.strip() if strip_items else item, errors, notes) for item in items]
        return [v for v in values if v is not None], errors, notes

    return cell


def _normalize(raw: str, whitespace: str) -> str:
    if whitespace == "preserve" or not _UNTIDY.search(raw):
        return raw
    text = raw.translate(_CONTROL)
    if whitespace == "collapse":
        return _SPACES.sub(" ", text.strip(" "))
    return text


def template_value(value: CellValue) -> object:
    """A value as a URI template variable: its canonical form, a list of them, or None."""
    if value is None:
        return None
    if isinstance(value, list):
        return [v.lexical for v in value]
    return value.lexical
