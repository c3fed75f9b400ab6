"""Notes and common properties: the JSON-LD dialect of metadata (Metadata §5.8, §6; csv2rdf §6).

Common properties (``dc:title``, ``schema:publisher``...) hold restricted JSON-LD. They are
checked when metadata is read, normalised (strings take the default language, ``@id`` values
become absolute URLs) and, in standard mode, converted to triples on the table or group.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opendatacommunities.errors import MetadataError
from opendatacommunities.vocab import CSVW, RDF, XSD

from .language import is_language_tag
from .prefixes import expand_term
from .terms import BlankNodes, Triple, iri, literal
from .urls import resolve

_KEYWORDS = frozenset({"@id", "@type", "@value", "@language"})
_DESCRIPTION_TYPES = frozenset(
    {"TableGroup", "Table", "Schema", "Column", "Dialect", "Template", "Datatype"}
)
_BUILT_IN_TYPES = frozenset(
    {
        "anyAtomicType", "anyURI", "base64Binary", "boolean", "date", "dateTime", "dateTimeStamp",
        "decimal", "integer", "long", "int", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "nonPositiveInteger", "negativeInteger", "double", "duration", "dayTimeDuration",
        "yearMonthDuration", "float", "gDay", "gMonth", "gMonthDay", "gYear", "gYearMonth",
        "hexBinary", "QName", "string", "normalizedString", "token", "language", "Name",
        "NMTOKEN", "xml", "html", "json", "time", "number", "binary", "datetime", "any",
    }
)  # fmt: skip
_SPECIAL_TYPES = {"xml": RDF + "XMLLiteral", "html": RDF + "HTML", "json": CSVW + "JSON"}


def check_common_value(name: str, value: object) -> None:
    """Enforce the restrictions of §5.8.2 on a common property's value.

    :raises MetadataError: naming the property and what is wrong.
    """
    if isinstance(value, list):
        for item in value:
            check_common_value(name, item)
    elif isinstance(value, dict):
        _check_object(name, value)


def _check_object(name: str, value: dict[str, Any]) -> None:
    for key in value:
        if key.startswith("@") and key not in _KEYWORDS:
            raise MetadataError(f"{name}: {key!r} is not allowed in a common property")
    if "@value" in value:
        _check_value_object(name, value)
        return
    if "@language" in value:
        raise MetadataError(f"{name}: @language is only allowed with @value")
    if "@id" in value:
        node = value["@id"]
        if not isinstance(node, str) or node.startswith("_:"):
            raise MetadataError(f"{name}: @id must be a URL, not {node!r}")
    types = value.get("@type", [])
    for kind in types if isinstance(types, list) else [types]:
        if not (isinstance(kind, str) and (kind in _DESCRIPTION_TYPES or expand_term(kind))):
            raise MetadataError(f"{name}: @type {kind!r} is not a known type, prefixed name or URL")
    for key, item in value.items():
        if not key.startswith("@"):
            check_common_value(key, item)


def _check_value_object(name: str, value: dict[str, Any]) -> None:
    extra = set(value) - {"@value", "@type", "@language"}
    if extra or ("@type" in value and "@language" in value):
        raise MetadataError(f"{name}: @value may only come with one of @type or @language")
    if not isinstance(value["@value"], str | int | float | bool):
        raise MetadataError(f"{name}: @value must be a string, number or boolean")
    kind = value.get("@type")
    if kind is not None and not (
        isinstance(kind, str) and (kind in _BUILT_IN_TYPES or expand_term(kind))
    ):
        raise MetadataError(f"{name}: @type {kind!r} is not a datatype")
    language = value.get("@language")
    if language is not None and not (isinstance(language, str) and is_language_tag(language)):
        raise MetadataError(f"{name}: @language {language!r} is not a language tag")


def normalize_common_value(value: object, *, base_url: str, language: str | None) -> object:
    """Normalise a common property value (§6 step 1).

    >>> normalize_common_value({"@id": "x"}, base_url="http://e.org/m.json", language=None)
    {'@id': 'http://e.org/x'}
    """
    if isinstance(value, list):
        return [normalize_common_value(v, base_url=base_url, language=language) for v in value]
    if isinstance(value, str):
        return {"@value": value, "@language": language} if language else {"@value": value}
    if not isinstance(value, dict) or "@value" in value:
        return value
    result: dict[str, object] = {}
    for key, item in value.items():
        if key == "@id":
            result[key] = resolve(base_url, expand_term(item) or item)
        elif key == "@type":
            result[key] = item
        else:
            result[key] = normalize_common_value(item, base_url=base_url, language=language)
    return result


def common_triples(subject: str, name: str, value: object, blanks: BlankNodes) -> Iterator[Triple]:
    """The triples for one normalised common property (csv2rdf §6)."""
    predicate = expand_term(name)
    if predicate is None:
        return
    yield from _triples(subject, iri(predicate), value, blanks)


def notes_triples(subject: str, notes: object, blanks: BlankNodes) -> Iterator[Triple]:
    """Notes are common property values of ``csvw:note``."""
    yield from _triples(subject, iri(CSVW + "note"), notes, blanks)


def _triples(subject: str, predicate: str, value: object, blanks: BlankNodes) -> Iterator[Triple]:
    if isinstance(value, list):
        for item in value:
            yield from _triples(subject, predicate, item, blanks)
    elif isinstance(value, dict) and "@value" in value:
        yield subject, predicate, _value_literal(value)
    elif isinstance(value, dict):
        node = iri(value["@id"]) if "@id" in value else blanks.new()
        yield subject, predicate, node
        types = value.get("@type", [])
        for kind in types if isinstance(types, list) else [types]:
            yield node, iri(RDF + "type"), iri(_expand_type(kind))
        for key, item in value.items():
            if not key.startswith("@"):
                yield from common_triples(node, key, item, blanks)
    else:
        yield subject, predicate, _native_literal(value)


def _expand_type(kind: str) -> str:
    if kind in _DESCRIPTION_TYPES:
        return CSVW + kind
    return expand_term(kind) or kind


def _value_literal(value: dict[str, Any]) -> str:
    lexical = value["@value"]
    if not isinstance(lexical, str):
        return _native_literal(lexical)
    kind = value.get("@type")
    if kind is None:
        return literal(lexical, language=value.get("@language"))
    if kind in _SPECIAL_TYPES:
        return literal(lexical, _SPECIAL_TYPES[kind])
    if kind in _BUILT_IN_TYPES:
        return literal(lexical, XSD + kind)
    return literal(lexical, expand_term(kind) or kind)


def _native_literal(value: object) -> str:
    if isinstance(value, bool):
        return literal("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return literal(str(value), XSD + "integer")
    if isinstance(value, float):
        if value.is_integer():
            return literal(str(int(value)), XSD + "integer")
        return literal(repr(value), XSD + "double")
    return literal(str(value))
