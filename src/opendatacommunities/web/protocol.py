"""Reading a SPARQL 1.1 Protocol request: the query and the dataset, from a GET, a
form-encoded POST or a direct POST (section 2.1 of the Protocol Recommendation).

>>> media_type("application/sparql-query; charset=UTF-8")
('application/sparql-query', 'utf-8')
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from opendatacommunities.errors import (
    BadRequestError,
    ForbiddenError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
)
from opendatacommunities.web.errors import bad_parameters, invalid_iris

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: The longest request body read (a query, or a form holding one).
MAX_BODY = 1 << 20
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update is not accepted. The data changes only when "
    "its publisher publishes a new release."
)


_STRAY_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def unquote(text: bytes) -> str:
    """A form field's value: ``+`` is a space, ``%XX`` a byte, the bytes UTF-8 (invalid
    sequences replaced), as ``urllib.parse.unquote_plus`` has it.

    A query arrives percent-encoded almost throughout, and decoding it byte by byte in
    Python costs more than the rest of reading the request: the decoding is left to
    ``binascii``'s quoted-printable decoder, whose ``=XX`` escapes are ``%XX`` once every
    ``=`` is itself escaped.

    >>> unquote(b"ASK%20%7B%20%3Fs%20%3D%20%3Fo%20%7D+%E2%9C%93"), unquote(b"100%+=")
    ('ASK { ?s = ?o } ✓', '100% =')
    """
    text = text.replace(b"+", b" ")
    if b"%" not in text:
        return text.decode("utf-8", "replace")
    if _STRAY_PERCENT.search(text):  # a % that starts no escape stays as it is
        return unquote_to_bytes(text).decode("utf-8", "replace")
    return binascii.a2b_qp(text.replace(b"=", b"=3D").replace(b"%", b"=")).decode(
        "utf-8", "replace"
    )


def form_fields(encoded: bytes) -> dict[str, list[str]]:
    """The fields of a query string or an ``application/x-www-form-urlencoded`` body, blank
    ones included, as ``urllib.parse.parse_qs(keep_blank_values=True)`` reads them.

    >>> form_fields(b"query=ASK+%7B%7D&default-graph-uri=urn%3Ag&default-graph-uri=urn%3Ah&x")
    {'query': ['ASK {}'], 'default-graph-uri': ['urn:g', 'urn:h'], 'x': ['']}
    """
    fields: dict[str, list[str]] = {}
    for pair in encoded.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.setdefault(unquote(name), []).append(unquote(value))
    return fields


@dataclass(frozen=True)
class ProtocolRequest:
    """What a client asked: a query (None when it asked for none) and the dataset."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def media_type(header: str | None) -> tuple[str, str | None]:
    """The media type of a ``Content-Type`` header, lower case, and its charset if given."""
    if not header:
        return "", None
    kind, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.lower(), charset


async def _body(request: Request, charset: str | None) -> bytes:
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaTypeError(
            f"The request body must be UTF-8 (the SPARQL Protocol's only encoding), not {charset}."
        )
    chunks, size = [], 0
    async for chunk in request.stream():  # stop reading as soon as the body is too long
        size += len(chunk)
        if size > MAX_BODY:
            raise PayloadTooLargeError(f"The request body is over {MAX_BODY // 1024} KB.")
        chunks.append(chunk)
    body = b"".join(chunks)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"The request body is not valid UTF-8 ({exc.reason}).") from None
    return body


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequestError(f"Give one {name}, not {len(values)}.")
    return values[0] if values else None


def _graphs(name: str, fields: dict[str, list[str]], url: dict[str, list[str]]) -> list[str]:
    return [*url.get(name, []), *fields.get(name, [])]


def _from_fields(fields: dict[str, list[str]], url: dict[str, list[str]]) -> ProtocolRequest:
    if "update" in fields or "update" in url:
        raise ForbiddenError(READ_ONLY)
    query = _one(fields.get("query", []), "query")
    default = _graphs("default-graph-uri", fields, url)
    named = _graphs("named-graph-uri", fields, url)
    # Checked here: the engine would only fail on them once a worker runs the query.
    invalid = invalid_iris("default-graph-uri", default) + invalid_iris("named-graph-uri", named)
    if invalid:
        raise bad_parameters(invalid)
    return ProtocolRequest(query, tuple(default), tuple(named))


async def read_protocol_request(request: Request) -> ProtocolRequest:
    """The query and dataset of a protocol request.

    :raises BadRequestError: two queries, a body that is not UTF-8, a graph that is no IRI.
    :raises ForbiddenError: an update (this endpoint is read-only).
    :raises UnsupportedMediaTypeError: a POST body that is neither a form nor a query.
    :raises PayloadTooLargeError: a body over ``MAX_BODY``.
    """
    url = form_fields(request.scope["query_string"])
    if request.method != "POST":
        fields = {"query": url["query"]} if "query" in url else {}
        return _from_fields(fields, url)
    kind, charset = media_type(request.headers.get("content-type"))
    if kind == FORM:
        return _from_fields(form_fields(await _body(request, charset)), url)
    if kind == SPARQL_UPDATE:
        raise ForbiddenError(READ_ONLY)
    if kind == SPARQL_QUERY:
        if "query" in url:
            raise BadRequestError("Give the query either in the body or in the URL, not both.")
        query = (await _body(request, charset)).decode("utf-8")
        return _from_fields({"query": [query]}, url)
    raise UnsupportedMediaTypeError(
        f"A POST to the SPARQL endpoint carries either a form ({FORM}) or a query "
        f"({SPARQL_QUERY}), not {kind or 'a body with no Content-Type'}."
    )
