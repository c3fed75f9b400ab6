"""Metadata documents: validation and normalisation (Metadata Vocabulary §5, §6).

A metadata document is checked property by property against the table of what each kind of
description object may hold. What the spec calls an error raises :class:`MetadataError`; what
it calls a warning is reported and the value dropped, so that defaults apply. The result is the
normalised description: a table group whose links are absolute, whose referenced objects are
fetched and inlined, whose titles are language maps and whose datatypes are compiled.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opendatacommunities.errors import MetadataError
from opendatacommunities.vocab import CSVW_CONTEXT

from . import properties
from .datatypes import read_datatype
from .fetch import Document, Fetcher
from .jsonld import check_common_value, normalize_common_value
from .language import is_language_tag
from .model import name_from_title
from .prefixes import is_common_property
from .urls import resolve

Json = Any
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Context:
    """Where a description object sits: its document's base URL and default language."""

    base: str
    language: str | None
    fetcher: Fetcher
    warn: Warn
    source: str


def parse_json(doc: Document) -> Json:
    """Parse a metadata document's bytes, naming the file when it is not JSON."""
    try:
        return json.loads(doc.data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MetadataError(f"not valid JSON: {exc}", file=str(doc.path)) from None


def load_table_group(doc: Document, fetcher: Fetcher, warn: Warn) -> dict[str, Json]:
    """Read a metadata document and normalise it into a table group description.

    :raises MetadataError: for anything the spec says must stop processing.
    """
    top = parse_json(doc)
    if not isinstance(top, dict):
        raise MetadataError("a metadata document must hold a JSON object", file=str(doc.path))
    ctx = read_context(top, doc, fetcher, warn)
    kind = "TableGroup" if "tables" in top or top.get("@type") == "TableGroup" else "Table"
    if kind == "Table" and "url" not in top:
        raise MetadataError(
            "metadata describes no table: it has neither tables nor url", file=ctx.source
        )
    described = normalize_object(top, kind, ctx)
    group = {"tables": [described]} if kind == "Table" else described
    if not group.get("tables"):
        raise MetadataError("a table group must contain at least one table", file=ctx.source)
    return group


def read_context(top: dict[str, Json], doc: Document, fetcher: Fetcher, warn: Warn) -> Context:
    """Check the top-level ``@context`` and return the base URL and default language it sets."""
    source = str(doc.path)
    value = top.get("@context")
    local: dict[str, Json] = {}
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        value, local = value[0], value[1]
    elif isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value != CSVW_CONTEXT:
        raise MetadataError(f"@context must be {CSVW_CONTEXT!r}", file=source)
    extra = set(local) - {"@base", "@language"}
    if extra:
        raise MetadataError(
            f"@context may only set @base and @language, not {sorted(extra)}", file=source
        )
    base = doc.url
    if "@base" in local:
        if isinstance(local["@base"], str):
            base = resolve(doc.url, local["@base"])
        else:
            warn(f"{source}: @context @base must be a string")
    language = local.get("@language")
    if language is not None and not (isinstance(language, str) and is_language_tag(language)):
        warn(f"{source}: @context @language {language!r} is not a language tag; ignored")
        language = None
    return Context(base=base, language=language, fetcher=fetcher, warn=warn, source=source)


def normalize_object(obj: dict[str, Json], kind: str, ctx: Context) -> dict[str, Json]:
    """Normalise one description object of the given kind ("Table", "Column", ...)."""
    result: dict[str, Json] = {}
    for key, value in obj.items():
        if key == "@context":
            continue
        if key in ("@id", "@type"):
            _keyword(result, key, value, kind, ctx)
        elif key == "notes" and kind in ("TableGroup", "Table"):
            _notes(result, value, ctx)
        elif is_common_property(key) and kind not in properties.CLOSED_KINDS:
            check_common_value(key, value)
            result[key] = normalize_common_value(value, base_url=ctx.base, language=ctx.language)
        elif key in properties.allowed(kind):
            _property(result, key, value, kind, ctx)
        elif kind in properties.CLOSED_KINDS:
            raise MetadataError(f"{kind} may not contain {key!r}", file=ctx.source)
        else:
            ctx.warn(f"{ctx.source}: {key!r} is not a property of a {kind}; ignored")
    if kind == "Column" and "name" not in result:
        _name_from_titles(result, ctx.language or "und")
    return result


def _name_from_titles(column: dict[str, Json], language: str) -> None:
    # A column without a name takes its first title in the default language (§5.6),
    # percent-encoded; it is kept apart from "name" because only an explicit name
    # can be referenced by keys.
    titles = column.get("titles", {}).get(language)
    if titles:
        column["_name"] = name_from_title(titles[0])


def _keyword(result: dict[str, Json], key: str, value: Json, kind: str, ctx: Context) -> None:
    if key == "@type":
        if value != properties.TYPE_NAMES.get(kind):
            raise MetadataError(
                f"@type of a {kind} must be {kind!r}, not {value!r}", file=ctx.source
            )
        return
    if not isinstance(value, str):
        # A link property that is not a string counts as the empty string (§5.1.2).
        ctx.warn(f"{ctx.source}: @id of a {kind} must be a string; using the document's URL")
        value = ""
    if value.startswith("_:"):
        raise MetadataError(
            f"@id of a {kind} must not be a blank node ({value!r})", file=ctx.source
        )
    result["@id"] = resolve(ctx.base, value)


def _notes(result: dict[str, Json], value: Json, ctx: Context) -> None:
    if not isinstance(value, list):
        ctx.warn(f"{ctx.source}: notes must be an array; ignored")
        return
    for note in value:
        check_common_value("notes", note)
    result["notes"] = [
        normalize_common_value(n, base_url=ctx.base, language=ctx.language) for n in value
    ]


def _property(result: dict[str, Json], key: str, value: Json, kind: str, ctx: Context) -> None:
    handler = _HANDLERS.get(properties.KINDS.get(key, "atomic"), _atomic)
    normalized = handler(key, value, kind, ctx)
    if normalized is not _DROP:
        result[key] = normalized


_DROP = object()


def _array(key: str, value: Json, kind: str, ctx: Context) -> Json:
    if not isinstance(value, list):
        ctx.warn(f"{ctx.source}: {key} must be an array; ignored")
        return []
    item_kind = properties.ITEM_KINDS[key]
    items = []
    for item in value:
        if isinstance(item, dict):
            items.append(normalize_object(item, item_kind, ctx))
        else:
            ctx.warn(f"{ctx.source}: {key} holds a non-object value {item!r}; ignored")
    return items


def _link(key: str, value: Json, kind: str, ctx: Context) -> Json:
    if not isinstance(value, str):
        if key == "url":
            raise MetadataError(f"url of a {kind} must be a string, not {value!r}", file=ctx.source)
        ctx.warn(f"{ctx.source}: {key} must be a string; ignored")
        return _DROP
    return resolve(ctx.base, value)


def _template(key: str, value: Json, kind: str, ctx: Context) -> Json:
    if not isinstance(value, str):
        # A template property that is not a string counts as the empty string (§5.1.3).
        ctx.warn(f"{ctx.source}: {key} must be a URI template string; using ''")
        return ""
    return value


def _column_reference(key: str, value: Json, kind: str, ctx: Context) -> Json:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        if key == "columnReference":
            raise MetadataError(
                f"columnReference must name one or more columns, not {value!r}", file=ctx.source
            )
        ctx.warn(f"{ctx.source}: {key} must name one or more columns; ignored")
        return _DROP
    return names


def _object(key: str, value: Json, kind: str, ctx: Context) -> Json:
    item_kind = properties.ITEM_KINDS[key]
    if isinstance(value, str):
        return fetch_object(resolve(ctx.base, value), item_kind, ctx)
    if isinstance(value, dict):
        return normalize_object(value, item_kind, ctx)
    if key == "reference":
        raise MetadataError(f"reference must be an object, not {value!r}", file=ctx.source)
    ctx.warn(f"{ctx.source}: {key} must be an object or a URL; ignored")
    return {}


def fetch_object(url: str, kind: str, ctx: Context) -> dict[str, Json]:
    """Fetch a description object referenced by URL and normalise it with its own context."""
    doc = ctx.fetcher.fetch(url)
    if doc is None:
        raise MetadataError(f"cannot read the {kind} description at {url}", file=ctx.source)
    obj = parse_json(doc)
    if not isinstance(obj, dict):
        raise MetadataError(
            f"the {kind} description at {url} is not a JSON object", file=str(doc.path)
        )
    inner = read_context(obj, doc, ctx.fetcher, ctx.warn) if "@context" in obj else _at(ctx, doc)
    result = normalize_object(obj, kind, inner)
    result.setdefault("@id", url)
    return result


def _at(ctx: Context, doc: Document) -> Context:
    return Context(
        base=doc.url, language=None, fetcher=ctx.fetcher, warn=ctx.warn, source=str(doc.path)
    )


def _natural_language(key: str, value: Json, kind: str, ctx: Context) -> Json:
    language = ctx.language or "und"
    if isinstance(value, str):
        return {language: [value]}
    if isinstance(value, list):
        strings = [v for v in value if isinstance(v, str)]
        if len(strings) != len(value):
            ctx.warn(f"{ctx.source}: {key} holds non-string values; ignored them")
        return {language: strings}
    if isinstance(value, dict):
        return _language_map(key, value, ctx)
    ctx.warn(f"{ctx.source}: {key} must be a string, array or language map; ignored")
    return {}


def _language_map(key: str, value: dict[str, Json], ctx: Context) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for tag, texts in value.items():
        items = [texts] if isinstance(texts, str) else texts
        if not is_language_tag(tag) or not isinstance(items, list):
            ctx.warn(f"{ctx.source}: {key} has an invalid entry {tag!r}; ignored")
            continue
        strings = [t for t in items if isinstance(t, str)]
        if len(strings) != len(items):
            ctx.warn(f"{ctx.source}: {key} {tag!r} holds non-string values; ignored them")
        result[tag] = strings
    return result


def _atomic(key: str, value: Json, kind: str, ctx: Context) -> Json:
    if key == "datatype":
        return read_datatype(
            value, warn=lambda m: ctx.warn(f"{ctx.source}: {m}"), base_url=ctx.base
        )
    problem, normalized = properties.check_atomic(key, value)
    if problem:
        ctx.warn(f"{ctx.source}: {key} {problem}; ignored")
        return _DROP
    return normalized


_HANDLERS: dict[str, Callable[[str, Json, str, Context], Json]] = {
    "array": _array,
    "link": _link,
    "template": _template,
    "columns": _column_reference,
    "object": _object,
    "language": _natural_language,
    "atomic": _atomic,
}
