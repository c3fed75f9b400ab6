"""Lexical spaces of the built-in datatypes that are neither numbers nor dates and times:
booleans (with their formats), strings and names, binary, JSON (tabular §6.4.3, §6.4.6).

Each parser takes a cell's normalised string and returns its lexical form for RDF and its
value for comparisons, or raises :class:`CellError` saying what was expected.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Hashable

from opendatacommunities.errors import CellError

from . import datetimes, numbers

Warn = Callable[[str], None]
Parser = Callable[[str], tuple[str, Hashable]]


def boolean_parser(fmt: object, warn: Warn) -> Parser:
    """Booleans: XSD forms, or the ``true|false`` pair a format names (tabular §6.4.3)."""
    words = {"true": True, "1": True, "false": False, "0": False}
    expected = "expected a boolean"
    if fmt is not None:
        pair = fmt.split("|") if isinstance(fmt, str) else []
        if len(pair) == 2 and all(pair) and pair[0] != pair[1]:
            words, expected = {pair[0]: True, pair[1]: False}, f"expected {fmt!r}"
        else:
            warn(f"format: {fmt!r} is not of the form 'true|false'; ignoring it")

    def parse(text: str) -> tuple[str, Hashable]:
        value = words.get(text)
        if value is None:
            raise CellError(expected)
        return ("true" if value else "false"), value

    return parse


def _matching(pattern: str, name: str) -> Parser:
    match = re.compile(pattern).fullmatch
    expected = f"expected {numbers.article(name)}"

    def parse(text: str) -> tuple[str, Hashable]:
        if match(text) is None:
            raise CellError(expected)
        return text, text

    return parse


def text_value(text: str) -> tuple[str, Hashable]:
    """A string type's value: the text itself."""
    return text, text


def _json(text: str) -> tuple[str, Hashable]:
    try:
        json.loads(text)
    except ValueError:
        raise CellError("expected JSON") from None
    return text, text


_B64 = re.compile(
    r"(?:[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?)*"
    r"(?:[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?[A-Za-z0-9+/]"
    r"|[A-Za-z0-9+/] ?[A-Za-z0-9+/] ?[AEIMQUYcgkosw048] ?="
    r"|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?"
)


def _base64(text: str) -> tuple[str, Hashable]:
    """XSD base64Binary; the lexical form drops the optional spaces (canonical form)."""
    if _B64.fullmatch(text) is None:
        raise CellError("expected base64Binary")
    compact = text.replace(" ", "")
    return compact, base64.b64decode(compact)


def _hex(text: str) -> tuple[str, Hashable]:
    """XSD hexBinary; the canonical lexical form is upper case."""
    try:
        data = binascii.unhexlify(text)
    except (binascii.Error, ValueError):
        raise CellError("expected hexBinary") from None
    return text.upper(), data


_START = (
    r"A-Z_a-z\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    r"\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHAR = _START + r"\-.0-9\xb7\u0300-\u036f\u203f\u2040"
_NCNAME = f"[{_START}][{_CHAR}]*"
CORE_PARSERS: dict[str, Parser] = {
    **dict.fromkeys(("string", "normalizedString", "token", "xml", "html"), text_value),
    "anyAtomicType": text_value,
    "anyURI": text_value,
    "json": _json,
    "base64Binary": _base64,
    "hexBinary": _hex,
    "language": _matching(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*", "language tag"),
    "Name": _matching(f"[:{_START}][:{_CHAR}]*", "XML Name"),
    "NMTOKEN": _matching(f"[:{_CHAR}]+", "NMTOKEN"),
    "QName": _matching(f"{_NCNAME}(?::{_NCNAME})?", "QName"),
    **{name: datetimes.duration_parser(name) for name in datetimes.DURATIONS},
}
