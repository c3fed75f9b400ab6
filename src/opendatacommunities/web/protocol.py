"""Reading a SPARQL 1.1 Protocol request: the query and the dataset, from a GET, a
form-encoded POST or a direct POST (section 2.1 of the Protocol Recommendation).

>>> media_type("application/sparql-query; charset=UTF-8")
('application/sparql-query', 'utf-8')
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.datastructures import QueryParams
from starlette.requests import Request

from opendatacommunities.web.errors import (
    BadRequestError,
    ForbiddenError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
#: The longest request body read (a query, or a form holding one).
MAX_BODY = 1 << 20
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update is not accepted. The data changes only when "
    "its publisher publishes a new release."
)


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


async def _body_text(request: Request, charset: str | None) -> str:
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
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"The request body is not valid UTF-8 ({exc.reason}).") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequestError(f"Give one {name}, not {len(values)}.")
    return values[0] if values else None


def _from_fields(fields: dict[str, list[str]], url: QueryParams) -> ProtocolRequest:
    if "update" in fields or "update" in url:
        raise ForbiddenError(READ_ONLY)
    query = _one(fields.get("query", []), "query")
    default = [*url.getlist("default-graph-uri"), *fields.get("default-graph-uri", [])]
    named = [*url.getlist("named-graph-uri"), *fields.get("named-graph-uri", [])]
    return ProtocolRequest(query, tuple(default), tuple(named))


async def read_protocol_request(request: Request) -> ProtocolRequest:
    """The query and dataset of a protocol request.

    :raises BadRequestError: two queries, a body that is not UTF-8.
    :raises ForbiddenError: an update (this endpoint is read-only).
    :raises UnsupportedMediaTypeError: a POST body that is neither a form nor a query.
    :raises PayloadTooLargeError: a body over ``MAX_BODY``.
    """
    url = request.query_params
    if request.method != "POST":
        fields = {"query": url.getlist("query")} if "query" in url else {}
        return _from_fields(fields, url)
    kind, charset = media_type(request.headers.get("content-type"))
    if kind == FORM:
        text = await _body_text(request, charset)
        return _from_fields(parse_qs(text, keep_blank_values=True), url)
    if kind == SPARQL_UPDATE:
        raise ForbiddenError(READ_ONLY)
    if kind == SPARQL_QUERY:
        if "query" in url:
            raise BadRequestError("Give the query either in the body or in the URL, not both.")
        query = await _body_text(request, charset)
        return _from_fields({"query": [query]}, url)
    raise UnsupportedMediaTypeError(
        f"A POST to the SPARQL endpoint carries either a form ({FORM}) or a query "
        f"({SPARQL_QUERY}), not {kind or 'a body with no Content-Type'}."
    )
