"""``/openapi.json``: an OpenAPI 3.1 description of the data APIs: the SPARQL endpoint,
every named query (one operation each, with its typed parameters) and the lists of
``/resources`` (``web.openapi_lists``)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities import __version__
from opendatacommunities.formats import GRAPH_FORMATS, HTML, SOLUTION_FORMATS
from opendatacommunities.store import NamedQuery, Parameter
from opendatacommunities.web.context import get_context
from opendatacommunities.web.openapi_lists import list_paths

_SCHEMAS: dict[str, dict[str, str]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
# RFC 9457 problem details, as ``errors.Problem.as_json`` writes them.
_PROBLEM: dict[str, object] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid-params": {
            "type": "array",
            "description": "Each parameter that is missing, unknown, repeated or ill-typed",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "reason": {"type": "string"},
                    "value": {"type": "string"},
                },
            },
        },
        "available": {
            "type": "array",
            "description": "The media types on offer (406)",
            "items": {"type": "string"},
        },
        "suggestions": {
            "type": "array",
            "description": "Did you mean (404)",
            "items": {
                "type": "object",
                "properties": {
                    "href": {"type": "string"},
                    "text": {"type": "string"},
                    "note": {"type": "string"},
                },
            },
        },
    },
}
_WHY = {
    "400": "Bad request: the message names what is wrong",
    "404": "No such page of the list, or nothing of that type is published",
    "403": "SPARQL Update: this endpoint is read-only",
    "406": "None of the formats on offer is acceptable",
    "413": "The request body is too large",
    "415": "The request body is in a format not read here",
    "503": "No release published yet, or the query ran out of time",
}

_SPARQL_ERRORS = ("400", "403", "406", "413", "415", "503")


def error_response(status: str) -> dict[str, object]:
    """An error response: problem details, or an HTML page for a browser."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        "description": _WHY[status] + " (RFC 9457 problem details; HTML for browsers)",
        "content": {"application/problem+json": problem, "text/html": {}},
    }


_RESULTS: dict[str, dict[str, str]] = {
    "application/sparql-results+json": {},
    "text/csv": {},
    "text/html": {},
}
_SPARQL_RESULTS: dict[str, dict[str, str]] = {
    media_type: {}
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS, HTML)
    for media_type in fmt.media_types
}


def _parameter(parameter: Parameter) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": parameter.name,
        "in": "query",
        "required": True,
        "description": parameter.description,
        "schema": _SCHEMAS[parameter.type],
    }
    if parameter.example is not None:
        entry["example"] = parameter.example
    return entry


def _operation(query: NamedQuery) -> dict[str, object]:
    return {
        "get": {
            "operationId": query.name,
            "summary": query.title,
            "description": query.description
            + " Results as SPARQL JSON, CSV or HTML by Accept, or with a .json/.csv suffix.",
            "tags": ["named queries"],
            "parameters": [_parameter(p) for p in query.parameters],
            "responses": {
                "200": {"description": "The query's results", "content": _RESULTS},
                **{status: error_response(status) for status in ("400", "406", "503")},
            },
        }
    }


_GRAPHS = {"type": "array", "items": {"type": "string", "format": "iri"}}
_FORM = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "default-graph-uri": _GRAPHS,
        "named-graph-uri": _GRAPHS,
    },
    "required": ["query"],
}


def _sparql() -> dict[str, object]:
    query = {"name": "query", "in": "query", "schema": {"type": "string"}}
    graphs = [
        {"name": n, "in": "query", "schema": _GRAPHS}
        for n in ("default-graph-uri", "named-graph-uri")
    ]
    responses = {
        "200": {
            "description": "Query results; with no query, the service description (or, for "
            "a browser, the query editor)",
            "content": _SPARQL_RESULTS,
        },
        **{status: error_response(status) for status in _SPARQL_ERRORS},
    }
    return {
        "get": {
            "operationId": "sparql",
            "summary": "SPARQL 1.1 query (Protocol, GET)",
            "tags": ["SPARQL"],
            "parameters": [query, *graphs],
            "responses": responses,
        },
        "post": {
            "operationId": "sparqlPost",
            "summary": "SPARQL 1.1 query (Protocol, POST form or direct)",
            "tags": ["SPARQL"],
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _FORM},
                    "application/sparql-query": {"schema": {"type": "string"}},
                }
            },
            "responses": responses,
        },
    }


def describe_api(base_iri: str, queries: dict[str, NamedQuery]) -> dict[str, object]:
    """The OpenAPI document."""
    paths: dict[str, object] = {"/sparql": _sparql(), **list_paths(error_response)}
    for query in queries.values():
        paths[f"/queries/{query.name}"] = _operation(query)
    return {
        "openapi": "3.1.0",
        "info": {"title": "opendatacommunities data API", "version": __version__},
        "servers": [{"url": base_iri}],
        "paths": paths,
        "components": {"schemas": {"Problem": _PROBLEM}},
    }


async def openapi(request: Request) -> Response:
    """The OpenAPI description of the SPARQL endpoint and the named queries."""
    context = get_context(request)
    document = describe_api(context.settings.base_iri, context.named_queries)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return Response(
        body, headers={"content-type": "application/json", "access-control-allow-origin": "*"}
    )
