"""``/openapi.json``: an OpenAPI 3.1 description of the data APIs: the SPARQL endpoint and
every named query (one operation each, with its typed parameters)."""

from __future__ import annotations

import json

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities import __version__
from opendatacommunities.store import NamedQuery, Parameter
from opendatacommunities.web.context import get_context

router = APIRouter()

_SCHEMAS: dict[str, dict[str, str]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
_ERROR = {"description": "Problem details (RFC 9457)", "content": {"application/problem+json": {}}}
_RESULTS: dict[str, dict[str, str]] = {
    "application/sparql-results+json": {},
    "text/csv": {},
    "text/html": {},
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
                "400": _ERROR,
                "503": _ERROR,
            },
        }
    }


def _sparql() -> dict[str, object]:
    query = {"name": "query", "in": "query", "schema": {"type": "string"}}
    graphs = [
        {"name": n, "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
        for n in ("default-graph-uri", "named-graph-uri")
    ]
    responses = {"200": {"description": "Query results"}, "400": _ERROR, "503": _ERROR}
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
                    "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                    "application/sparql-query": {"schema": {"type": "string"}},
                }
            },
            "responses": responses,
        },
    }


def describe_api(base_iri: str, queries: dict[str, NamedQuery]) -> dict[str, object]:
    """The OpenAPI document."""
    paths: dict[str, object] = {"/sparql": _sparql()}
    for query in queries.values():
        paths[f"/queries/{query.name}"] = _operation(query)
    return {
        "openapi": "3.1.0",
        "info": {"title": "opendatacommunities data API", "version": __version__},
        "servers": [{"url": base_iri}],
        "paths": paths,
    }


@router.get("/openapi.json")
async def openapi(request: Request) -> Response:
    """The OpenAPI description of the SPARQL endpoint and the named queries."""
    context = get_context(request)
    document = describe_api(context.settings.base_iri, context.named_queries)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return Response(
        body, headers={"content-type": "application/json", "access-control-allow-origin": "*"}
    )
