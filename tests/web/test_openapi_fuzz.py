"""Schemathesis over ``/openapi.json``: generated calls of every operation the schema
describes (the SPARQL endpoint, each named query and the lists), against a live server on a small
published store. No call may get a 5xx, and every response must be one the schema
describes: its status, its media type and, for problem details, its shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from opendatacommunities.iris import AUTHORED_BASE
from opendatacommunities.store import load_named_queries
from tests.plugins.project import BASE, ROOT
from tests.plugins.servers import serving_fixtures

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


OPERATIONS = [("/sparql", "GET"), ("/sparql", "POST")]
OPERATIONS += [("/resources", "GET"), ("/resources.{suffix}", "GET")]
OPERATIONS += [(f"/queries/{path.stem}", "GET") for path in sorted((ROOT / "queries").glob("*.rq"))]
# A named query that takes no parameters has no value to make invalid: positive calls only.
_NO_PARAMETERS = {
    f"/queries/{name}"
    for name, query in load_named_queries(
        ROOT / "queries", base_iri=BASE, authored_base=AUTHORED_BASE
    ).items()
    if not query.parameters
}
CASES = [
    (path, method, mode)
    for path, method in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or path not in _NO_PARAMETERS
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenApiSchema]:
    """The schema of a live server over the fixtures, with the shipped named queries."""
    root = tmp_path_factory.mktemp("fuzz") / "store"

    with serving_fixtures(root, queries_dir=ROOT / "queries", sparql_timeout=5) as served:
        yield schemathesis.openapi.from_url(f"{served.base_iri}/openapi.json")


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_no_server_errors_and_responses_as_described(
    api_schema: OpenApiSchema, path: str, method: str, mode: GenerationMode
) -> None:
    """Values the schema allows (positive) and values it does not (negative) alike."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    call()
