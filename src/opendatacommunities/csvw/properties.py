"""The table of metadata properties: which description objects may hold them, and their kinds.

Kinds follow Metadata Vocabulary §5.1: array, link, URI template, column reference, object,
natural language and atomic properties. Atomic values are checked here; a problem is reported
as a short phrase ("must be a boolean") for the caller to turn into a warning.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Any

from . import double_encoding  # noqa: F401  (registers the repairing codec)
from .language import is_language_tag

INHERITED = frozenset(
    {
        "aboutUrl", "datatype", "default", "lang", "null", "ordered", "propertyUrl",
        "required", "separator", "textDirection", "valueUrl",
    }
)  # fmt: skip

_OWN: dict[str, frozenset[str]] = {
    "TableGroup": frozenset(
        {"tables", "dialect", "tableDirection", "tableSchema", "transformations"}
    ),
    "Table": frozenset(
        {"url", "dialect", "suppressOutput", "tableDirection", "tableSchema", "transformations"}
    ),
    "Schema": frozenset({"columns", "foreignKeys", "primaryKey", "rowTitles"}),
    "Column": frozenset({"name", "suppressOutput", "titles", "virtual"}),
    "Dialect": frozenset(
        {
            "commentPrefix",
            "delimiter",
            "doubleQuote",
            "encoding",
            "header",
            "headerRowCount",
            "lineTerminators",
            "quoteChar",
            "skipBlankRows",
            "skipColumns",
            "skipInitialSpace",
            "skipRows",
            "trim",
        }
    ),
    "Template": frozenset({"url", "scriptFormat", "targetFormat", "source", "titles"}),
    "ForeignKey": frozenset({"columnReference", "reference"}),
    "Reference": frozenset({"resource", "schemaReference", "columnReference"}),
}

#: Kinds whose objects may hold only the properties listed (no common properties).
CLOSED_KINDS = frozenset({"ForeignKey", "Reference"})

TYPE_NAMES = {
    "TableGroup": "TableGroup",
    "Table": "Table",
    "Schema": "Schema",
    "Column": "Column",
    "Dialect": "Dialect",
    "Template": "Template",
}

KINDS = {
    "tables": "array",
    "columns": "array",
    "foreignKeys": "array",
    "transformations": "array",
    "url": "link",
    "resource": "link",
    "schemaReference": "link",
    "scriptFormat": "link",
    "targetFormat": "link",
    "aboutUrl": "template",
    "propertyUrl": "template",
    "valueUrl": "template",
    "primaryKey": "columns",
    "rowTitles": "columns",
    "columnReference": "columns",
    "dialect": "object",
    "tableSchema": "object",
    "reference": "object",
    "titles": "language",
}

ITEM_KINDS = {
    "tables": "Table",
    "columns": "Column",
    "foreignKeys": "ForeignKey",
    "transformations": "Template",
    "dialect": "Dialect",
    "tableSchema": "Schema",
    "reference": "Reference",
}


def allowed(kind: str) -> frozenset[str]:
    """Names of the non-common properties a description object of ``kind`` may hold."""
    own = _OWN.get(kind, frozenset())
    return own | INHERITED if kind in ("TableGroup", "Table", "Schema", "Column") else own


def _boolean(value: Any) -> tuple[str, Any]:
    return ("", value) if isinstance(value, bool) else ("must be true or false", None)


def _count(value: Any) -> tuple[str, Any]:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return "", value
    return "must be a non-negative integer", None


def _string(value: Any) -> tuple[str, Any]:
    return ("", value) if isinstance(value, str) else ("must be a string", None)


def _one_of(*choices: str) -> Callable[[Any], tuple[str, Any]]:
    def check(value: Any) -> tuple[str, Any]:
        return ("", value) if value in choices else (f"must be one of {', '.join(choices)}", None)

    return check


def _lang(value: Any) -> tuple[str, Any]:
    ok = isinstance(value, str) and is_language_tag(value)
    return ("", value) if ok else ("must be a language tag", None)


def _null(value: Any) -> tuple[str, Any]:
    if isinstance(value, str):
        return "", [value]
    if isinstance(value, list):
        strings = [v for v in value if isinstance(v, str)]
        if len(strings) == len(value):
            return "", strings
        return "must hold only strings", None
    return "must be a string or an array of strings", None


def _separator(value: Any) -> tuple[str, Any]:
    return ("", value) if value is None or isinstance(value, str) else ("must be a string", None)


def _encoding(value: Any) -> tuple[str, Any]:
    try:
        codecs.lookup(value)
    except (LookupError, TypeError):
        return "must be an encoding name", None
    return "", value


def _terminators(value: Any) -> tuple[str, Any]:
    if isinstance(value, str):
        return "", [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "", value
    return "must be a string or an array of strings", None


def _trim(value: Any) -> tuple[str, Any]:
    if isinstance(value, bool):
        return "", value
    if value in ("true", "false"):
        return "", value == "true"
    if value in ("start", "end"):
        return "", value
    return "must be true, false, start or end", None


def _quote_char(value: Any) -> tuple[str, Any]:
    ok = value is None or (isinstance(value, str) and len(value) == 1)
    return ("", value) if ok else ("must be a single character or null", None)


def _name(value: Any) -> tuple[str, Any]:
    if not isinstance(value, str):
        return "must be a string", None
    if value.startswith("_") or not _VARNAME.fullmatch(value):
        return "must be a URI template variable name not starting with _", None
    return "", value


_VARNAME = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*")

_ATOMIC: dict[str, Callable[[Any], tuple[str, Any]]] = {
    "suppressOutput": _boolean,
    "virtual": _boolean,
    "ordered": _boolean,
    "required": _boolean,
    "doubleQuote": _boolean,
    "header": _boolean,
    "skipBlankRows": _boolean,
    "skipInitialSpace": _boolean,
    "headerRowCount": _count,
    "skipColumns": _count,
    "skipRows": _count,
    "default": _string,
    "commentPrefix": _string,
    "delimiter": _string,
    "name": _name,
    "lang": _lang,
    "null": _null,
    "separator": _separator,
    "encoding": _encoding,
    "lineTerminators": _terminators,
    "trim": _trim,
    "quoteChar": _quote_char,
    "tableDirection": _one_of("rtl", "ltr", "auto"),
    "textDirection": _one_of("rtl", "ltr", "auto", "inherit"),
    "source": _one_of("json", "rdf"),
}


def check_atomic(key: str, value: Any) -> tuple[str, Any]:
    """Check an atomic property's value: ``("", normalised)`` or ``(problem, None)``.

    >>> check_atomic("headerRowCount", -1)
    ('must be a non-negative integer', None)
    >>> check_atomic("null", "*")
    ('', ['*'])
    """
    check = _ATOMIC.get(key, _string)
    return check(value)
